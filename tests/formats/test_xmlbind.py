"""The declaration engine: one declaration reads and writes; order, omission and fillers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace as Obj

import pytest
from lxml import etree

from chorusflow.errors import InputError
from chorusflow.formats.xml import parse_xml
from chorusflow.formats.xmlbind import (
    BASE64,
    BOOL,
    CODE,
    DATE,
    DECIMAL,
    Attr,
    El,
    Kind,
    UnreadableError,
    Value,
    Vocabulary,
    none_of,
    read,
    write,
)

X = Vocabulary({"x": "urn:x"})
NSMAP = {None: "urn:x"}
el, leaf, fixed = X.el, X.leaf, X.fixed

ORDER = el(
    "x:Order",
    leaf("x:Number", "number"),
    leaf("x:Date", "date", DATE),
    leaf("x:Terms/x:Text", "terms"),
    el("x:Note", Value(""), field="notes", many=True),
    el(
        "x:Buyer",
        leaf("x:Name", "name"),
        el("x:Id", Value("id"), Attr("scheme", "scheme")),
        fixed("x:Role/@code", "BY"),
        field="buyer",
    ),
    el(
        "x:Line",
        leaf("x:Qty", "qty", DECIMAL),
        el("x:Price", Value("price", DECIMAL), Attr("currency", "/currency", read=False)),
        leaf("x:Ref", "ref", filler="NA"),
        field="lines",
        many=True,
        when=none_of(X.text_in("x:Qty", "0")),
    ),
)


def xml(element: etree._Element) -> str:
    return etree.tostring(element, encoding="unicode")


def test_writes_in_declaration_order_and_omits_what_holds_nothing() -> None:
    order = Obj(
        number="A1",
        date=None,
        terms=None,
        currency="EUR",
        notes=("n1", "n2"),
        buyer=Obj(name=None, id="9", scheme=None),
        lines=(Obj(qty=Decimal("2.50"), price=None, ref=None),),
    )
    written = xml(write(ORDER, order, NSMAP))
    assert written == (
        '<Order xmlns="urn:x"><Number>A1</Number><Note>n1</Note><Note>n2</Note>'
        '<Buyer><Id>9</Id><Role code="BY"/></Buyer>'
        "<Line><Qty>2.50</Qty><Ref>NA</Ref></Line></Order>"
    )


def test_reads_what_it_writes_in_any_order_and_first_value_wins() -> None:
    root = parse_xml(
        b'<Order xmlns="urn:x"><Line><Ref>NA</Ref><Qty>1</Qty><Price currency="X">3</Price>'
        b"</Line><Line><Qty>0</Qty></Line><Buyer><Id scheme=' 0009 '>12</Id></Buyer>"
        b"<Date>2026-01-02+01:00</Date><Number>A</Number><Number>B</Number></Order>"
    )
    assert read(root, ORDER) == {
        "number": "A",
        "date": dt.date(2026, 1, 2),
        "buyer": {"id": "12", "scheme": "0009"},
        "lines": [{"qty": Decimal(1), "price": Decimal(3)}],  # filler reads as absent
    }


def test_an_object_is_there_even_empty_but_a_wrapper_needs_a_value() -> None:
    order = Obj(number=None, date=None, terms=None, notes=(), lines=())
    written = write(ORDER, Obj(**vars(order), buyer=Obj(name=None, id=None, scheme=None)), NSMAP)
    assert xml(written) == '<Order xmlns="urn:x"><Buyer><Role code="BY"/></Buyer></Order>'
    assert xml(write(ORDER, Obj(**vars(order), buyer=None), NSMAP)) == '<Order xmlns="urn:x"/>'
    assert read(parse_xml(b'<Order xmlns="urn:x"><Terms/><Buyer/></Order>'), ORDER) == {
        "buyer": {}  # the rules must see a buyer that lacks its name; Terms holds nothing
    }
    assert read(parse_xml(b'<Order xmlns="urn:x"><Terms><Text/></Terms></Order>'), ORDER) == {
        "terms": ""  # blank text is there
    }


def test_a_number_is_not_written_blank_for_its_attribute_alone() -> None:
    node = el("x:L", el("x:Qty", Value("qty", DECIMAL), Attr("unit", "unit")))
    assert xml(write(node, Obj(qty=None, unit="C62"), NSMAP)) == '<L xmlns="urn:x"/>'
    assert '<Qty unit="C62">2</Qty>' in xml(write(node, Obj(qty=Decimal(2), unit="C62"), NSMAP))


def test_derive_fills_a_value_only_when_writing() -> None:
    node = el("x:P", leaf("x:Net", "net", DECIMAL, derive=lambda p: p.gross - 1))
    assert "<Net>9</Net>" in xml(write(node, Obj(net=None, gross=Decimal(10)), NSMAP))
    assert "<Net>5</Net>" in xml(write(node, Obj(net=Decimal(5), gross=None), NSMAP))


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        (CODE, "  S ", "S"),
        (DATE, "2026-11-05", dt.date(2026, 11, 5)),
        (DATE, "2026-11-05Z", dt.date(2026, 11, 5)),
        (DECIMAL, "+0.10", Decimal("0.10")),
        (DECIMAL, "-.5", Decimal("-0.5")),
        (BOOL, "1", True),
        (BOOL, "false", False),
        (BASE64, "JVBE\nRi0=", b"%PDF-"),
    ],
)
def test_kinds_read_what_xml_schema_allows(kind: Kind, text: str, value: object) -> None:
    assert kind.parse(text) == value


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (DATE, "2026-1-5"),
        (DATE, "2026-02-29"),
        (DECIMAL, "1 000"),
        (DECIMAL, "Infinity"),
        (DECIMAL, "١٢"),  # digits, but not the ASCII ones XML Schema allows
        (DATE, "٢٠٢٦-01-05"),
        (BOOL, "yes"),
        (BASE64, "a"),
    ],
)
def test_kinds_refuse_what_it_does_not(kind: Kind, text: str) -> None:
    with pytest.raises(UnreadableError):
        kind.parse(text)


def test_unreadable_value_names_its_place_or_is_dropped_when_lenient() -> None:
    root = parse_xml(b'<Order xmlns="urn:x"><Line/><Line><Qty>two</Qty></Line></Order>')
    with pytest.raises(InputError, match=r"The order has Line\[2\]/Qty \(line 1\) = 'two'"):
        read(root, ORDER, document="order")
    assert read(root, ORDER, lenient=True) == {"lines": [{}, {}]}


def test_an_element_declares_at_most_one_text() -> None:
    with pytest.raises(AssertionError):
        El("a", Value("one"), Value("two"))
