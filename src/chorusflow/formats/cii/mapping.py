"""Where each EN 16931 term sits in a CII D16B invoice, declared once for reader and writer.

The tree follows the element order of the official Factur-X XSDs (the same relative order in
every profile, EXTENDED only adds elements in between). ``since`` marks the poorest profile
that carries an element; a test holds each declaration to the official XSD of its profiles.

Data paths are those of :class:`chorusflow.model.Invoice` dumped to a dict, except for three
places where CII shapes the data differently (see :mod:`chorusflow.formats.cii.shape`): payment
means are repeated per account (``payment.means``), the two VAT totals are told apart by their
currency (``totals.tax_totals``), and the tax point date (BT-7, BT-8) sits in every VAT
breakdown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, Final

from lxml import etree

from chorusflow.formats.profiles import NS_CII, NS_QDT, NS_RAM, NS_UDT, Profile
from chorusflow.formats.xmlbind import (
    BASE64,
    DECIMAL,
    TEXT,
    TOKEN,
    Attr,
    Const,
    El,
    Key,
    Kind,
    Value,
    Vocabulary,
    translated,
)

CII: Final = Vocabulary({"rsm": NS_CII, "ram": NS_RAM, "udt": NS_UDT, "qdt": NS_QDT})
NSMAP: Final = CII.nsmap()

#: Profiles as levels: an element declared ``since=BASIC`` is written in BASIC and richer.
LEVEL: Final = {profile: rank for rank, profile in enumerate(Profile)}
MINIMUM, BASIC_WL, BASIC, EN16931, EXTENDED = (LEVEL[profile] for profile in Profile)

#: UNTDID 1001 document codes CII uses on AdditionalReferencedDocument to tell BT-17 (tender
#: or lot), BT-18 (invoiced object) and BG-24 (supporting document) apart.
TENDER_CODE: Final = "50"
OBJECT_CODE: Final = "130"
SUPPORTING_CODE: Final = "916"

#: An IBAN as ISO 13616 shapes it; other account identifiers go to ProprietaryID.
IBAN_SHAPE: Final = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")


#: BT-8: EN 16931 codes it from UNTDID 2005 (as UBL writes it); CII from UNTDID 2475.
TAX_POINT_CODE: Final = translated(
    "UNTDID 2005 → 2475",
    {
        "3": "5",  # invoice document issue date → date of invoice
        "35": "29",  # actual delivery date → date of delivery of goods
        "432": "72",  # paid to date → paid to date
    },
)


DATE_FORMAT: Final = "102"
"""UNTDID 2379 code of the only date format EN 16931 uses: CCYYMMDD."""
_DATE_FIX: Final = 'Write the date as CCYYMMDD with format="102", e.g. 20260131.'


def _parse_date(text: str) -> dt.date:
    text = text.strip()
    if len(text) != 8 or not (text.isascii() and text.isdigit()):
        raise ValueError(text)
    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))


def _format_date(value: dt.date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _date_format(element: etree._Element) -> str | None:
    code = element.get("format")
    if code is None or code.strip() == DATE_FORMAT:
        return None
    shown = code if len(code) <= 40 else f"{code[:37]}..."
    return f"date format {shown!r} is not the format 102 EN 16931 requires"


DATE: Final = Kind(
    "date",
    _parse_date,
    _format_date,
    "not a date in format 102 (CCYYMMDD)",
    _DATE_FIX,
    blank_is_absent=True,
    check=_date_format,
)
"""A calendar date as CCYYMMDD, in an element whose ``format`` is 102."""
BINARY: Final = dataclasses.replace(
    BASE64,
    expected="not valid base64",
    fix="Re-attach the file with a tool that encodes it in base64.",
)
"""An embedded file (``AttachmentBinaryObject``)."""


def el(tag: str, *children: El | Value | Attr | Const, since: int = MINIMUM, **extra: Any) -> El:
    """An element whose tag is written with its usual prefix (``ram:Name``)."""
    return CII.el(tag, *children, since=since, **extra)


def leaf(tag: str, path: str, kind: Kind = TOKEN, since: int = MINIMUM, **extra: Any) -> El:
    """An element whose text is one field."""
    return el(tag, Value(path, kind), since=since, **extra)


def amount(tag: str, path: str, since: int = MINIMUM) -> El:
    return leaf(tag, path, DECIMAL, since)


def quantity(tag: str, path: str, unit: str, since: int = MINIMUM) -> El:
    """A quantity with its UN/ECE Rec. 20 unit in ``unitCode``."""
    return el(tag, Value(path, DECIMAL), Attr("unitCode", unit), since=since)


def date(tag: str, path: str, since: int = MINIMUM, inner: str = "udt:DateTimeString") -> El:
    """A date as ``<tag><udt:DateTimeString format="102">CCYYMMDD</...></tag>``."""
    stamp = el(inner, Value(path, DATE), Const(DATE_FORMAT, "format"))
    return el(tag, stamp, since=since)


def ident(tag: str, field: str, since: int = MINIMUM, **extra: Any) -> El:
    """An identifier with its scheme in ``schemeID`` (Identifier, PartyIdentifier ...)."""
    return el(
        tag,
        Value("value", TOKEN),
        Attr("schemeID", "scheme"),
        field=field,
        needs=("value",),
        since=since,
        **extra,
    )


def _schemeless(item: Mapping[str, Any]) -> bool:
    return item.get("scheme") is None


def _with_scheme(item: Mapping[str, Any]) -> bool:
    return item.get("scheme") is not None


def party_ids(field: str, since: int, many: bool = False) -> tuple[El, El]:
    """BT-29/46/60/71: ``ram:ID`` without a scheme, ``ram:GlobalID`` with one (which wins
    when a file has both: it has the scheme Chorus Pro routes on)."""
    return (
        ident("ram:ID", field, since, many=many, when=_schemeless),
        ident("ram:GlobalID", field, since, many=many, when=_with_scheme),
    )


def address(since: int, lines_since: int) -> El:
    """A postal address (BG-5, BG-8, BG-12, BG-15); MINIMUM carries the country only."""
    return el(
        "ram:PostalTradeAddress",
        leaf("ram:PostcodeCode", "post_code", since=lines_since),
        leaf("ram:LineOne", "line1", TEXT, lines_since),
        leaf("ram:LineTwo", "line2", TEXT, lines_since),
        leaf("ram:LineThree", "line3", TEXT, lines_since),
        leaf("ram:CityName", "city", TEXT, lines_since),
        leaf("ram:CountryID", "country"),
        leaf("ram:CountrySubDivisionName", "subdivision", TEXT, lines_since),
        field="address",
        since=since,
    )


def contact() -> El:
    """BG-6, BG-9; a DepartmentName is read as the contact point when no PersonName is given."""
    return el(
        "ram:DefinedTradeContact",
        leaf("ram:PersonName", "name", TEXT),
        leaf("ram:DepartmentName", "name", TEXT, alternative=True),
        el("ram:TelephoneUniversalCommunication", leaf("ram:CompleteNumber", "phone", TEXT)),
        el("ram:EmailURIUniversalCommunication", leaf("ram:URIID", "email")),
        field="contact",
        since=EN16931,
    )


def electronic_address() -> El:
    """BT-34, BT-49."""
    return el(
        "ram:URIUniversalCommunication",
        ident("ram:URIID", "electronic_address"),
        since=BASIC_WL,
    )


def tax_registration(path: str, scheme: str, since: int) -> El:
    """BT-31/48/63 (scheme VA) and BT-32 (scheme FC)."""
    registered = el("ram:ID", Value(path, TOKEN), Key(scheme, "schemeID"))
    return el("ram:SpecifiedTaxRegistration", registered, keyed=True, since=since)


def legal_organization(trading_name_since: int | None) -> El:
    """BT-30/47/61 legal registration, and BT-28/45 trading name (seller's from BASIC WL,
    buyer's from EN 16931)."""
    parts = [ident("ram:ID", "legal_registration")]
    if trading_name_since is not None:
        parts.append(leaf("ram:TradingBusinessName", "trading_name", TEXT, trading_name_since))
    return el("ram:SpecifiedLegalOrganization", *parts)


def _true(found: str | None) -> bool:
    return found in {"true", "1"}


def _false(found: str | None) -> bool:
    return found in {"false", "0"}


def indicator(charge: bool) -> El:
    """ChargeIndicator: true for a charge, false for an allowance (xs:boolean either way)."""
    key = Key("true", accepts=_true) if charge else Key("false", accepts=_false)
    return el("ram:ChargeIndicator", el("udt:Indicator", key))


def vat_type() -> El:
    return el("ram:TypeCode", Const("VAT"))


def allowance_charge(field: str, charge: bool, since: int, on_line: bool) -> El:
    """BG-20/21, with their VAT category, and BG-27/28, whose base and percentage BASIC lacks."""
    basis = EN16931 if on_line else since
    parts = [
        indicator(charge),
        amount("ram:CalculationPercent", "percentage", basis),
        amount("ram:BasisAmount", "base_amount", basis),
        amount("ram:ActualAmount", "amount"),
        leaf("ram:ReasonCode", "reason_code"),
        leaf("ram:Reason", "reason", TEXT),
    ]
    if not on_line:
        parts.append(
            el(
                "ram:CategoryTradeTax",
                vat_type(),
                leaf("ram:CategoryCode", "vat_category"),
                amount("ram:RateApplicablePercent", "vat_rate"),
            )
        )
    return el(
        "ram:SpecifiedTradeAllowanceCharge", *parts, field=field, many=True, keyed=True, since=since
    )


def period(field: str, since: int) -> El:
    """BG-14, BG-26."""
    return el(
        "ram:BillingSpecifiedPeriod",
        date("ram:StartDateTime", "start"),
        date("ram:EndDateTime", "end"),
        field=field,
        since=since,
    )


def referenced(tag: str, path: str, since: int) -> El:
    """A document referred to by its identifier only (BT-12, BT-13, BT-14, BT-15, BT-16)."""
    return el(tag, leaf("ram:IssuerAssignedID", path), since=since)


def _line_object(found: str | None) -> bool:
    """On a line, the only AdditionalReferencedDocument EN 16931 has is BT-128."""
    return found in {None, OBJECT_CODE}


def object_identifier(field: str, since: int, on_line: bool = False) -> El:
    """BT-18 and BT-128: an AdditionalReferencedDocument with TypeCode 130."""
    return el(
        "ram:AdditionalReferencedDocument",
        leaf("ram:IssuerAssignedID", "value"),
        el("ram:TypeCode", Key(OBJECT_CODE, accepts=_line_object if on_line else None)),
        leaf("ram:ReferenceTypeCode", "scheme"),
        field=field,
        needs=("value",),
        keyed=True,
        since=since,
    )


def _supporting(found: str | None) -> bool:
    """EN 16931 reads any AdditionalReferencedDocument that is not BT-17 or BT-18 as BG-24."""
    return found not in {TENDER_CODE, OBJECT_CODE}


# --- the invoice ------------------------------------------------------------------------------

LINE: Final = el(
    "ram:IncludedSupplyChainTradeLineItem",
    el(
        "ram:AssociatedDocumentLineDocument",
        leaf("ram:LineID", "id"),
        el("ram:IncludedNote", leaf("ram:Content", "note", TEXT)),
        required=True,
    ),
    el(
        "ram:SpecifiedTradeProduct",
        ident("ram:GlobalID", "standard_id"),
        leaf("ram:SellerAssignedID", "seller_id", since=EN16931),
        leaf("ram:BuyerAssignedID", "buyer_id", since=EN16931),
        leaf("ram:Name", "name", TEXT),
        leaf("ram:Description", "description", TEXT, EN16931),
        el(
            "ram:ApplicableProductCharacteristic",
            leaf("ram:Description", "name", TEXT),
            leaf("ram:Value", "value", TEXT),
            field="attributes",
            many=True,
            since=EN16931,
        ),
        el(
            "ram:DesignatedProductClassification",
            el(
                "ram:ClassCode",
                Value("value", TOKEN),
                Attr("listID", "scheme"),
                Attr("listVersionID", "version"),
            ),
            field="classifications",
            many=True,
            needs=("value",),
            since=EN16931,
        ),
        el("ram:OriginTradeCountry", leaf("ram:ID", "origin_country"), since=EN16931),
        field="item",
        required=True,
    ),
    el(
        "ram:SpecifiedLineTradeAgreement",
        el(
            "ram:BuyerOrderReferencedDocument",
            leaf("ram:LineID", "order_line_reference"),
            since=EN16931,
        ),
        el(
            "ram:GrossPriceProductTradePrice",
            amount("ram:ChargeAmount", "gross"),
            quantity("ram:BasisQuantity", "base_quantity", "base_quantity_unit"),
            el(
                "ram:AppliedTradeAllowanceCharge",
                indicator(charge=False),
                amount("ram:ActualAmount", "discount"),
            ),
            field="price",
            when=lambda price: price.get("gross") is not None,
        ),
        el(
            "ram:NetPriceProductTradePrice",
            amount("ram:ChargeAmount", "net"),
            quantity("ram:BasisQuantity", "base_quantity", "base_quantity_unit"),
            field="price",
            required=True,
        ),
        required=True,
    ),
    el(
        "ram:SpecifiedLineTradeDelivery",
        quantity("ram:BilledQuantity", "quantity", "unit"),
        required=True,
    ),
    el(
        "ram:SpecifiedLineTradeSettlement",
        el(
            "ram:ApplicableTradeTax",
            vat_type(),
            leaf("ram:CategoryCode", "category"),
            amount("ram:RateApplicablePercent", "rate"),
            field="vat",
            required=True,
        ),
        period("period", BASIC),
        allowance_charge("allowances", charge=False, since=BASIC, on_line=True),
        allowance_charge("charges", charge=True, since=BASIC, on_line=True),
        el(
            "ram:SpecifiedTradeSettlementLineMonetarySummation",
            amount("ram:LineTotalAmount", "net_amount"),
            required=True,
        ),
        object_identifier("object_identifier", EN16931, on_line=True),
        el(
            "ram:ReceivableSpecifiedTradeAccountingAccount",
            leaf("ram:ID", "accounting_reference"),
            since=EN16931,
        ),
        required=True,
    ),
    field="lines",
    many=True,
    since=BASIC,
)

SELLER: Final = el(
    "ram:SellerTradeParty",
    *party_ids("identifiers", BASIC_WL, many=True),
    leaf("ram:Name", "name", TEXT),
    leaf("ram:Description", "additional_legal_info", TEXT, EN16931),
    legal_organization(trading_name_since=BASIC_WL),
    contact(),
    address(MINIMUM, BASIC_WL),
    electronic_address(),
    tax_registration("vat_id", "VA", MINIMUM),
    tax_registration("tax_registration_id", "FC", MINIMUM),
    field="seller",
    required=True,
)

BUYER: Final = el(
    "ram:BuyerTradeParty",
    *party_ids("identifier", BASIC_WL),
    leaf("ram:Name", "name", TEXT),
    legal_organization(trading_name_since=EN16931),
    contact(),
    address(BASIC_WL, BASIC_WL),
    electronic_address(),
    tax_registration("vat_id", "VA", BASIC_WL),
    field="buyer",
    required=True,
)

TAX_REPRESENTATIVE: Final = el(
    "ram:SellerTaxRepresentativeTradeParty",
    leaf("ram:Name", "name", TEXT),
    address(BASIC_WL, BASIC_WL),
    tax_registration("vat_id", "VA", BASIC_WL),
    field="tax_representative",
    since=BASIC_WL,
)

AGREEMENT: Final = el(
    "ram:ApplicableHeaderTradeAgreement",
    leaf("ram:BuyerReference", "buyer_reference", TEXT),
    SELLER,
    BUYER,
    TAX_REPRESENTATIVE,
    referenced("ram:SellerOrderReferencedDocument", "sales_order_reference", EN16931),
    referenced("ram:BuyerOrderReferencedDocument", "purchase_order_reference", MINIMUM),
    referenced("ram:ContractReferencedDocument", "contract_reference", BASIC_WL),
    el(
        "ram:AdditionalReferencedDocument",
        leaf("ram:IssuerAssignedID", "reference"),
        leaf("ram:URIID", "uri"),
        el("ram:TypeCode", Key(SUPPORTING_CODE, accepts=_supporting)),
        leaf("ram:Name", "description", TEXT),
        el(
            "ram:AttachmentBinaryObject",
            Value("content", BINARY),
            Attr("mimeCode", "mime_code"),
            Attr("filename", "filename", TEXT),
            field="attachment",
        ),
        field="supporting_documents",
        many=True,
        keyed=True,
        since=EN16931,
    ),
    el(
        "ram:AdditionalReferencedDocument",
        leaf("ram:IssuerAssignedID", "tender_or_lot_reference"),
        el("ram:TypeCode", Key(TENDER_CODE)),
        keyed=True,
        since=EN16931,
    ),
    object_identifier("invoiced_object_identifier", EN16931),
    el(
        "ram:SpecifiedProcuringProject",
        leaf("ram:ID", "project_reference"),
        el("ram:Name", Const("Project reference")),
        since=EN16931,
    ),
    required=True,
)

DELIVERY: Final = el(
    "ram:ApplicableHeaderTradeDelivery",
    el(
        "ram:ShipToTradeParty",
        *party_ids("location_id", BASIC_WL),
        leaf("ram:Name", "party_name", TEXT),
        address(BASIC_WL, BASIC_WL),
        field="delivery",
        since=BASIC_WL,
    ),
    el(
        "ram:ActualDeliverySupplyChainEvent",
        date("ram:OccurrenceDateTime", "delivery.date"),
        since=BASIC_WL,
    ),
    referenced("ram:DespatchAdviceReferencedDocument", "despatch_advice_reference", BASIC_WL),
    referenced("ram:ReceivingAdviceReferencedDocument", "receiving_advice_reference", EN16931),
    required=True,
)

PAYMENT_MEANS: Final = el(
    "ram:SpecifiedTradeSettlementPaymentMeans",
    leaf("ram:TypeCode", "means_code"),
    leaf("ram:Information", "means_text", TEXT, EN16931),
    el(
        "ram:ApplicableTradeSettlementFinancialCard",
        leaf("ram:ID", "primary_account_number"),
        leaf("ram:CardholderName", "holder_name", TEXT),
        field="card",
        since=EN16931,
    ),
    el("ram:PayerPartyDebtorFinancialAccount", leaf("ram:IBANID", "debited_account_id")),
    el(
        "ram:PayeePartyCreditorFinancialAccount",
        leaf("ram:IBANID", "iban"),
        leaf("ram:AccountName", "account_name", TEXT, EN16931),
        leaf("ram:ProprietaryID", "proprietary_id"),
    ),
    el(
        "ram:PayeeSpecifiedCreditorFinancialInstitution",
        leaf("ram:BICID", "provider_id"),
        since=EN16931,
    ),
    field="payment.means",
    many=True,
    since=BASIC_WL,
)

VAT_BREAKDOWN: Final = el(
    "ram:ApplicableTradeTax",
    amount("ram:CalculatedAmount", "tax_amount"),
    vat_type(),
    leaf("ram:ExemptionReason", "exemption_reason", TEXT),
    amount("ram:BasisAmount", "taxable_amount"),
    leaf("ram:CategoryCode", "category"),
    leaf("ram:ExemptionReasonCode", "exemption_reason_code"),
    date("ram:TaxPointDate", "tax_point_date", EN16931, inner="udt:DateString"),
    leaf("ram:DueDateTypeCode", "tax_point_date_code", TAX_POINT_CODE),
    amount("ram:RateApplicablePercent", "rate"),
    field="vat_breakdown",
    many=True,
    since=BASIC_WL,
)

TOTALS: Final = el(
    "ram:SpecifiedTradeSettlementHeaderMonetarySummation",
    amount("ram:LineTotalAmount", "line_total", BASIC_WL),
    amount("ram:ChargeTotalAmount", "charge_total", BASIC_WL),
    amount("ram:AllowanceTotalAmount", "allowance_total", BASIC_WL),
    amount("ram:TaxBasisTotalAmount", "tax_exclusive"),
    el(
        "ram:TaxTotalAmount",
        Value("amount", DECIMAL),
        Attr("currencyID", "currency"),
        field="tax_totals",
        many=True,
    ),
    amount("ram:RoundingAmount", "rounding", EN16931),
    amount("ram:GrandTotalAmount", "tax_inclusive"),
    amount("ram:TotalPrepaidAmount", "prepaid", BASIC_WL),
    amount("ram:DuePayableAmount", "payable"),
    field="totals",
    required=True,
)

SETTLEMENT: Final = el(
    "ram:ApplicableHeaderTradeSettlement",
    leaf("ram:CreditorReferenceID", "payment.direct_debit.creditor_id", since=BASIC_WL),
    leaf("ram:PaymentReference", "payment.remittance_information", TEXT, BASIC_WL),
    leaf("ram:TaxCurrencyCode", "vat_accounting_currency", since=BASIC_WL),
    leaf("ram:InvoiceCurrencyCode", "currency"),
    el(
        "ram:PayeeTradeParty",
        *party_ids("identifier", BASIC_WL),
        leaf("ram:Name", "name", TEXT),
        legal_organization(trading_name_since=None),
        field="payee",
        since=BASIC_WL,
    ),
    PAYMENT_MEANS,
    VAT_BREAKDOWN,
    period("invoicing_period", BASIC_WL),
    allowance_charge("allowances", charge=False, since=BASIC_WL, on_line=False),
    allowance_charge("charges", charge=True, since=BASIC_WL, on_line=False),
    el(
        "ram:SpecifiedTradePaymentTerms",
        leaf("ram:Description", "payment_terms", TEXT),
        date("ram:DueDateDateTime", "due_date"),
        leaf("ram:DirectDebitMandateID", "payment.direct_debit.mandate_reference"),
        since=BASIC_WL,
    ),
    TOTALS,
    el(
        "ram:InvoiceReferencedDocument",
        leaf("ram:IssuerAssignedID", "reference"),
        date("ram:FormattedIssueDateTime", "issue_date", inner="qdt:DateTimeString"),
        field="preceding_invoices",
        many=True,
        since=BASIC_WL,
    ),
    el(
        "ram:ReceivableSpecifiedTradeAccountingAccount",
        leaf("ram:ID", "buyer_accounting_reference"),
        since=BASIC_WL,
    ),
    required=True,
)

INVOICE: Final = el(  # the declaration the codec reads and writes, and rules.locate walks
    "rsm:CrossIndustryInvoice",
    el(
        "rsm:ExchangedDocumentContext",
        el(
            "ram:BusinessProcessSpecifiedDocumentContextParameter",
            leaf("ram:ID", "business_process"),
        ),
        el(
            "ram:GuidelineSpecifiedDocumentContextParameter",
            leaf("ram:ID", "specification_identifier"),
            required=True,
        ),
        required=True,
    ),
    el(
        "rsm:ExchangedDocument",
        leaf("ram:ID", "number"),
        leaf("ram:TypeCode", "type_code"),
        date("ram:IssueDateTime", "issue_date"),
        el(
            "ram:IncludedNote",
            leaf("ram:Content", "text", TEXT),
            leaf("ram:SubjectCode", "subject_code"),
            field="notes",
            many=True,
            since=BASIC_WL,
        ),
        required=True,
    ),
    el(
        "rsm:SupplyChainTradeTransaction",
        LINE,
        AGREEMENT,
        DELIVERY,
        SETTLEMENT,
        required=True,
    ),
)
