"""The EN 16931 semantic model: business terms (BT-n) and groups (BG-n) as immutable data.

Every field is optional and every list may be empty: presence and cardinality are business
rules (BR-01 ...) reported as findings by :mod:`chorusflow.rules`, not exceptions here, so that
a flawed third-party file can be loaded and explained. Each field's description starts with
its EN 16931 term id; :func:`chorusflow.model.paths.term_paths` relies on that.

Amounts are :class:`~decimal.Decimal`, dates are :class:`~datetime.date`, codes are strings
checked against their code list only under the strict validation context (see
:mod:`chorusflow.model.codes`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from chorusflow.model.codes import (
    CREDIT_NOTE_TYPES,
    AllowanceReason,
    ChargeReason,
    ClassificationScheme,
    Country,
    Currency,
    DocumentType,
    EasScheme,
    IcdScheme,
    MimeCode,
    NoteSubject,
    PaymentMeans,
    TaxPointDateCode,
    Unit,
    VatCategory,
    Vatex,
)


class Term(BaseModel):
    """Base of every model class: immutable, no unknown fields, bytes as base64 in JSON."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        ser_json_bytes="base64",
        val_json_bytes="base64",
        str_strip_whitespace=False,
        validate_default=False,
    )


# --- shared shapes ------------------------------------------------------------------------


class Identifier(Term):
    """An identifier with its optional scheme (ISO 6523 ICD, UNTDID 1153, ...)."""

    value: str = Field(description="The identifier.")
    scheme: str | None = Field(None, description="Scheme identifier, e.g. 0009 for a SIRET.")


class PartyIdentifier(Term):
    """A party identifier whose scheme, when given, is an ISO 6523 ICD (BR-CL-10/11)."""

    value: str = Field(description="The identifier.")
    scheme: IcdScheme | None = Field(None, description="ISO 6523 ICD, e.g. 0009 (SIRET).")


class ElectronicAddress(Term):
    """An electronic address with its EAS scheme (BT-34, BT-49)."""

    value: str = Field(description="The address, e.g. a SIRET or an e-mail address.")
    scheme: EasScheme | None = Field(None, description="CEF EAS code, e.g. 0009 or EM.")


class Address(Term):
    """A postal address (BG-5, BG-8, BG-12, BG-15)."""

    line1: str | None = Field(None, description="BT-35/50/64/75 Address line 1")
    line2: str | None = Field(None, description="BT-36/51/65/76 Address line 2")
    line3: str | None = Field(None, description="BT-162/163/164/165 Address line 3")
    city: str | None = Field(None, description="BT-37/52/66/77 City")
    post_code: str | None = Field(None, description="BT-38/53/67/78 Post code")
    subdivision: str | None = Field(None, description="BT-39/54/68/79 Country subdivision")
    country: Country | None = Field(None, description="BT-40/55/69/80 Country code")


class Contact(Term):
    """A contact (BG-6, BG-9)."""

    name: str | None = Field(None, description="BT-41/56 Contact point")
    phone: str | None = Field(None, description="BT-42/57 Contact telephone number")
    email: str | None = Field(None, description="BT-43/58 Contact email address")


class Period(Term):
    """A period (BG-14, BG-26)."""

    start: dt.date | None = Field(None, description="BT-73/134 Period start date")
    end: dt.date | None = Field(None, description="BT-74/135 Period end date")


# --- header groups ------------------------------------------------------------------------


class Note(Term):
    """BG-1 INVOICE NOTE."""

    subject_code: NoteSubject | None = Field(None, description="BT-21 Invoice note subject code")
    text: str | None = Field(None, description="BT-22 Invoice note")


class PrecedingInvoice(Term):
    """BG-3 PRECEDING INVOICE REFERENCE (the invoice a credit note corrects)."""

    reference: str | None = Field(None, description="BT-25 Preceding Invoice reference")
    issue_date: dt.date | None = Field(None, description="BT-26 Preceding Invoice issue date")


class Seller(Term):
    """BG-4 SELLER."""

    name: str | None = Field(None, description="BT-27 Seller name")
    trading_name: str | None = Field(None, description="BT-28 Seller trading name")
    identifiers: tuple[PartyIdentifier, ...] = Field(
        (), description="BT-29 Seller identifier (scheme 0009 for a SIRET)"
    )
    legal_registration: PartyIdentifier | None = Field(
        None, description="BT-30 Seller legal registration identifier (SIRET 0009, SIREN 0002)"
    )
    vat_id: str | None = Field(None, description="BT-31 Seller VAT identifier")
    tax_registration_id: str | None = Field(
        None, description="BT-32 Seller tax registration identifier"
    )
    additional_legal_info: str | None = Field(
        None, description="BT-33 Seller additional legal information"
    )
    electronic_address: ElectronicAddress | None = Field(
        None, description="BT-34 Seller electronic address"
    )
    address: Address | None = Field(None, description="BG-5 SELLER POSTAL ADDRESS")
    contact: Contact | None = Field(None, description="BG-6 SELLER CONTACT")


class Buyer(Term):
    """BG-7 BUYER (for Chorus Pro, the public structure, identified by its SIRET)."""

    name: str | None = Field(None, description="BT-44 Buyer name")
    trading_name: str | None = Field(None, description="BT-45 Buyer trading name")
    identifier: PartyIdentifier | None = Field(
        None, description="BT-46 Buyer identifier (scheme 0009: the SIRET Chorus Pro routes on)"
    )
    legal_registration: PartyIdentifier | None = Field(
        None, description="BT-47 Buyer legal registration identifier"
    )
    vat_id: str | None = Field(None, description="BT-48 Buyer VAT identifier")
    electronic_address: ElectronicAddress | None = Field(
        None, description="BT-49 Buyer electronic address"
    )
    address: Address | None = Field(None, description="BG-8 BUYER POSTAL ADDRESS")
    contact: Contact | None = Field(None, description="BG-9 BUYER CONTACT")


class Payee(Term):
    """BG-10 PAYEE (when someone other than the seller is paid, e.g. a factor)."""

    name: str | None = Field(None, description="BT-59 Payee name")
    identifier: PartyIdentifier | None = Field(None, description="BT-60 Payee identifier")
    legal_registration: PartyIdentifier | None = Field(
        None, description="BT-61 Payee legal registration identifier"
    )


class TaxRepresentative(Term):
    """BG-11 SELLER TAX REPRESENTATIVE PARTY."""

    name: str | None = Field(None, description="BT-62 Seller tax representative name")
    vat_id: str | None = Field(None, description="BT-63 Seller tax representative VAT identifier")
    address: Address | None = Field(
        None, description="BG-12 SELLER TAX REPRESENTATIVE POSTAL ADDRESS"
    )


class Delivery(Term):
    """BG-13 DELIVERY INFORMATION."""

    party_name: str | None = Field(None, description="BT-70 Deliver to party name")
    location_id: PartyIdentifier | None = Field(
        None, description="BT-71 Deliver to location identifier"
    )
    date: dt.date | None = Field(None, description="BT-72 Actual delivery date")
    address: Address | None = Field(None, description="BG-15 DELIVER TO ADDRESS")


class CreditTransfer(Term):
    """BG-17 CREDIT TRANSFER."""

    account_id: str | None = Field(None, description="BT-84 Payment account identifier (IBAN)")
    account_name: str | None = Field(None, description="BT-85 Payment account name")
    provider_id: str | None = Field(
        None, description="BT-86 Payment service provider identifier (BIC)"
    )


class PaymentCard(Term):
    """BG-18 PAYMENT CARD INFORMATION."""

    primary_account_number: str | None = Field(
        None, description="BT-87 Payment card primary account number"
    )
    holder_name: str | None = Field(None, description="BT-88 Payment card holder name")


class DirectDebit(Term):
    """BG-19 DIRECT DEBIT."""

    mandate_reference: str | None = Field(None, description="BT-89 Mandate reference identifier")
    creditor_id: str | None = Field(None, description="BT-90 Bank assigned creditor identifier")
    debited_account_id: str | None = Field(None, description="BT-91 Debited account identifier")


class PaymentInstructions(Term):
    """BG-16 PAYMENT INSTRUCTIONS."""

    means_code: PaymentMeans | None = Field(None, description="BT-81 Payment means type code")
    means_text: str | None = Field(None, description="BT-82 Payment means text")
    remittance_information: str | None = Field(None, description="BT-83 Remittance information")
    credit_transfers: tuple[CreditTransfer, ...] = Field((), description="BG-17 CREDIT TRANSFER")
    card: PaymentCard | None = Field(None, description="BG-18 PAYMENT CARD INFORMATION")
    direct_debit: DirectDebit | None = Field(None, description="BG-19 DIRECT DEBIT")


class DocumentAllowance(Term):
    """BG-20 DOCUMENT LEVEL ALLOWANCES."""

    amount: Decimal | None = Field(None, description="BT-92 Document level allowance amount")
    base_amount: Decimal | None = Field(
        None, description="BT-93 Document level allowance base amount"
    )
    percentage: Decimal | None = Field(
        None, description="BT-94 Document level allowance percentage"
    )
    vat_category: VatCategory | None = Field(
        None, description="BT-95 Document level allowance VAT category code"
    )
    vat_rate: Decimal | None = Field(None, description="BT-96 Document level allowance VAT rate")
    reason: str | None = Field(None, description="BT-97 Document level allowance reason")
    reason_code: AllowanceReason | None = Field(
        None, description="BT-98 Document level allowance reason code"
    )


class DocumentCharge(Term):
    """BG-21 DOCUMENT LEVEL CHARGES."""

    amount: Decimal | None = Field(None, description="BT-99 Document level charge amount")
    base_amount: Decimal | None = Field(
        None, description="BT-100 Document level charge base amount"
    )
    percentage: Decimal | None = Field(None, description="BT-101 Document level charge percentage")
    vat_category: VatCategory | None = Field(
        None, description="BT-102 Document level charge VAT category code"
    )
    vat_rate: Decimal | None = Field(None, description="BT-103 Document level charge VAT rate")
    reason: str | None = Field(None, description="BT-104 Document level charge reason")
    reason_code: ChargeReason | None = Field(
        None, description="BT-105 Document level charge reason code"
    )


class DocumentTotals(Term):
    """BG-22 DOCUMENT TOTALS."""

    line_total: Decimal | None = Field(None, description="BT-106 Sum of Invoice line net amount")
    allowance_total: Decimal | None = Field(
        None, description="BT-107 Sum of allowances on document level"
    )
    charge_total: Decimal | None = Field(
        None, description="BT-108 Sum of charges on document level"
    )
    tax_exclusive: Decimal | None = Field(
        None, description="BT-109 Invoice total amount without VAT"
    )
    tax_total: Decimal | None = Field(None, description="BT-110 Invoice total VAT amount")
    tax_total_accounting: Decimal | None = Field(
        None, description="BT-111 Invoice total VAT amount in accounting currency"
    )
    tax_inclusive: Decimal | None = Field(None, description="BT-112 Invoice total amount with VAT")
    prepaid: Decimal | None = Field(None, description="BT-113 Paid amount")
    rounding: Decimal | None = Field(None, description="BT-114 Rounding amount")
    payable: Decimal | None = Field(None, description="BT-115 Amount due for payment")


class VatBreakdown(Term):
    """BG-23 VAT BREAKDOWN: one per VAT category and rate."""

    taxable_amount: Decimal | None = Field(None, description="BT-116 VAT category taxable amount")
    tax_amount: Decimal | None = Field(None, description="BT-117 VAT category tax amount")
    category: VatCategory | None = Field(None, description="BT-118 VAT category code")
    rate: Decimal | None = Field(None, description="BT-119 VAT category rate")
    exemption_reason: str | None = Field(None, description="BT-120 VAT exemption reason text")
    exemption_reason_code: Vatex | None = Field(
        None, description="BT-121 VAT exemption reason code"
    )


class Attachment(Term):
    """BT-125 Attached document, with its MIME code and file name."""

    content: bytes = Field(description="BT-125 Attached document (base64 in JSON)")
    mime_code: MimeCode | None = Field(None, description="BT-125-1 Attached document Mime code")
    filename: str | None = Field(None, description="BT-125-2 Attached document Filename")


class SupportingDocument(Term):
    """BG-24 ADDITIONAL SUPPORTING DOCUMENTS (Chorus Pro: pièces jointes)."""

    reference: str | None = Field(None, description="BT-122 Supporting document reference")
    description: str | None = Field(None, description="BT-123 Supporting document description")
    uri: str | None = Field(None, description="BT-124 External document location")
    attachment: Attachment | None = Field(None, description="BT-125 Attached document")


# --- lines --------------------------------------------------------------------------------


class LineAllowance(Term):
    """BG-27 INVOICE LINE ALLOWANCES."""

    amount: Decimal | None = Field(None, description="BT-136 Invoice line allowance amount")
    base_amount: Decimal | None = Field(
        None, description="BT-137 Invoice line allowance base amount"
    )
    percentage: Decimal | None = Field(None, description="BT-138 Invoice line allowance percentage")
    reason: str | None = Field(None, description="BT-139 Invoice line allowance reason")
    reason_code: AllowanceReason | None = Field(
        None, description="BT-140 Invoice line allowance reason code"
    )


class LineCharge(Term):
    """BG-28 INVOICE LINE CHARGES."""

    amount: Decimal | None = Field(None, description="BT-141 Invoice line charge amount")
    base_amount: Decimal | None = Field(None, description="BT-142 Invoice line charge base amount")
    percentage: Decimal | None = Field(None, description="BT-143 Invoice line charge percentage")
    reason: str | None = Field(None, description="BT-144 Invoice line charge reason")
    reason_code: ChargeReason | None = Field(
        None, description="BT-145 Invoice line charge reason code"
    )


class Price(Term):
    """BG-29 PRICE DETAILS."""

    net: Decimal | None = Field(None, description="BT-146 Item net price")
    discount: Decimal | None = Field(None, description="BT-147 Item price discount")
    gross: Decimal | None = Field(None, description="BT-148 Item gross price")
    base_quantity: Decimal | None = Field(None, description="BT-149 Item price base quantity")
    base_quantity_unit: Unit | None = Field(
        None, description="BT-150 Item price base quantity unit of measure code"
    )


class LineVat(Term):
    """BG-30 LINE VAT INFORMATION."""

    category: VatCategory | None = Field(None, description="BT-151 Invoiced item VAT category code")
    rate: Decimal | None = Field(None, description="BT-152 Invoiced item VAT rate")


class Classification(Term):
    """BT-158 Item classification identifier with its scheme and scheme version."""

    value: str = Field(description="BT-158 Item classification identifier")
    scheme: ClassificationScheme | None = Field(None, description="BT-158-1 Scheme identifier")
    version: str | None = Field(None, description="BT-158-2 Scheme version identifier")


class ItemAttribute(Term):
    """BG-32 ITEM ATTRIBUTES."""

    name: str | None = Field(None, description="BT-160 Item attribute name")
    value: str | None = Field(None, description="BT-161 Item attribute value")


class Item(Term):
    """BG-31 ITEM INFORMATION."""

    name: str | None = Field(None, description="BT-153 Item name")
    description: str | None = Field(None, description="BT-154 Item description")
    seller_id: str | None = Field(None, description="BT-155 Item Seller's identifier")
    buyer_id: str | None = Field(None, description="BT-156 Item Buyer's identifier")
    standard_id: PartyIdentifier | None = Field(None, description="BT-157 Item standard identifier")
    classifications: tuple[Classification, ...] = Field(
        (), description="BT-158 Item classification identifier"
    )
    origin_country: Country | None = Field(None, description="BT-159 Item country of origin")
    attributes: tuple[ItemAttribute, ...] = Field((), description="BG-32 ITEM ATTRIBUTES")


class InvoiceLine(Term):
    """BG-25 INVOICE LINE."""

    id: str | None = Field(None, description="BT-126 Invoice line identifier")
    note: str | None = Field(None, description="BT-127 Invoice line note")
    object_identifier: Identifier | None = Field(
        None, description="BT-128 Invoice line object identifier"
    )
    quantity: Decimal | None = Field(None, description="BT-129 Invoiced quantity")
    unit: Unit | None = Field(None, description="BT-130 Invoiced quantity unit of measure code")
    net_amount: Decimal | None = Field(
        None, description="BT-131 Invoice line net amount (computed when omitted)"
    )
    order_line_reference: str | None = Field(
        None, description="BT-132 Referenced purchase order line reference"
    )
    accounting_reference: str | None = Field(
        None, description="BT-133 Invoice line Buyer accounting reference"
    )
    period: Period | None = Field(None, description="BG-26 INVOICE LINE PERIOD")
    allowances: tuple[LineAllowance, ...] = Field((), description="BG-27 INVOICE LINE ALLOWANCES")
    charges: tuple[LineCharge, ...] = Field((), description="BG-28 INVOICE LINE CHARGES")
    price: Price | None = Field(None, description="BG-29 PRICE DETAILS")
    vat: LineVat | None = Field(None, description="BG-30 LINE VAT INFORMATION")
    item: Item | None = Field(None, description="BG-31 ITEM INFORMATION")


# --- the invoice --------------------------------------------------------------------------


class Invoice(Term):
    """An EN 16931 invoice or credit note (the type code BT-3 tells which)."""

    number: str | None = Field(None, description="BT-1 Invoice number")
    issue_date: dt.date | None = Field(None, description="BT-2 Invoice issue date")
    type_code: DocumentType | None = Field(
        None, description="BT-3 Invoice type code (380 invoice, 381 credit note, 384, 389 ...)"
    )
    currency: Currency | None = Field(None, description="BT-5 Invoice currency code")
    vat_accounting_currency: Currency | None = Field(
        None, description="BT-6 VAT accounting currency code"
    )
    tax_point_date: dt.date | None = Field(None, description="BT-7 Value added tax point date")
    tax_point_date_code: TaxPointDateCode | None = Field(
        None, description="BT-8 Value added tax point date code"
    )
    due_date: dt.date | None = Field(None, description="BT-9 Payment due date")
    buyer_reference: str | None = Field(
        None, description="BT-10 Buyer reference (Chorus Pro: the service code)"
    )
    project_reference: str | None = Field(None, description="BT-11 Project reference")
    contract_reference: str | None = Field(
        None, description="BT-12 Contract reference (Chorus Pro: numéro de marché)"
    )
    purchase_order_reference: str | None = Field(
        None,
        description="BT-13 Purchase order reference (Chorus Pro: numéro d'engagement juridique)",
    )
    sales_order_reference: str | None = Field(None, description="BT-14 Sales order reference")
    receiving_advice_reference: str | None = Field(
        None, description="BT-15 Receiving advice reference"
    )
    despatch_advice_reference: str | None = Field(
        None, description="BT-16 Despatch advice reference"
    )
    tender_or_lot_reference: str | None = Field(None, description="BT-17 Tender or lot reference")
    invoiced_object_identifier: Identifier | None = Field(
        None, description="BT-18 Invoiced object identifier"
    )
    buyer_accounting_reference: str | None = Field(
        None, description="BT-19 Buyer accounting reference"
    )
    payment_terms: str | None = Field(None, description="BT-20 Payment terms")
    notes: tuple[Note, ...] = Field((), description="BG-1 INVOICE NOTE")
    business_process: str | None = Field(
        None,
        description="BT-23 Business process type (Chorus Pro: cadre de facturation, e.g. A1)",
    )
    specification_identifier: str | None = Field(
        None, description="BT-24 Specification identifier (set by the writer from the profile)"
    )
    preceding_invoices: tuple[PrecedingInvoice, ...] = Field(
        (), description="BG-3 PRECEDING INVOICE REFERENCE"
    )
    seller: Seller | None = Field(None, description="BG-4 SELLER")
    buyer: Buyer | None = Field(None, description="BG-7 BUYER")
    payee: Payee | None = Field(None, description="BG-10 PAYEE")
    tax_representative: TaxRepresentative | None = Field(
        None, description="BG-11 SELLER TAX REPRESENTATIVE PARTY"
    )
    delivery: Delivery | None = Field(None, description="BG-13 DELIVERY INFORMATION")
    invoicing_period: Period | None = Field(None, description="BG-14 INVOICING PERIOD")
    payment: PaymentInstructions | None = Field(None, description="BG-16 PAYMENT INSTRUCTIONS")
    allowances: tuple[DocumentAllowance, ...] = Field(
        (), description="BG-20 DOCUMENT LEVEL ALLOWANCES"
    )
    charges: tuple[DocumentCharge, ...] = Field((), description="BG-21 DOCUMENT LEVEL CHARGES")
    totals: DocumentTotals | None = Field(
        None, description="BG-22 DOCUMENT TOTALS (computed when omitted)"
    )
    vat_breakdown: tuple[VatBreakdown, ...] = Field(
        (), description="BG-23 VAT BREAKDOWN (computed when omitted)"
    )
    supporting_documents: tuple[SupportingDocument, ...] = Field(
        (), description="BG-24 ADDITIONAL SUPPORTING DOCUMENTS"
    )
    lines: tuple[InvoiceLine, ...] = Field((), description="BG-25 INVOICE LINE")

    @property
    def is_credit_note(self) -> bool:
        """True for the UNTDID 1001 credit-note codes (381, 396, ...)."""
        return self.type_code in CREDIT_NOTE_TYPES
