"""One meaning for empty groups in both syntaxes: a group element that is there but empty is
a group that is there but empty in the model, and back; the rules see it either way."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree

from chorusflow.formats import cii, ubl
from chorusflow.formats.model_json import read_json
from chorusflow.formats.profiles import NS_CAC, NS_CBC, NS_CII, NS_RAM, NS_UBL_INVOICE
from chorusflow.formats.xml import parse_xml
from chorusflow.model import (
    Address,
    Contact,
    CreditTransfer,
    Delivery,
    DirectDebit,
    Invoice,
    Item,
    ItemAttribute,
    LineAllowance,
    Note,
    Payee,
    PaymentCard,
    PaymentInstructions,
    Period,
    PrecedingInvoice,
    Seller,
    SupportingDocument,
    TaxRepresentative,
)
from chorusflow.rules.en16931 import check_en16931
from tests.conftest import EXAMPLES

UBL_EMPTY = f"""<Invoice xmlns="{NS_UBL_INVOICE}" xmlns:cac="{NS_CAC}" xmlns:cbc="{NS_CBC}">
  <cac:InvoicePeriod/>
  <cac:AccountingSupplierParty><cac:Party><cac:PostalAddress/></cac:Party>
  </cac:AccountingSupplierParty>
  <cac:PaymentMeans/>
</Invoice>"""

CII_EMPTY = f"""<rsm:CrossIndustryInvoice xmlns:rsm="{NS_CII}" xmlns:ram="{NS_RAM}">
  <rsm:SupplyChainTradeTransaction>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:SellerTradeParty><ram:PostalTradeAddress/></ram:SellerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:SpecifiedTradeSettlementPaymentMeans/>
      <ram:BillingSpecifiedPeriod/>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>"""

Reader = Callable[[etree._Element], Invoice]
Writer = Callable[[Invoice], bytes]
SYNTAXES: dict[str, tuple[Writer, Reader, Callable[[Invoice], Invoice]]] = {
    "cii": (cii.write_cii, cii.read_cii, cii.as_written),
    "ubl": (ubl.write_ubl, ubl.read_ubl, ubl.as_written),
}


@pytest.mark.parametrize(("read", "xml"), [(ubl.read_ubl, UBL_EMPTY), (cii.read_cii, CII_EMPTY)])
def test_an_empty_group_element_reads_as_an_empty_group(read: Reader, xml: str) -> None:
    invoice = read(parse_xml(xml.encode()))
    assert invoice == Invoice(
        seller=Seller(address=Address()),
        payment=PaymentInstructions(),
        invoicing_period=Period(),
    )
    # what the official rules say of such a file: a seller address lacking its country, a
    # payment lacking its means code, an invoicing period lacking both dates
    assert {"BR-09", "BR-49", "BR-CO-19"} <= {f.rule for f in check_en16931(invoice)}


def _with_empty_groups() -> Invoice:
    """An example whose optional groups are there but empty, each where both syntaxes have
    an element of its own for it."""
    invoice = read_json((EXAMPLES / "simple-invoice.json").read_bytes())
    assert invoice.seller and invoice.buyer and invoice.lines[0].item
    line = invoice.lines[0]
    item = line.item.model_copy(update={"attributes": (ItemAttribute(),)})  # type: ignore[union-attr]
    return invoice.model_copy(
        update={
            "seller": invoice.seller.model_copy(
                update={"address": Address(), "contact": Contact()}
            ),
            "buyer": invoice.buyer.model_copy(update={"contact": Contact()}),
            "tax_representative": TaxRepresentative(address=Address()),
            "delivery": Delivery(address=Address()),
            "invoicing_period": Period(),
            "payment": PaymentInstructions(card=PaymentCard()),
            "payee": Payee(),
            "preceding_invoices": (PrecedingInvoice(),),
            "supporting_documents": (SupportingDocument(),),
            "lines": (
                line.model_copy(
                    update={"period": Period(), "allowances": (LineAllowance(),), "item": item}
                ),
                *invoice.lines[1:],
            ),
        }
    )


EMPTY_ELEMENTS = {
    "cii": (
        b"<ram:PostalTradeAddress/>",
        b"<ram:DefinedTradeContact/>",
        b"<ram:BillingSpecifiedPeriod/>",
        b"<ram:SpecifiedTradeSettlementPaymentMeans>\n",
        b"<ram:ApplicableTradeSettlementFinancialCard/>",
        b"<ram:PayeeTradeParty/>",
        b"<ram:InvoiceReferencedDocument/>",
        b"<ram:ApplicableProductCharacteristic/>",
    ),
    "ubl": (
        b"<cac:PostalAddress/>",
        b"<cac:Contact/>",
        b"<cac:InvoicePeriod/>",
        b"<cac:PaymentMeans>\n",
        b"<cac:PayeeParty/>",
        b"<cac:BillingReference/>",
        b"<cac:AdditionalDocumentReference/>",
        b"<cac:AdditionalItemProperty/>",
    ),
}


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_empty_groups_are_written_as_empty_elements_and_read_back(syntax: str) -> None:
    write, read, as_written = SYNTAXES[syntax]
    invoice = _with_empty_groups()
    xml = write(invoice)
    for element in EMPTY_ELEMENTS[syntax]:
        assert element in xml
    back = read(parse_xml(xml))
    assert back == as_written(invoice)
    assert back.payment == PaymentInstructions(card=PaymentCard())


def test_both_syntaxes_read_the_same_empty_groups_and_the_rules_see_the_same() -> None:
    invoice = _with_empty_groups()
    (cii_back, ubl_back) = (read(parse_xml(write(invoice))) for write, read, _ in SYNTAXES.values())
    for group in ("seller", "buyer", "tax_representative", "delivery", "invoicing_period"):
        assert getattr(cii_back, group) == getattr(ubl_back, group) == getattr(invoice, group)
    assert cii_back.lines[0].period == ubl_back.lines[0].period == Period()
    rules = {f.rule for f in check_en16931(cii_back)}
    assert rules == {f.rule for f in check_en16931(ubl_back)}
    assert {"BR-09", "BR-20", "BR-49", "BR-55", "BR-57", "BR-CO-19", "BR-CO-20"} <= rules


def test_an_empty_group_with_no_element_of_its_own_is_not_written() -> None:
    """CII has no element of its own for a credit transfer account (BG-17) or a direct debit
    (BG-19): their terms sit in several elements. UBL has none for an item (``cac:Item``
    also holds the line's VAT) or a note (a note is its text)."""
    invoice = read_json((EXAMPLES / "simple-invoice.json").read_bytes())
    line = invoice.lines[0].model_copy(update={"item": Item()})
    odd = invoice.model_copy(
        update={
            "payment": PaymentInstructions(
                means_code="30", credit_transfers=(CreditTransfer(),), direct_debit=DirectDebit()
            ),
            "notes": (Note(),),
            "lines": (line, *invoice.lines[1:]),
        }
    )
    from_cii = cii.read_cii(parse_xml(cii.write_cii(odd)))
    assert from_cii.payment == PaymentInstructions(means_code="30")
    assert (from_cii.notes, from_cii.lines[0].item) == ((Note(),), Item())
    from_ubl = ubl.read_ubl(parse_xml(ubl.write_ubl(odd)))
    assert from_ubl.payment == odd.payment
    assert (from_ubl.notes, from_ubl.lines[0].item) == ((), None)
