"""From a deposited file to the invoice the checks judge: syntax, XML and routing data.

The sandbox reads only what Chorus Pro routes and reports on: number, type, dates, parties'
SIRETs, service code, engagement and contract numbers, cadre, currency and totals. It reads
them at the EN 16931 places (model/routing.py), through the safe XML parser.

A Factur-X PDF gives its XML through ``formats.facturx.extract_xml``. Until the project's
CII and UBL readers (formats.cii / formats.ubl) are on main, this module reads those few
terms itself; the checks use the official XSD and schematron on the XML, so nothing here
decides whether an invoice is valid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lxml import etree

from chorusflow.errors import InputError
from chorusflow.formats.facturx import extract_xml
from chorusflow.formats.profiles import (
    NS_CAC,
    NS_CBC,
    NS_CII,
    NS_RAM,
    NS_UBL_CREDIT_NOTE,
    NS_UBL_INVOICE,
    Profile,
    Syntax,
)
from chorusflow.formats.xml import namespace, parse_xml
from chorusflow.model import (
    Buyer,
    DocumentTotals,
    ElectronicAddress,
    Invoice,
    PartyIdentifier,
    Seller,
)
from chorusflow.rules.official import Artefact

_NS = {
    "rsm": NS_CII,
    "ram": NS_RAM,
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "cac": NS_CAC,
    "cbc": NS_CBC,
}


@dataclass(frozen=True, slots=True)
class ReadInvoice:
    """An invoice file as the sandbox understood it."""

    syntax: Syntax
    xml: bytes
    root: etree._Element
    invoice: Invoice
    artefact: Artefact


def _text(root: etree._Element, path: str) -> str | None:
    found = root.xpath(path, namespaces=_NS)
    if isinstance(found, list) and found:
        first = found[0]
        value = first.text if isinstance(first, etree._Element) else str(first)
        value = (value or "").strip()
        return value or None
    return None


def _amount(root: etree._Element, path: str) -> Decimal | None:
    value = _text(root, path)
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def _ids(root: etree._Element, path: str) -> list[PartyIdentifier]:
    out = []
    for element in root.xpath(path, namespaces=_NS):  # type: ignore[union-attr]
        text = (element.text or "").strip() if isinstance(element, etree._Element) else ""
        if text and isinstance(element, etree._Element):
            out.append(PartyIdentifier(value=text, scheme=element.get("schemeID")))
    return out


def _address(root: etree._Element, path: str) -> ElectronicAddress | None:
    for element in root.xpath(path, namespaces=_NS):  # type: ignore[union-attr]
        text = (element.text or "").strip() if isinstance(element, etree._Element) else ""
        if text and isinstance(element, etree._Element):
            return ElectronicAddress(value=text, scheme=element.get("schemeID"))
    return None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        if len(value) == 8 and value.isdigit():
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _cii(root: etree._Element) -> Invoice:
    agreement = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
    seller = f"{agreement}/ram:SellerTradeParty"
    buyer = f"{agreement}/ram:BuyerTradeParty"
    summation = (
        "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/"
        "ram:SpecifiedTradeSettlementHeaderMonetarySummation"
    )
    legal_seller = _ids(root, f"{seller}/ram:SpecifiedLegalOrganization/ram:ID")
    legal_buyer = _ids(root, f"{buyer}/ram:SpecifiedLegalOrganization/ram:ID")
    buyer_ids = _ids(root, f"{buyer}/ram:GlobalID") or _ids(root, f"{buyer}/ram:ID")
    return Invoice(
        number=_text(root, "rsm:ExchangedDocument/ram:ID"),
        type_code=_text(root, "rsm:ExchangedDocument/ram:TypeCode"),
        issue_date=_date(_text(root, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString")),
        currency=_text(
            root,
            "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/"
            "ram:InvoiceCurrencyCode",
        ),
        business_process=_text(
            root,
            "rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/"
            "ram:ID",
        ),
        buyer_reference=_text(root, f"{agreement}/ram:BuyerReference"),
        purchase_order_reference=_text(
            root, f"{agreement}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"
        ),
        contract_reference=_text(
            root, f"{agreement}/ram:ContractReferencedDocument/ram:IssuerAssignedID"
        ),
        seller=Seller(
            name=_text(root, f"{seller}/ram:Name"),
            identifiers=tuple(
                _ids(root, f"{seller}/ram:GlobalID") + _ids(root, f"{seller}/ram:ID")
            ),
            legal_registration=legal_seller[0] if legal_seller else None,
            electronic_address=_address(root, f"{seller}/ram:URIUniversalCommunication/ram:URIID"),
        ),
        buyer=Buyer(
            name=_text(root, f"{buyer}/ram:Name"),
            identifier=buyer_ids[0] if buyer_ids else None,
            legal_registration=legal_buyer[0] if legal_buyer else None,
            electronic_address=_address(root, f"{buyer}/ram:URIUniversalCommunication/ram:URIID"),
        ),
        totals=DocumentTotals(
            tax_exclusive=_amount(root, f"{summation}/ram:TaxBasisTotalAmount"),
            tax_total=_amount(root, f"{summation}/ram:TaxTotalAmount"),
            tax_inclusive=_amount(root, f"{summation}/ram:GrandTotalAmount"),
            payable=_amount(root, f"{summation}/ram:DuePayableAmount"),
        ),
    )


def _ubl(root: etree._Element) -> Invoice:
    seller = "cac:AccountingSupplierParty/cac:Party"
    buyer = "cac:AccountingCustomerParty/cac:Party"
    legal_seller = _ids(root, f"{seller}/cac:PartyLegalEntity/cbc:CompanyID")
    legal_buyer = _ids(root, f"{buyer}/cac:PartyLegalEntity/cbc:CompanyID")
    buyer_ids = _ids(root, f"{buyer}/cac:PartyIdentification/cbc:ID")
    return Invoice(
        number=_text(root, "cbc:ID"),
        type_code=_text(root, "cbc:InvoiceTypeCode") or _text(root, "cbc:CreditNoteTypeCode"),
        issue_date=_date(_text(root, "cbc:IssueDate")),
        currency=_text(root, "cbc:DocumentCurrencyCode"),
        business_process=_text(root, "cbc:ProfileID"),
        buyer_reference=_text(root, "cbc:BuyerReference"),
        purchase_order_reference=_text(root, "cac:OrderReference/cbc:ID"),
        contract_reference=_text(root, "cac:ContractDocumentReference/cbc:ID"),
        seller=Seller(
            name=_text(root, f"{seller}/cac:PartyLegalEntity/cbc:RegistrationName"),
            identifiers=tuple(_ids(root, f"{seller}/cac:PartyIdentification/cbc:ID")),
            legal_registration=legal_seller[0] if legal_seller else None,
            electronic_address=_address(root, f"{seller}/cbc:EndpointID"),
        ),
        buyer=Buyer(
            name=_text(root, f"{buyer}/cac:PartyLegalEntity/cbc:RegistrationName"),
            identifier=buyer_ids[0] if buyer_ids else None,
            legal_registration=legal_buyer[0] if legal_buyer else None,
            electronic_address=_address(root, f"{buyer}/cbc:EndpointID"),
        ),
        totals=DocumentTotals(
            tax_exclusive=_amount(root, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount"),
            tax_total=_amount(root, "cac:TaxTotal/cbc:TaxAmount"),
            tax_inclusive=_amount(root, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount"),
            payable=_amount(root, "cac:LegalMonetaryTotal/cbc:PayableAmount"),
        ),
    )


def read_invoice_file(data: bytes) -> ReadInvoice:
    """Read a Factur-X PDF, a CII or a UBL invoice; InputError when it is none of them."""
    if data[:5] == b"%PDF-":
        xml = extract_xml(data).xml
        pdf = True
    else:
        xml, pdf = data, False
    root = parse_xml(xml, "fichier de facture")
    ns = namespace(root)
    if ns == NS_CII:
        urn = _text(
            root,
            "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
        )
        profile = Profile.from_urn(urn) or Profile.EN16931
        return ReadInvoice(
            Syntax.FACTURX if pdf else Syntax.CII,
            xml,
            root,
            _cii(root),
            Artefact.for_profile(profile),
        )
    if ns in (NS_UBL_INVOICE, NS_UBL_CREDIT_NOTE) and not pdf:
        artefact = Artefact.UBL_INVOICE if ns == NS_UBL_INVOICE else Artefact.UBL_CREDIT_NOTE
        return ReadInvoice(Syntax.UBL, xml, root, _ubl(root), artefact)
    raise InputError(f"Le document XML n'est ni une facture CII ni une facture UBL ({ns}).")
