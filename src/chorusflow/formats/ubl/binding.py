"""Where each EN 16931 term sits in a UBL 2.1 Invoice or CreditNote (EN 16931-3-2).

One declaration per document type, in the element order the UBL 2.1 XSD requires. Fields
are those of :class:`chorusflow.model.Invoice` dumped to a dict, except a few that UBL shapes
differently and :mod:`chorusflow.formats.ubl.shape` prepares: ``note_texts`` (BT-21 rides in
the note text), ``invoice_period`` (BG-14 with BT-8), ``payment_means`` (one ``PaymentMeans``
per account), ``tax_totals`` (BT-110 and BT-111 in two ``TaxTotal`` told apart by currency)
and ``seller_sepa``/``payee_sepa`` (BT-90 as a party identifier with scheme SEPA).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from chorusflow.formats.profiles import NS_CAC, NS_CBC, NS_UBL_CREDIT_NOTE, NS_UBL_INVOICE
from chorusflow.formats.xmlbind import (
    BASE64,
    DATE,
    DECIMAL,
    TEXT,
    TOKEN,
    Attr,
    El,
    Value,
    Vocabulary,
    all_of,
    none_of,
)

UBL: Final = Vocabulary({"cac": NS_CAC, "cbc": NS_CBC})
el, leaf, fixed, key = UBL.el, UBL.leaf, UBL.fixed, UBL.key

#: BT-24 written when the invoice names no specification of its own.
EN16931: Final = "urn:cen.eu:en16931:2017"
#: UNTDID 1001 code marking the AdditionalDocumentReference that carries BT-18.
INVOICED_OBJECT: Final = "130"
#: ... and, in a CreditNote (which has no ProjectReference), the one carrying BT-11.
PROJECT: Final = "50"


def _spelt(*values: str) -> Callable[[str | None], bool]:
    """Accepts a value found in the file that is one of ``values`` (blank-trimmed, any case)."""
    wanted = frozenset(value.upper() for value in values)
    return lambda found: found is not None and " ".join(found.split()).upper() in wanted


def _not_spelt(*values: str) -> Callable[[str | None], bool]:
    spelt = _spelt(*values)
    return lambda found: not spelt(found)


_VAT = fixed("cac:TaxScheme/cbc:ID", "VAT")
_VAT_SCHEME = key("cac:TaxScheme/cbc:ID", "VAT", _spelt("VAT"))
"""A party's tax scheme that tells its VAT identifier apart (blank-trimmed, any case)."""
_is_sepa = UBL.attr_in("cbc:ID", "schemeID", "SEPA")
_has_id = UBL.has("cbc:ID")


def _amount(tag: str, field: str) -> El:
    """An amount in the document currency (BT-5), as every UBL amount must say."""
    return el(tag, Value(field, DECIMAL), Attr("currencyID", "/currency", read=False))


def _identifier(tag: str, field: str, scheme: str = "schemeID") -> El:
    """An identifier with its scheme attribute, as one model object ({value, scheme})."""
    return el(tag, Value("value"), Attr(scheme, "scheme"), field=field)


def _address(tag: str, field: str) -> El:
    """BG-5, BG-8, BG-12, BG-15."""
    return el(
        tag,
        leaf("cbc:StreetName", "line1"),
        leaf("cbc:AdditionalStreetName", "line2"),
        leaf("cbc:CityName", "city"),
        leaf("cbc:PostalZone", "post_code"),
        leaf("cbc:CountrySubentity", "subdivision"),
        leaf("cac:AddressLine/cbc:Line", "line3"),
        leaf("cac:Country/cbc:IdentificationCode", "country", TOKEN),
        field=field,
    )


def _contact(field: str) -> El:
    """BG-6, BG-9."""
    return el(
        "cac:Contact",
        leaf("cbc:Name", "name"),
        leaf("cbc:Telephone", "phone"),
        leaf("cbc:ElectronicMail", "email"),
        field=field,
    )


def _sepa(field: str) -> El:
    """BT-90, the SEPA creditor identifier: a party identifier with scheme SEPA."""
    return el(
        "cac:PartyIdentification",
        el("cbc:ID", Value(field), key("@schemeID", "SEPA", _spelt("SEPA"))),
        keyed=True,
    )


SELLER: Final = el(
    "cac:AccountingSupplierParty/cac:Party",
    _identifier("cbc:EndpointID", "electronic_address"),
    el(
        "cac:PartyIdentification",
        el("cbc:ID", Value("value"), Attr("schemeID", "scheme")),
        field="identifiers",
        many=True,
        select=all_of(_has_id, none_of(_is_sepa)),
    ),
    _sepa("/seller_sepa"),
    leaf("cac:PartyName/cbc:Name", "trading_name"),
    _address("cac:PostalAddress", "address"),
    el("cac:PartyTaxScheme", leaf("cbc:CompanyID", "vat_id"), _VAT_SCHEME, keyed=True),
    el(
        "cac:PartyTaxScheme",
        leaf("cbc:CompanyID", "tax_registration_id"),
        key("cac:TaxScheme/cbc:ID", "TAX", _not_spelt("VAT")),
        keyed=True,
    ),
    el(
        "cac:PartyLegalEntity",
        leaf("cbc:RegistrationName", "name"),
        _identifier("cbc:CompanyID", "legal_registration"),
        leaf("cbc:CompanyLegalForm", "additional_legal_info"),
    ),
    _contact("contact"),
    field="seller",
)

BUYER: Final = el(
    "cac:AccountingCustomerParty/cac:Party",
    _identifier("cbc:EndpointID", "electronic_address"),
    el("cac:PartyIdentification", _identifier("cbc:ID", "identifier"), select=_has_id),
    leaf("cac:PartyName/cbc:Name", "trading_name"),
    _address("cac:PostalAddress", "address"),
    el("cac:PartyTaxScheme", leaf("cbc:CompanyID", "vat_id"), _VAT_SCHEME, keyed=True),
    el(
        "cac:PartyLegalEntity",
        leaf("cbc:RegistrationName", "name"),
        _identifier("cbc:CompanyID", "legal_registration"),
    ),
    _contact("contact"),
    field="buyer",
)

PAYEE: Final = el(
    "cac:PayeeParty",
    el(
        "cac:PartyIdentification",
        _identifier("cbc:ID", "identifier"),
        select=all_of(_has_id, none_of(_is_sepa)),
    ),
    _sepa("/payee_sepa"),
    leaf("cac:PartyName/cbc:Name", "name"),
    el("cac:PartyLegalEntity", _identifier("cbc:CompanyID", "legal_registration")),
    field="payee",
)

TAX_REPRESENTATIVE: Final = el(
    "cac:TaxRepresentativeParty",
    leaf("cac:PartyName/cbc:Name", "name"),
    _address("cac:PostalAddress", "address"),
    el("cac:PartyTaxScheme", leaf("cbc:CompanyID", "vat_id"), _VAT_SCHEME, keyed=True),
    field="tax_representative",
)

DELIVERY: Final = el(
    "cac:Delivery",
    leaf("cbc:ActualDeliveryDate", "date", DATE),
    el(
        "cac:DeliveryLocation",
        _identifier("cbc:ID", "location_id"),
        _address("cac:Address", "address"),
    ),
    leaf("cac:DeliveryParty/cac:PartyName/cbc:Name", "party_name"),
    field="delivery",
)


def _payment_means(credit_note: bool) -> El:
    """BG-16 as one PaymentMeans per credit transfer account (BG-17), see ``shape``."""
    due_date = (leaf("cbc:PaymentDueDate", "due_date", DATE),) if credit_note else ()
    return el(
        "cac:PaymentMeans",
        el("cbc:PaymentMeansCode", Value("means_code", TOKEN), Attr("name", "means_text", TEXT)),
        *due_date,
        leaf("cbc:PaymentID", "remittance_information"),
        el(
            "cac:CardAccount",
            leaf("cbc:PrimaryAccountNumberID", "primary_account_number"),
            fixed("cbc:NetworkID", "NA"),
            leaf("cbc:HolderName", "holder_name"),
            field="card",
        ),
        el(
            "cac:PayeeFinancialAccount",
            leaf("cbc:ID", "account_id"),
            leaf("cbc:Name", "account_name"),
            leaf("cac:FinancialInstitutionBranch/cbc:ID", "provider_id"),
            field="credit_transfers",
            many=True,
        ),
        el(
            "cac:PaymentMandate",
            leaf("cbc:ID", "mandate_reference"),
            leaf("cac:PayerFinancialAccount/cbc:ID", "debited_account_id"),
            field="direct_debit",
        ),
        field="payment_means",
        many=True,
    )


_CHARGE = ("true", "1")


def _allowances_and_charges(*vat: El) -> tuple[El, El]:
    """BG-20/21 (with their VAT category) or BG-27/28: one element for both, told apart by
    ChargeIndicator; anything but true reads as an allowance."""

    def declare(field: str, charge: bool) -> El:
        return el(
            "cac:AllowanceCharge",
            key(
                "cbc:ChargeIndicator",
                "true" if charge else "false",
                _spelt(*_CHARGE) if charge else _not_spelt(*_CHARGE),
            ),
            leaf("cbc:AllowanceChargeReasonCode", "reason_code", TOKEN),
            leaf("cbc:AllowanceChargeReason", "reason"),
            leaf("cbc:MultiplierFactorNumeric", "percentage", DECIMAL),
            _amount("cbc:Amount", "amount"),
            _amount("cbc:BaseAmount", "base_amount"),
            *vat,
            field=field,
            many=True,
            keyed=True,
        )

    return declare("allowances", False), declare("charges", True)


TAX_TOTAL: Final = el(
    "cac:TaxTotal",
    el("cbc:TaxAmount", Value("amount", DECIMAL), Attr("currencyID", "currency")),
    el(
        "cac:TaxSubtotal",
        _amount("cbc:TaxableAmount", "taxable_amount"),
        _amount("cbc:TaxAmount", "tax_amount"),
        el(
            "cac:TaxCategory",
            leaf("cbc:ID", "category", TOKEN),
            leaf("cbc:Percent", "rate", DECIMAL),
            leaf("cbc:TaxExemptionReasonCode", "exemption_reason_code", TOKEN),
            leaf("cbc:TaxExemptionReason", "exemption_reason"),
            _VAT,
        ),
        field="subtotals",
        many=True,
    ),
    field="tax_totals",
    many=True,
)

TOTALS: Final = el(
    "cac:LegalMonetaryTotal",
    _amount("cbc:LineExtensionAmount", "line_total"),
    _amount("cbc:TaxExclusiveAmount", "tax_exclusive"),
    _amount("cbc:TaxInclusiveAmount", "tax_inclusive"),
    _amount("cbc:AllowanceTotalAmount", "allowance_total"),
    _amount("cbc:ChargeTotalAmount", "charge_total"),
    _amount("cbc:PrepaidAmount", "prepaid"),
    _amount("cbc:PayableRoundingAmount", "rounding"),
    _amount("cbc:PayableAmount", "payable"),
    field="totals",
)

ITEM: Final = el(
    "cac:Item",
    leaf("cbc:Description", "item.description"),
    leaf("cbc:Name", "item.name"),
    leaf("cac:BuyersItemIdentification/cbc:ID", "item.buyer_id"),
    leaf("cac:SellersItemIdentification/cbc:ID", "item.seller_id"),
    el("cac:StandardItemIdentification", _identifier("cbc:ID", "item.standard_id")),
    leaf("cac:OriginCountry/cbc:IdentificationCode", "item.origin_country", TOKEN),
    el(
        "cac:CommodityClassification",
        el(
            "cbc:ItemClassificationCode",
            Value("value"),
            Attr("listID", "scheme"),
            Attr("listVersionID", "version", TEXT),
        ),
        field="item.classifications",
        many=True,
        select=UBL.has("cbc:ItemClassificationCode"),
    ),
    el(
        "cac:ClassifiedTaxCategory",
        leaf("cbc:ID", "category", TOKEN),
        leaf("cbc:Percent", "rate", DECIMAL),
        _VAT,
        field="vat",
    ),
    el(
        "cac:AdditionalItemProperty",
        leaf("cbc:Name", "name"),
        leaf("cbc:Value", "value"),
        field="item.attributes",
        many=True,
    ),
)


PRICE: Final = el(
    "cac:Price",
    el(
        "cbc:PriceAmount",
        Value("net", DECIMAL),
        Attr("currencyID", "/currency", read=False),
    ),
    el("cbc:BaseQuantity", Value("base_quantity", DECIMAL), Attr("unitCode", "base_quantity_unit")),
    el(
        "cac:AllowanceCharge",
        fixed("cbc:ChargeIndicator", "false"),
        el(
            "cbc:Amount",
            Value("discount", DECIMAL),
            Attr("currencyID", "/currency", read=False),
        ),
        _amount("cbc:BaseAmount", "gross"),
    ),
    field="price",
)


def _line(credit_note: bool, *, alternative: bool = False) -> El:
    """BG-25, as an InvoiceLine or a CreditNoteLine."""
    quantity = "cbc:CreditedQuantity" if credit_note else "cbc:InvoicedQuantity"
    return el(
        "cac:CreditNoteLine" if credit_note else "cac:InvoiceLine",
        leaf("cbc:ID", "id"),
        leaf("cbc:Note", "note"),
        el(quantity, Value("quantity", DECIMAL), Attr("unitCode", "unit")),
        _amount("cbc:LineExtensionAmount", "net_amount"),
        leaf("cbc:AccountingCost", "accounting_reference"),
        el(
            "cac:InvoicePeriod",
            leaf("cbc:StartDate", "start", DATE),
            leaf("cbc:EndDate", "end", DATE),
            field="period",
        ),
        leaf("cac:OrderLineReference/cbc:LineID", "order_line_reference"),
        el(
            "cac:DocumentReference",
            _identifier("cbc:ID", "object_identifier"),
            key("cbc:DocumentTypeCode", INVOICED_OBJECT, _spelt(INVOICED_OBJECT)),
            keyed=True,
        ),
        # CEN's own example 5 leaves the type code out: BT-128 still, but the official rules
        # judge a scheme (BR-CL-07) only under code 130, so none is read here
        el(
            "cac:DocumentReference",
            el("cbc:ID", Value("value"), field="object_identifier"),
            select=all_of(_has_id, none_of(UBL.has("cbc:DocumentTypeCode"))),
            alternative=True,
        ),
        *_allowances_and_charges(),
        ITEM,
        PRICE,
        field="lines",
        many=True,
        alternative=alternative,
    )


def _document_references(credit_note: bool) -> tuple[El, ...]:
    """BG-24, BT-18 and (CreditNote) BT-11, all AdditionalDocumentReference."""
    special = (INVOICED_OBJECT, PROJECT) if credit_note else (INVOICED_OBJECT,)
    supporting = el(
        "cac:AdditionalDocumentReference",
        leaf("cbc:ID", "reference"),
        leaf("cbc:DocumentDescription", "description"),
        el(
            "cac:Attachment",
            el(
                "cbc:EmbeddedDocumentBinaryObject",
                Value("content", BASE64),
                Attr("mimeCode", "mime_code"),
                Attr("filename", "filename", TEXT),
                field="attachment",
            ),
            leaf("cac:ExternalReference/cbc:URI", "uri"),
        ),
        field="supporting_documents",
        many=True,
        select=none_of(UBL.text_in("cbc:DocumentTypeCode", *special)),
    )
    invoiced_object = el(
        "cac:AdditionalDocumentReference",
        _identifier("cbc:ID", "invoiced_object_identifier"),
        key("cbc:DocumentTypeCode", INVOICED_OBJECT, _spelt(INVOICED_OBJECT)),
        keyed=True,
    )
    if not credit_note:
        return (supporting, invoiced_object)
    project = el(
        "cac:AdditionalDocumentReference",
        leaf("cbc:ID", "project_reference"),
        key("cbc:DocumentTypeCode", PROJECT, _spelt(PROJECT)),
        keyed=True,
    )
    return (supporting, invoiced_object, project)


def document(credit_note: bool) -> tuple[El, ...]:
    """The children of the Invoice (or CreditNote) root, in XSD order."""
    tax_point_date = leaf("cbc:TaxPointDate", "tax_point_date", DATE)
    originator = leaf("cac:OriginatorDocumentReference/cbc:ID", "tender_or_lot_reference")
    return (
        leaf("cbc:CustomizationID", "specification_identifier"),
        leaf("cbc:ProfileID", "business_process"),
        leaf("cbc:ID", "number"),
        leaf("cbc:IssueDate", "issue_date", DATE),
        *(() if credit_note else (leaf("cbc:DueDate", "due_date", DATE),)),
        *((tax_point_date,) if credit_note else ()),
        leaf(
            "cbc:CreditNoteTypeCode" if credit_note else "cbc:InvoiceTypeCode", "type_code", TOKEN
        ),
        el("cbc:Note", Value(""), field="note_texts", many=True),
        *(() if credit_note else (tax_point_date,)),
        leaf("cbc:DocumentCurrencyCode", "currency", TOKEN),
        leaf("cbc:TaxCurrencyCode", "vat_accounting_currency", TOKEN),
        leaf("cbc:AccountingCost", "buyer_accounting_reference"),
        leaf("cbc:BuyerReference", "buyer_reference"),
        el(
            "cac:InvoicePeriod",
            leaf("cbc:StartDate", "start", DATE),
            leaf("cbc:EndDate", "end", DATE),
            leaf("cbc:DescriptionCode", "tax_point_date_code", TOKEN),
            field="invoice_period",
        ),
        el(
            "cac:OrderReference",
            # UBL requires an order ID; "NA" says there is none (only a sales order, BT-14)
            leaf("cbc:ID", "purchase_order_reference", filler="NA"),
            leaf("cbc:SalesOrderID", "sales_order_reference"),
        ),
        el(
            "cac:BillingReference",
            el(
                "cac:InvoiceDocumentReference",
                leaf("cbc:ID", "reference"),
                leaf("cbc:IssueDate", "issue_date", DATE),
            ),
            field="preceding_invoices",
            many=True,
        ),
        leaf("cac:DespatchDocumentReference/cbc:ID", "despatch_advice_reference"),
        leaf("cac:ReceiptDocumentReference/cbc:ID", "receiving_advice_reference"),
        *(() if credit_note else (originator,)),
        leaf("cac:ContractDocumentReference/cbc:ID", "contract_reference"),
        *_document_references(credit_note),
        *((originator,) if credit_note else ()),
        *(() if credit_note else (leaf("cac:ProjectReference/cbc:ID", "project_reference"),)),
        SELLER,
        BUYER,
        PAYEE,
        TAX_REPRESENTATIVE,
        DELIVERY,
        _payment_means(credit_note),
        leaf("cac:PaymentTerms/cbc:Note", "payment_terms"),
        *_allowances_and_charges(
            el(
                "cac:TaxCategory",
                leaf("cbc:ID", "vat_category", TOKEN),
                leaf("cbc:Percent", "vat_rate", DECIMAL),
                _VAT,
            )
        ),
        TAX_TOTAL,
        TOTALS,
        _line(credit_note),
        # a CreditNote whose lines are spelt InvoiceLine (CEN's BR-CL-18 fragment) has lines
        *((_line(False, alternative=True),) if credit_note else ()),
    )


INVOICE: Final = El(f"{{{NS_UBL_INVOICE}}}Invoice", *document(credit_note=False))
CREDIT_NOTE: Final = El(f"{{{NS_UBL_CREDIT_NOTE}}}CreditNote", *document(credit_note=True))
NAMESPACES: Final = {
    INVOICE.tag: UBL.nsmap(NS_UBL_INVOICE),
    CREDIT_NOTE.tag: UBL.nsmap(NS_UBL_CREDIT_NOTE),
}
