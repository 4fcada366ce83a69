"""The engine: layers in order, --only, the official schematron merged, duplicates in a run."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from chorusflow.formats.cii import profile_of, read_cii, write_cii
from chorusflow.formats.document import Document
from chorusflow.formats.model_json import read_json
from chorusflow.formats.profiles import Profile, Syntax
from chorusflow.formats.xml import parse_xml
from chorusflow.model import Invoice, PartyIdentifier
from chorusflow.rules.chorus import BuyerDirectoryEntry
from chorusflow.rules.directory import FileDirectory
from chorusflow.rules.duplicates import InMemoryKnownInvoices, KnownInvoice
from chorusflow.rules.findings import Finding, Layer, Severity
from chorusflow.rules.official import Artefact
from chorusflow.rules.validate import Checks, Validator, artefact_for, merge
from tests.conftest import CORPUS, EXAMPLES
from tests.formats.facturx.conftest import facturx_made

CEN_CII = CORPUS / "cii" / "examples"


def make_document(
    name: str,
    syntax: Syntax,
    invoice: Invoice,
    data: bytes,
    xml: bytes | None = None,
    profile: Profile | None = None,
) -> Document:
    """A document as formats.document reads it, built from its parts."""
    return Document(name, syntax, profile, invoice, xml, data)


def json_doc(name: str = "simple-invoice", **changes: object) -> Document:
    data = (EXAMPLES / f"{name}.json").read_bytes()
    invoice = read_json(data).model_copy(update=changes)
    return make_document(f"{name}.json", Syntax.JSON, invoice, data)


def cii_doc(xml: bytes, name: str = "cen.xml") -> Document:
    root = parse_xml(xml)
    return make_document(name, Syntax.CII, read_cii(root), xml, xml, profile_of(root))


def only(*layers: Layer, **kwargs: object) -> Checks:
    return Checks(layers=frozenset(layers), **kwargs)  # type: ignore[arg-type]


def rules(doc: Document, checks: Checks | None = None) -> list[str]:
    return [f.rule for f in Validator(checks or Checks()).validate(doc).findings]


def test_the_examples_are_valid(example_path: Path) -> None:
    report = Validator().validate(json_doc(example_path.stem))
    assert report.valid and report.findings == ()
    assert (report.name, report.syntax) == (f"{example_path.stem}.json", Syntax.JSON)


def test_only_the_chosen_layers_run() -> None:
    broken = json_doc(number="FA 1", business_process="Z9")
    seller = broken.invoice.seller
    assert seller is not None
    bad_siret = seller.model_copy(
        update={"identifiers": (PartyIdentifier(value="90123456700006", scheme="0009"),)}
    )
    doc = make_document(
        broken.name, broken.syntax, broken.invoice.model_copy(update={"seller": bad_siret}), b""
    )
    assert rules(doc, only(Layer.IDS)) == ["ID-SIRET-LUHN"]
    assert rules(doc, only(Layer.CHORUS)) == ["CPRO-NUMBER-CHARS", "CPRO-FRAMEWORK"]
    assert rules(doc, only(Layer.XSD, Layer.EN16931)) == []
    # All layers: in layer order, identifiers before Chorus Pro rules.
    assert rules(doc) == ["ID-SIRET-LUHN", "CPRO-NUMBER-CHARS", "CPRO-FRAMEWORK"]


def test_rehearsal_turns_the_luhn_verdict_into_a_warning() -> None:
    qualification = PartyIdentifier(value="93125027408770", scheme="0009")
    example = json_doc()
    assert example.invoice.seller is not None
    seller = example.invoice.seller.model_copy(
        update={"identifiers": (qualification,), "legal_registration": qualification,
                "electronic_address": None, "vat_id": None}
    )  # fmt: skip
    doc = make_document(
        "q.json", Syntax.JSON, example.invoice.model_copy(update={"seller": seller}), b""
    )
    strict = Validator(only(Layer.IDS)).validate(doc)
    rehearsal = Validator(only(Layer.IDS, luhn=Severity.WARNING)).validate(doc)
    assert not strict.valid and rehearsal.valid
    assert [f.severity for f in rehearsal.findings] == [Severity.WARNING, Severity.WARNING]


def test_the_directory_feeds_the_chorus_layer() -> None:
    doc = json_doc("service-code", buyer_reference=None)
    directory = FileDirectory.of(
        [BuyerDirectoryEntry(siret="12345678200028", service_code_required=True)]
    )
    assert rules(doc, only(Layer.CHORUS)) == []
    assert rules(doc, only(Layer.CHORUS, directory=directory)) == ["CPRO-SERVICE-REQUIRED"]


def test_duplicates_within_a_run_and_against_known_invoices() -> None:
    validator = Validator()
    first, again = json_doc(), json_doc()
    assert validator.validate(first).valid
    report = validator.validate(make_document("copy.json", again.syntax, again.invoice, again.data))
    assert [f.rule for f in report.findings] == ["DUP-NUMBER"]
    assert "simple-invoice.json" in report.findings[0].message_en
    assert not report.valid
    number, seller = first.invoice.number, "90123456700005"
    assert number is not None
    known = InMemoryKnownInvoices([KnownInvoice(seller, number, "outbox #7 (DEPOSEE)")])
    fresh = Validator(Checks(known=known)).validate(first)
    assert [f.rule for f in fresh.findings] == ["DUP-NUMBER"]
    assert Validator(only(Layer.IDS, known=known)).validate(first).valid


def test_the_official_xsd_judges_xml_documents() -> None:
    xml = (CEN_CII / "CII_example5.xml").read_bytes()
    assert rules(cii_doc(xml), only(Layer.XSD)) == []
    root = etree.fromstring(xml)
    root.append(etree.Element("{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}Bad"))
    report = Validator(only(Layer.XSD)).validate(cii_doc(etree.tostring(root)))
    assert [f.rule for f in report.findings] == ["XSD"]
    assert report.findings[0].layer is Layer.XSD and not report.valid


def test_the_official_schematron_runs_only_under_official_and_within_the_layers() -> None:
    xml = (CEN_CII / "XRechnung-O.xml").read_bytes()
    native = rules(cii_doc(xml), only(Layer.EN16931))
    assert native and not any(rule.startswith("PEPPOL") for rule in native)
    official = Validator(only(Layer.EN16931, official=True)).validate(cii_doc(xml))
    found = [f.rule for f in official.findings]
    assert "PEPPOL-EN16931-R008" in found  # a rule only the official schematron has
    assert all(found.count(rule) == 1 for rule in native)  # each native rule once
    assert {f.layer for f in official.findings} == {Layer.EN16931}
    assert all(
        f.xpath and f.xpath.startswith("/rsm:CrossIndustryInvoice") for f in official.findings
    )
    assert rules(cii_doc(xml), only(Layer.XSD, official=True)) == []


def test_a_rule_reported_natively_and_officially_is_reported_once() -> None:
    def finding(rule: str, layer: Layer = Layer.EN16931, fr: str = "") -> Finding:
        return Finding(rule, Severity.FATAL, layer, "en", fr)

    native = [finding("BR-01", fr="français"), finding("BR-02", fr="français")]
    official = [finding("BR-02"), finding("BR-CO-10"), finding("BR-CO-10")]
    merged = merge(native, official)
    assert [f.rule for f in merged] == ["BR-01", "BR-02", "BR-CO-10", "BR-CO-10"]
    assert merged[1].message_fr == "français"


def test_the_artefact_follows_syntax_profile_and_root() -> None:
    credit = etree.fromstring(
        b'<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"/>'
    )
    assert artefact_for(Syntax.UBL, None, credit) is Artefact.UBL_CREDIT_NOTE
    invoice = etree.fromstring(
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
    )
    assert artefact_for(Syntax.UBL, None, invoice) is Artefact.UBL_INVOICE
    assert artefact_for(Syntax.CII, Profile.BASIC, invoice) is Artefact.FACTURX_BASIC
    assert artefact_for(Syntax.FACTURX, None, invoice) is Artefact.FACTURX_EN16931


def test_a_factur_x_pdf_is_judged_by_its_pdf_layer_and_its_xml() -> None:
    xml = (CEN_CII / "CII_example5.xml").read_bytes()
    pdf = facturx_made(CEN_CII / "CII_example5.xml")
    doc = make_document("f.pdf", Syntax.FACTURX, Invoice(), pdf, xml, Profile.EN16931)
    report = Validator(only(Layer.XSD, Layer.FACTURX)).validate(doc)
    # factur-x's own XMP lacks what PDF/A-3 readers need (docs/decisions.md, Factur-X).
    assert report.findings and {f.layer for f in report.findings} == {Layer.FACTURX}
    assert all(f.rule.startswith("FX-PDF") for f in report.findings)
    # The JSON input has no PDF layer to judge.
    assert Validator(only(Layer.FACTURX)).validate(json_doc()).findings == ()


def test_findings_on_a_cii_file_name_the_element_too() -> None:
    invoice = json_doc().invoice
    assert invoice.buyer is not None
    wrong = invoice.buyer.model_copy(
        update={"identifier": PartyIdentifier(value="12345678200029", scheme="0009")}
    )
    xml = write_cii(invoice.model_copy(update={"buyer": wrong, "number": "FA 1"}))
    report = Validator(only(Layer.IDS, Layer.CHORUS)).validate(cii_doc(xml))
    placed = {f.rule: (f.location, f.xpath) for f in report.findings}
    transaction = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
    party = f"{transaction}/ram:ApplicableHeaderTradeAgreement"
    assert placed["ID-SIRET-LUHN"] == (
        "/buyer/identifier/value",
        f"{party}/ram:BuyerTradeParty/ram:GlobalID",
    )
    assert placed["CPRO-NUMBER-CHARS"] == (
        "/number",
        "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID",
    )


def test_a_json_input_is_judged_officially_through_its_cii() -> None:
    assert Validator(Checks(official=True)).validate(json_doc("engagement")).findings == ()
    empty = make_document("empty.json", Syntax.JSON, Invoice(number="FA-1"), b"{}")
    report = Validator(only(Layer.EN16931, official=True)).validate(empty)
    rules_fired = {f.rule for f in report.findings}
    assert {"BR-03", "BR-05", "BR-06"} <= rules_fired  # no date, currency, seller name
    assert "BR-02" not in rules_fired  # the number is there
    assert all(f.xpath is None for f in report.findings)  # they point into our CII, not the file


def test_the_en16931_rules_judge_natively_and_spare_minimum_and_basic_wl() -> None:
    invoice = json_doc().invoice.model_copy(update={"issue_date": None, "type_code": None})
    doc = make_document("x.json", Syntax.JSON, invoice, b"")
    assert rules(doc, only(Layer.EN16931)) == ["BR-03", "BR-04"]
    for profile in (Profile.MINIMUM, Profile.BASIC_WL):
        xml = write_cii(json_doc().invoice, profile)
        root = parse_xml(xml)
        read = read_cii(root)  # no lines: the PDF is the invoice at these profiles
        as_profile = make_document("f.xml", Syntax.CII, read, xml, xml, profile_of(root))
        as_whole = make_document("f.xml", Syntax.CII, read, xml, xml, Profile.EN16931)
        assert as_profile.profile is profile
        assert rules(as_profile, only(Layer.EN16931)) == []
        assert "BR-16" in rules(as_whole, only(Layer.EN16931))
