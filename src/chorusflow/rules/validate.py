"""The validation engine: every layer of checks, in order, on a document or an invoice.

1. ``xsd`` — the official XSD of the file's syntax and profile (XML inputs);
2. ``en16931`` — the EN 16931 business rules, natively on the model;
3. ``facturx`` — the Factur-X PDF layer (:func:`~chorusflow.rules.facturx.check_facturx`), and
   the profile's FX rules from the official schematron under ``official``;
4. ``ids`` — identifiers (:mod:`~chorusflow.rules.ids`);
5. ``chorus`` — Chorus Pro's deposit rules (:mod:`~chorusflow.rules.deposit`);
6. ``duplicates`` — invoice numbers already used (:mod:`~chorusflow.rules.duplicates`).

``official`` also runs the official schematron (:mod:`~chorusflow.rules.official`); its
findings join the native ones, a rule reported by both only once (the native finding, which
speaks French and says where and how to fix).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Final

from lxml import etree

from chorusflow.errors import ChorusflowError
from chorusflow.formats.cii import write_cii
from chorusflow.formats.document import Document
from chorusflow.formats.profiles import Profile, Syntax
from chorusflow.formats.xml import local_name, parse_xml
from chorusflow.model import Invoice
from chorusflow.rules.deposit import deposit_findings
from chorusflow.rules.directory import Directory
from chorusflow.rules.duplicates import (
    FirstKnown,
    InMemoryKnownInvoices,
    KnownInvoices,
    duplicate_findings,
)
from chorusflow.rules.en16931 import check_en16931
from chorusflow.rules.facturx import check_facturx
from chorusflow.rules.findings import Finding, Layer, Severity, has_fatal
from chorusflow.rules.ids import identifier_findings
from chorusflow.rules.locate import cii_xpath, ubl_xpath
from chorusflow.rules.official import Artefact, schematron_findings, stopped, xsd_findings

ALL_LAYERS: Final = frozenset(Layer)
_LAYER_RANK: Final = {layer: rank for rank, layer in enumerate(Layer)}
#: Profiles whose XML is a whole EN 16931 invoice (BASIC is a subset, EXTENDED an extension).
EN16931_PROFILES: Final = frozenset({Profile.BASIC, Profile.EN16931, Profile.EXTENDED})


@dataclass(frozen=True, slots=True)
class Checks:
    """What to check, and against what."""

    layers: frozenset[Layer] = ALL_LAYERS
    official: bool = False
    """Also run the official schematron (slower: milliseconds instead of microseconds)."""
    directory: Directory | None = None
    """Where the buyers' demands come from; None: they are not checked."""
    known: KnownInvoices | None = None
    """Invoice numbers already issued (the outbox); the documents of one run are added."""
    luhn: Severity = Severity.FATAL
    """Severity of a SIRET/SIREN failing Luhn; WARNING to rehearse on the qualification data."""


@dataclass(frozen=True, slots=True)
class Report:
    """The verdict on one document."""

    name: str
    syntax: Syntax
    profile: Profile | None
    findings: tuple[Finding, ...]

    @property
    def valid(self) -> bool:
        """No fatal finding: the invoice may be written and sent."""
        return not has_fatal(self.findings)


def artefact_for(syntax: Syntax, profile: Profile | None, root: etree._Element) -> Artefact:
    """The official XSD and schematron that judge a CII/Factur-X or UBL document."""
    if syntax is Syntax.UBL:
        return (
            Artefact.UBL_CREDIT_NOTE if local_name(root) == "CreditNote" else Artefact.UBL_INVOICE
        )
    return Artefact.for_profile(profile or Profile.EN16931)


def merge(native: list[Finding], official: list[Finding]) -> list[Finding]:
    """Native findings, then the official ones for rules the native engine did not report."""
    reported = {finding.rule for finding in native}
    return native + [finding for finding in official if finding.rule not in reported]


def _xml_layers(
    document: Document, root: etree._Element, checks: Checks
) -> tuple[list[Finding], list[Finding]]:
    """The XSD findings, and the official schematron's (empty unless ``checks.official``)."""
    wanted = checks.layers
    run_schematron = checks.official and bool(wanted & {Layer.EN16931, Layer.FACTURX})
    artefact = artefact_for(document.syntax, document.profile, root)
    schema = xsd_findings(root, artefact) if Layer.XSD in wanted else []
    official = schematron_findings(root, artefact) if run_schematron else []
    return schema, [f for f in official if f.layer in wanted]


def _official_on_model(invoice: Invoice, checks: Checks) -> list[Finding]:
    """For an input that is no XML (JSON), the official rules judge its CII (EN 16931 profile).

    Their XPaths point into that CII, not into the user's file, so they are dropped; the
    native findings (merged first) carry the JSON pointers.
    """
    if not checks.official or not checks.layers & {Layer.EN16931, Layer.FACTURX}:
        return []
    try:
        root = parse_xml(write_cii(invoice, Profile.EN16931), "CII written for the official rules")
    except ChorusflowError as error:
        return [stopped(error)]
    return [
        replace(f, xpath=None)
        for f in schematron_findings(root, Artefact.FACTURX_EN16931)
        if f.layer in checks.layers
    ]


def invoice_findings(
    invoice: Invoice,
    checks: Checks = Checks(),
    *,
    profile: Profile | None = None,
    file_size: int | None = None,
    batch: KnownInvoices | None = None,
) -> list[Finding]:
    """The model layers (en16931, ids, chorus, duplicates) on ``invoice``.

    ``profile`` is the Factur-X profile its XML declares (None for UBL and JSON): MINIMUM and
    BASIC WL are no EN 16931 invoices (the PDF is the invoice), so the EN 16931 rules skip
    them. ``file_size`` is the size of the file to deposit when there is one; ``batch`` the
    invoices seen earlier in the same run.
    """
    wanted = checks.layers
    findings: list[Finding] = []
    if Layer.EN16931 in wanted and (profile is None or profile in EN16931_PROFILES):
        findings += check_en16931(invoice)
    if Layer.IDS in wanted:
        findings += identifier_findings(invoice, luhn=checks.luhn)
    if Layer.CHORUS in wanted:
        findings += deposit_findings(invoice, checks.directory, file_size=file_size)
    if Layer.DUPLICATES in wanted:
        sources = tuple(s for s in (checks.known, batch) if s is not None)
        if sources:
            findings += duplicate_findings(invoice, FirstKnown(sources))
    return findings


def _placed(finding: Finding, document: Document, root: etree._Element) -> Finding:
    """The finding with the XPath of its model location in the CII or UBL file."""
    if finding.location is None or finding.xpath is not None:
        return finding
    if document.syntax is Syntax.UBL:
        xpath = ubl_xpath(finding.location, document.invoice, root)
    else:
        xpath = cii_xpath(finding.location, document.invoice, root, document.profile)
    return replace(finding, xpath=xpath) if xpath else finding


@dataclass
class Validator:
    """Validates documents one after another, remembering their numbers across the run."""

    checks: Checks = field(default_factory=Checks)
    seen: InMemoryKnownInvoices = field(default_factory=InMemoryKnownInvoices)

    def validate(self, document: Document, *, own_render: bool = False) -> Report:
        """Every selected layer on ``document``, in layer order.

        ``own_render``: a Factur-X whose visual PDF chorusflow rendered itself, so its PDF/A-3b
        walk is skipped (:func:`~chorusflow.rules.facturx.check_facturx`).
        """
        wanted = self.checks.layers
        root = document.root
        if root is None and document.xml:
            root = parse_xml(document.xml, f"XML of {document.name}")
        if root is not None:
            schema, official = _xml_layers(document, root, self.checks)
        else:
            schema, official = [], _official_on_model(document.invoice, self.checks)
        facturx = (
            check_facturx(document.data, visual=not own_render)
            if document.syntax is Syntax.FACTURX and Layer.FACTURX in wanted
            else []
        )
        model = invoice_findings(
            document.invoice,
            self.checks,
            profile=document.profile,
            file_size=None if document.syntax is Syntax.JSON else len(document.data),
            batch=self.seen,
        )
        self.seen.add(document.invoice, document.name)
        if root is not None:
            model = [_placed(f, document, root) for f in model]
        findings = merge(schema + facturx + model, official)
        findings.sort(key=lambda f: _LAYER_RANK[f.layer])  # stable: a layer keeps its order
        return Report(document.name, document.syntax, document.profile, tuple(findings))
