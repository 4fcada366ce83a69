"""Native findings placed in the CII file: each model term's XPath names its element."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from lxml import etree

from chorusflow.formats.cii import read_cii, write_cii
from chorusflow.formats.cii.mapping import IBAN_SHAPE, NSMAP
from chorusflow.formats.model_json import read_json
from chorusflow.formats.profiles import NS_CAC, NS_CBC
from chorusflow.formats.ubl import read_ubl, write_ubl
from chorusflow.formats.xml import parse_xml
from chorusflow.model import Invoice
from chorusflow.rules.locate import cii_xpath, pointer_keys, ubl_xpath
from tests.conftest import CORPUS, example_paths

NAMESPACES = {prefix: uri for prefix, uri in NSMAP.items() if prefix}
DOCUMENTS = [pytest.param(p.read_bytes, id=p.stem) for p in example_paths()] + [
    pytest.param(p.read_bytes, id=p.stem)
    for p in sorted((CORPUS / "cii" / "examples").glob("*.xml"))
]


def leaves(value: Any, trail: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{trail}/{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from leaves(item, f"{trail}/{index}")
    elif value is not None:
        yield trail, value


def cii_of(data: bytes) -> bytes:
    return data if data.lstrip().startswith(b"<") else write_cii(read_json(data))


def misplaced_account(pointer: str, value: Any) -> bool:
    """An account the file writes as IBANID though it is no IBAN (CEN placeholders): its
    XPath is the ProprietaryID the writer would use, the one place that differs."""
    return pointer.endswith("/account_id") and not IBAN_SHAPE.fullmatch(str(value))


@pytest.mark.parametrize("read", DOCUMENTS)
def test_every_term_of_the_invoice_is_placed_on_its_own_element(read: Any) -> None:
    root = parse_xml(cii_of(read()))
    invoice = read_cii(root)
    placed = 0
    for pointer, value in leaves(invoice.model_dump()):
        xpath = cii_xpath(pointer, invoice, root)
        assert xpath is not None, pointer
        nodes = root.xpath(xpath, namespaces=NAMESPACES)
        if misplaced_account(pointer, value):
            continue
        assert len(nodes) == 1, (pointer, xpath)
        if isinstance(value, str) and not pointer.endswith(("_code", "/scheme", "/content")):
            node = nodes[0]
            text = node if isinstance(node, str) else node.text or ""
            assert text.strip() == value.strip(), (pointer, xpath)
        placed += 1
    assert placed > 10


def test_a_missing_term_is_placed_where_it_belongs() -> None:
    invoice = read_json(example_paths()[0].read_bytes()).model_copy(
        update={"purchase_order_reference": None, "tax_point_date": None}
    )
    root = parse_xml(write_cii(invoice))
    read = read_cii(root)
    assert cii_xpath("/purchase_order_reference", read, root) == (
        "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
        "/ram:ApplicableHeaderTradeAgreement/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"
    )
    assert cii_xpath("/tax_point_date", read, root) == (
        "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
        "/ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:TaxPointDate"
        "/udt:DateString"
    )


def test_lines_lists_and_attributes() -> None:
    invoice = read_json(next(p for p in example_paths() if p.stem == "several-rates").read_bytes())
    root = parse_xml(write_cii(invoice))
    read = read_cii(root)
    transaction = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
    line = f"{transaction}/ram:IncludedSupplyChainTradeLineItem"
    assert cii_xpath("/lines/1", read, root) == f"{line}[2]"
    assert cii_xpath("/lines", read, root) == f"{line}[1]"
    assert cii_xpath("/buyer/identifier/scheme", read, root) == (
        "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
        "/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty/ram:GlobalID/@schemeID"
    )
    assert cii_xpath("/nothing/here", read, root) is None
    assert cii_xpath("", Invoice(), root) is None


def test_pointers_follow_rfc_6901() -> None:
    assert pointer_keys("/lines/2/net_amount") == ("lines", 2, "net_amount")
    assert pointer_keys("/a~1b/c~0d") == ("a/b", "c~d")
    assert pointer_keys("") == ()


UBL_DOCUMENTS = [pytest.param(p.read_bytes, id=p.stem) for p in example_paths()] + [
    pytest.param(p.read_bytes, id=p.stem)
    for p in sorted((CORPUS / "ubl" / "examples").glob("*.[xX][mM][lL]"))
]


def ubl_of(data: bytes) -> bytes:
    return data if data.lstrip().startswith(b"<") else write_ubl(read_json(data))


def shaped_away(pointer: str) -> bool:
    """Terms UBL writes combined with another, so no element holds them alone: the note
    subject (inside the note text, ``#AAI#...``) and a BT-111 equal to BT-110 (one TaxTotal
    is both)."""
    return pointer.startswith("/notes/") or pointer == "/totals/tax_total_accounting"


@pytest.mark.parametrize("read", UBL_DOCUMENTS)
def test_every_term_of_a_ubl_invoice_is_placed_on_its_own_element(read: Any) -> None:
    root = parse_xml(ubl_of(read()))
    invoice = read_ubl(root)
    namespaces = {"cac": NS_CAC, "cbc": NS_CBC, "doc": root.nsmap[None]}
    placed = 0
    for pointer, value in leaves(invoice.model_dump()):
        xpath = ubl_xpath(pointer, invoice, root)
        if shaped_away(pointer) and xpath is None:
            continue
        assert xpath is not None and xpath.startswith("/" + etree.QName(root).localname), pointer
        nodes = root.xpath("/doc:" + xpath[1:], namespaces=namespaces)
        assert len(nodes) == 1, (pointer, xpath)
        if isinstance(value, str) and not pointer.endswith(("_code", "/scheme", "/content")):
            node = nodes[0]
            text = node if isinstance(node, str) else node.text or ""
            assert text.strip() == value.strip(), (pointer, xpath)
        placed += 1
    assert placed > 10
