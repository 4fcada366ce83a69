"""Small invoices in UBL, CII and Factur-X for the sandbox tests and bench.

They are written here from templates (not by the project's writers, which live on other
branches until they land) and pass the official XSD and EN 16931 schematron; a test checks it.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

SUPPLIER = "90123456700005"
BUYER_NONE = "12345678200051"
BUYER_SERVICE = "12345678200028"
BUYER_ENGAGEMENT = "12345678200036"


@dataclass(frozen=True)
class Facture:
    number: str
    seller: str = SUPPLIER
    buyer: str = BUYER_NONE
    service: str | None = None
    engagement: str | None = None
    net: Decimal = Decimal("100.00")
    credit_note: bool = False

    @property
    def vat(self) -> Decimal:
        return (self.net * Decimal("0.20")).quantize(Decimal("0.01"))

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


def ubl(f: Facture) -> bytes:
    root = "CreditNote" if f.credit_note else "Invoice"
    type_tag = "CreditNoteTypeCode" if f.credit_note else "InvoiceTypeCode"
    line = "CreditNoteLine" if f.credit_note else "InvoiceLine"
    quantity = "CreditedQuantity" if f.credit_note else "InvoicedQuantity"
    service = f"<cbc:BuyerReference>{escape(f.service)}</cbc:BuyerReference>" if f.service else ""
    order = (
        f"<cac:OrderReference><cbc:ID>{escape(f.engagement)}</cbc:ID></cac:OrderReference>"
        if f.engagement
        else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>
<cbc:ProfileID>A1</cbc:ProfileID>
<cbc:ID>{escape(f.number)}</cbc:ID>
<cbc:IssueDate>2026-11-07</cbc:IssueDate>
<cbc:{type_tag}>{"381" if f.credit_note else "380"}</cbc:{type_tag}>
<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
{service}{order}
<cac:AccountingSupplierParty><cac:Party>
<cbc:EndpointID schemeID="0009">{f.seller}</cbc:EndpointID>
<cac:PartyIdentification><cbc:ID schemeID="0009">{f.seller}</cbc:ID></cac:PartyIdentification>
<cac:PostalAddress><cbc:CityName>Lyon</cbc:CityName><cbc:PostalZone>69002</cbc:PostalZone>
<cac:Country><cbc:IdentificationCode>FR</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
<cac:PartyTaxScheme><cbc:CompanyID>FR15901234567</cbc:CompanyID>
<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
<cac:PartyLegalEntity><cbc:RegistrationName>Atelier Lumière SARL</cbc:RegistrationName>
<cbc:CompanyID schemeID="0009">{f.seller}</cbc:CompanyID></cac:PartyLegalEntity>
</cac:Party></cac:AccountingSupplierParty>
<cac:AccountingCustomerParty><cac:Party>
<cbc:EndpointID schemeID="0009">{f.buyer}</cbc:EndpointID>
<cac:PartyIdentification><cbc:ID schemeID="0009">{f.buyer}</cbc:ID></cac:PartyIdentification>
<cac:PostalAddress><cbc:CityName>Paris</cbc:CityName><cbc:PostalZone>75001</cbc:PostalZone>
<cac:Country><cbc:IdentificationCode>FR</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
<cac:PartyLegalEntity><cbc:RegistrationName>Acheteur public</cbc:RegistrationName>
<cbc:CompanyID schemeID="0009">{f.buyer}</cbc:CompanyID></cac:PartyLegalEntity>
</cac:Party></cac:AccountingCustomerParty>
<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>
<cac:PayeeFinancialAccount><cbc:ID>FR7630006000011234567890189</cbc:ID></cac:PayeeFinancialAccount>
</cac:PaymentMeans>
<cac:TaxTotal><cbc:TaxAmount currencyID="EUR">{f.vat}</cbc:TaxAmount>
<cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">{f.net}</cbc:TaxableAmount>
<cbc:TaxAmount currencyID="EUR">{f.vat}</cbc:TaxAmount>
<cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>20</cbc:Percent>
<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>
</cac:TaxTotal>
<cac:LegalMonetaryTotal>
<cbc:LineExtensionAmount currencyID="EUR">{f.net}</cbc:LineExtensionAmount>
<cbc:TaxExclusiveAmount currencyID="EUR">{f.net}</cbc:TaxExclusiveAmount>
<cbc:TaxInclusiveAmount currencyID="EUR">{f.gross}</cbc:TaxInclusiveAmount>
<cbc:PayableAmount currencyID="EUR">{f.gross}</cbc:PayableAmount>
</cac:LegalMonetaryTotal>
<cac:{line}><cbc:ID>1</cbc:ID>
<cbc:{quantity} unitCode="C62">1</cbc:{quantity}>
<cbc:LineExtensionAmount currencyID="EUR">{f.net}</cbc:LineExtensionAmount>
<cac:Item><cbc:Name>Prestation</cbc:Name>
<cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>20</cbc:Percent>
<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
<cac:Price><cbc:PriceAmount currencyID="EUR">{f.net}</cbc:PriceAmount></cac:Price>
</cac:{line}>
</{root}>
""".encode()


def cii(f: Facture) -> bytes:
    service = f"<ram:BuyerReference>{escape(f.service)}</ram:BuyerReference>" if f.service else ""
    order = (
        "<ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>"
        f"{escape(f.engagement)}</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>"
        if f.engagement
        else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
<rsm:ExchangedDocumentContext>
<ram:BusinessProcessSpecifiedDocumentContextParameter><ram:ID>A1</ram:ID>
</ram:BusinessProcessSpecifiedDocumentContextParameter>
<ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID>
</ram:GuidelineSpecifiedDocumentContextParameter>
</rsm:ExchangedDocumentContext>
<rsm:ExchangedDocument><ram:ID>{escape(f.number)}</ram:ID>
<ram:TypeCode>{"381" if f.credit_note else "380"}</ram:TypeCode>
<ram:IssueDateTime><udt:DateTimeString format="102">20261107</udt:DateTimeString>
</ram:IssueDateTime>
</rsm:ExchangedDocument>
<rsm:SupplyChainTradeTransaction>
<ram:IncludedSupplyChainTradeLineItem>
<ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
<ram:SpecifiedTradeProduct><ram:Name>Prestation</ram:Name></ram:SpecifiedTradeProduct>
<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice>
<ram:ChargeAmount>{f.net}</ram:ChargeAmount></ram:NetPriceProductTradePrice>
</ram:SpecifiedLineTradeAgreement>
<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">1</ram:BilledQuantity>
</ram:SpecifiedLineTradeDelivery>
<ram:SpecifiedLineTradeSettlement>
<ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
<ram:RateApplicablePercent>20</ram:RateApplicablePercent></ram:ApplicableTradeTax>
<ram:SpecifiedTradeSettlementLineMonetarySummation>
<ram:LineTotalAmount>{f.net}</ram:LineTotalAmount>
</ram:SpecifiedTradeSettlementLineMonetarySummation>
</ram:SpecifiedLineTradeSettlement>
</ram:IncludedSupplyChainTradeLineItem>
<ram:ApplicableHeaderTradeAgreement>
{service}
<ram:SellerTradeParty><ram:Name>Atelier Lumière SARL</ram:Name>
<ram:SpecifiedLegalOrganization><ram:ID schemeID="0009">{f.seller}</ram:ID>
</ram:SpecifiedLegalOrganization>
<ram:PostalTradeAddress><ram:PostcodeCode>69002</ram:PostcodeCode><ram:CityName>Lyon</ram:CityName>
<ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
<ram:URIUniversalCommunication><ram:URIID schemeID="0009">{f.seller}</ram:URIID>
</ram:URIUniversalCommunication>
<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR15901234567</ram:ID>
</ram:SpecifiedTaxRegistration>
</ram:SellerTradeParty>
<ram:BuyerTradeParty><ram:GlobalID schemeID="0009">{f.buyer}</ram:GlobalID>
<ram:Name>Acheteur public</ram:Name>
<ram:SpecifiedLegalOrganization><ram:ID schemeID="0009">{f.buyer}</ram:ID>
</ram:SpecifiedLegalOrganization>
<ram:PostalTradeAddress><ram:PostcodeCode>75001</ram:PostcodeCode>
<ram:CityName>Paris</ram:CityName><ram:CountryID>FR</ram:CountryID></ram:PostalTradeAddress>
<ram:URIUniversalCommunication><ram:URIID schemeID="0009">{f.buyer}</ram:URIID>
</ram:URIUniversalCommunication>
</ram:BuyerTradeParty>
{order}
</ram:ApplicableHeaderTradeAgreement>
<ram:ApplicableHeaderTradeDelivery/>
<ram:ApplicableHeaderTradeSettlement>
<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>30</ram:TypeCode>
<ram:PayeePartyCreditorFinancialAccount><ram:IBANID>FR7630006000011234567890189</ram:IBANID>
</ram:PayeePartyCreditorFinancialAccount>
</ram:SpecifiedTradeSettlementPaymentMeans>
<ram:ApplicableTradeTax><ram:CalculatedAmount>{f.vat}</ram:CalculatedAmount>
<ram:TypeCode>VAT</ram:TypeCode>
<ram:BasisAmount>{f.net}</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>
<ram:RateApplicablePercent>20</ram:RateApplicablePercent></ram:ApplicableTradeTax>
<ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime>
<udt:DateTimeString format="102">20261207</udt:DateTimeString></ram:DueDateDateTime>
</ram:SpecifiedTradePaymentTerms>
<ram:SpecifiedTradeSettlementHeaderMonetarySummation>
<ram:LineTotalAmount>{f.net}</ram:LineTotalAmount>
<ram:TaxBasisTotalAmount>{f.net}</ram:TaxBasisTotalAmount>
<ram:TaxTotalAmount currencyID="EUR">{f.vat}</ram:TaxTotalAmount>
<ram:GrandTotalAmount>{f.gross}</ram:GrandTotalAmount>
<ram:DuePayableAmount>{f.gross}</ram:DuePayableAmount>
</ram:SpecifiedTradeSettlementHeaderMonetarySummation>
</ram:ApplicableHeaderTradeSettlement>
</rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
""".encode()


def facturx(f: Facture) -> bytes:
    """A PDF carrying the CII invoice as factur-x.xml (embedded by the project's embed_xml)."""
    from fpdf import FPDF

    from chorusflow.formats.facturx import embed_xml
    from chorusflow.formats.profiles import Profile

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, f"Facture {f.number}")
    return embed_xml(bytes(pdf.output()), cii(f), Profile.EN16931)


def tar_gz(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
