"""The declaration engine: one declaration reads and writes; order, omission, fillers, empty
groups, keys, alternative spellings, levels."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from lxml import etree

from chorusflow.formats.cii.mapping import DATE as DATE_102
from chorusflow.formats.xml import parse_xml, xpath_of
from chorusflow.formats.xmlbind import ReadError, WriteError, kinds, read, write
from chorusflow.formats.xmlbind.nodes import Attr, Const, El, Key, Value
from chorusflow.formats.xmlbind.vocabulary import Vocabulary, none_of

X = Vocabulary({"x": "urn:x"})
NSMAP = {None: "urn:x"}
el, leaf, fixed = X.el, X.leaf, X.fixed

ORDER = el(
    "x:Order",
    leaf("x:Number", "number"),
    leaf("x:Date", "date", kinds.DATE),
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
        leaf("x:Qty", "qty", kinds.DECIMAL),
        el("x:Price", Value("price", kinds.DECIMAL), Attr("currency", "/currency", read=False)),
        leaf("x:Ref", "ref", filler="NA"),
        field="lines",
        many=True,
        select=none_of(X.text_in("x:Qty", "0")),
    ),
)


def xml(element: etree._Element) -> str:
    return etree.tostring(element, encoding="unicode")


def test_writes_in_declaration_order_and_omits_what_holds_nothing() -> None:
    order = {
        "number": "A1",
        "date": None,
        "terms": None,
        "currency": "EUR",
        "notes": ("n1", "n2"),
        "buyer": {"name": None, "id": "9", "scheme": None},
        "lines": ({"qty": Decimal("2.50"), "price": None, "ref": None},),
    }
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
    assert read(ORDER, root) == {
        "number": "A",
        "date": dt.date(2026, 1, 2),
        "buyer": {"id": "12", "scheme": "0009"},
        "lines": [{"qty": Decimal(1), "price": Decimal(3)}],  # filler reads as absent
    }


def test_an_object_is_there_even_empty_but_a_wrapper_needs_a_value() -> None:
    order: dict[str, Any] = {"number": None, "date": None, "terms": None, "notes": (), "lines": ()}
    written = write(ORDER, {**order, "buyer": {"name": None, "id": None, "scheme": None}}, NSMAP)
    assert xml(written) == '<Order xmlns="urn:x"><Buyer><Role code="BY"/></Buyer></Order>'
    assert xml(write(ORDER, {**order, "buyer": None}, NSMAP)) == '<Order xmlns="urn:x"/>'
    assert read(ORDER, parse_xml(b'<Order xmlns="urn:x"><Terms/><Buyer/></Order>')) == {
        "buyer": {}  # the rules must see a buyer that lacks its name; Terms holds nothing
    }
    assert read(ORDER, parse_xml(b'<Order xmlns="urn:x"><Terms><Text/></Terms></Order>')) == {
        "terms": ""  # blank text is there
    }


def test_a_group_with_its_values_elsewhere_is_not_written_empty() -> None:
    """A group element stands for a group that is there but empty; when the group has values,
    only elements holding some are written (CII spreads BG-13 over two elements)."""
    node = el(
        "x:Invoice",
        el("x:Party", leaf("x:Name", "name"), field="delivery"),
        el("x:Event", leaf("x:Date", "delivery.date", kinds.DATE)),
    )
    dated = {"delivery": {"name": None, "date": dt.date(2026, 1, 2)}}
    assert xml(write(node, dated, NSMAP)) == (
        '<Invoice xmlns="urn:x"><Event><Date>2026-01-02</Date></Event></Invoice>'
    )
    empty = {"delivery": {"name": None, "date": None}}
    assert xml(write(node, empty, NSMAP)) == '<Invoice xmlns="urn:x"><Party/></Invoice>'
    assert read(node, write(node, empty, NSMAP)) == {"delivery": {}}


def test_a_number_is_not_written_blank_for_its_attribute_alone() -> None:
    node = el("x:L", el("x:Qty", Value("qty", kinds.DECIMAL), Attr("unit", "unit")))
    assert xml(write(node, {"qty": None, "unit": "C62"}, NSMAP)) == '<L xmlns="urn:x"/>'
    assert '<Qty unit="C62">2</Qty>' in xml(write(node, {"qty": Decimal(2), "unit": "C62"}, NSMAP))


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        (kinds.TOKEN, "  S ", "S"),
        (kinds.DATE, "2026-11-05", dt.date(2026, 11, 5)),
        (kinds.DATE, "2026-11-05Z", dt.date(2026, 11, 5)),
        (kinds.DECIMAL, "+0.10", Decimal("0.10")),
        (kinds.DECIMAL, "-.5", Decimal("-0.5")),
        (kinds.BOOL, "1", True),
        (kinds.BOOL, "false", False),
        (kinds.BASE64, "JVBE\nRi0=", b"%PDF-"),
    ],
)
def test_kinds_read_what_xml_schema_allows(kind: kinds.Kind, text: str, value: object) -> None:
    assert kind.parse(text) == value


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (kinds.DATE, "2026-1-5"),
        (kinds.DATE, "2026-02-29"),
        (kinds.DECIMAL, "1 000"),
        (kinds.DECIMAL, "Infinity"),
        (kinds.DECIMAL, "١٢"),  # digits, but not the ASCII ones XML Schema allows
        (kinds.DATE, "٢٠٢٦-01-05"),
        (kinds.BOOL, "yes"),
        (kinds.BASE64, "a"),
    ],
)
def test_kinds_refuse_what_it_does_not(kind: kinds.Kind, text: str) -> None:
    with pytest.raises(ValueError):
        kind.parse(text)


def test_unreadable_value_names_its_place_or_is_dropped_when_lenient() -> None:
    root = parse_xml(b'<Order xmlns="urn:x"><Line/><Line><Qty>two</Qty></Line></Order>')
    with pytest.raises(ReadError) as caught:
        read(ORDER, root)
    error = caught.value
    assert (xpath_of(error.element, top=root), error.element.sourceline) == ("Line[2]/Qty", 1)
    assert (error.shown, error.problem) == ("'two'", "'two' is not a number")
    assert read(ORDER, root, lenient=True) == {"lines": [{}, {}]}


def test_an_element_declares_at_most_one_text() -> None:
    with pytest.raises(AssertionError):
        El("a", Value("one"), Value("two"))


# --- keys, alternative spellings, levels, lists that need a field ---------------------------

COLOUR = kinds.translated("colour", {"red": "R", "green": "G"})

TOY = El(
    "order",
    El("number", Value("number", kinds.TOKEN)),
    El("day", Value("day", DATE_102), Const("102", "format")),
    El(
        "party",
        El(
            "id",
            Value("value", kinds.TOKEN),
            field="ids",
            many=True,
            when=lambda i: "scheme" not in i,
        ),
        El(
            "gid",
            Value("value", kinds.TOKEN),
            Attr("scheme", "scheme"),
            field="ids",
            many=True,
            when=lambda i: "scheme" in i,
        ),
        El("name", Value("name", kinds.TEXT)),
        El("alias", Value("name", kinds.TEXT), alternative=True),
        field="party",
        required=True,
    ),
    El("tax", El("id", Value("vat", kinds.TOKEN), Key("VA", "scheme")), keyed=True),
    El("tax", El("id", Value("fc", kinds.TOKEN), Key("FC", "scheme")), keyed=True),
    El(
        "line",
        El("kind", Const("goods")),
        El("amount", Value("amount", kinds.DECIMAL)),
        El("colour", Value("colour", COLOUR)),
        El("rich", Value("rich", kinds.TOKEN), since=1),
        field="lines",
        many=True,
    ),
    El(
        "class",
        El("code", Value("value", kinds.TOKEN)),
        field="classes",
        many=True,
        needs=("value",),
    ),
)


def roundtrip(data: dict[str, Any], level: int = 1) -> tuple[bytes, dict[str, Any]]:
    root = write(TOY, data, {}, level)
    return etree.tostring(root), read(TOY, root)


def test_what_is_written_reads_back() -> None:
    data: dict[str, Any] = {
        "number": "A-1",
        "day": dt.date(2026, 1, 31),
        "party": {"ids": [{"value": "x"}, {"value": "9", "scheme": "0009"}], "name": "Acme & Co"},
        "vat": "FR1",
        "fc": "123",
        "lines": [{"amount": Decimal("1E+2"), "colour": "red", "rich": "yes"}],
    }
    xml, back = roundtrip(data)
    assert back == data
    assert b'<day format="102">20260131</day>' in xml
    assert b"<amount>100</amount>" in xml  # never an exponent
    assert b"<colour>R</colour>" in xml  # kinds.translated code list
    assert xml.index(b"<number>") < xml.index(b"<day") < xml.index(b"<party>")  # declared order


def test_empty_groups_are_there_and_constants_ride_with_them() -> None:
    xml, back = roundtrip({"lines": [{}, {"amount": Decimal(2)}]})
    assert xml.count(b"<line>") == 2 and xml.count(b"<kind>goods</kind>") == 2
    assert b"<party/>" in xml  # required, though not there
    assert b"<tax>" not in xml
    assert back == {"party": {}, "lines": [{}, {"amount": Decimal(2)}]}


def test_keys_tell_same_tag_elements_apart() -> None:
    root = etree.fromstring(
        b'<order><tax><id scheme="FC">1</id></tax><tax><id scheme="XX">2</id></tax>'
        b'<tax><id scheme="VA">3</id></tax></order>'
    )
    assert read(TOY, root) == {"fc": "1", "vat": "3"}


def test_an_alternative_is_read_only_where_the_field_is_unset_and_never_written() -> None:
    root = etree.fromstring(b"<order><party><alias>B</alias></party></order>")
    assert read(TOY, root) == {"party": {"name": "B"}}
    both = etree.fromstring(b"<order><party><name>A</name><alias>B</alias></party></order>")
    assert read(TOY, both) == {"party": {"name": "A"}}
    assert b"<alias>" not in roundtrip({"party": {"name": "A"}})[0]


def test_levels_and_needs() -> None:
    xml, _ = roundtrip({"lines": [{"amount": Decimal(1), "rich": "yes"}]}, level=0)
    assert b"<rich>" not in xml
    root = etree.fromstring(b"<order><class/><class><code>C</code></class></order>")
    assert read(TOY, root) == {"classes": [{"value": "C"}]}  # the first lacks a required field


def test_unreadable_and_unwritable_values_say_where() -> None:
    root = etree.fromstring(b"<order><line><amount>1,5</amount></line></order>")
    with pytest.raises(ReadError) as caught:
        read(TOY, root)
    assert caught.value.element.tag == "amount" and "'1,5' is not a number" in caught.value.problem
    with pytest.raises(WriteError) as written:
        write(TOY, {"lines": [{}, {"amount": Decimal("NaN")}]}, {}, 1)
    assert written.value.path == "lines[1].amount"
    with pytest.raises(WriteError, match=r"party\.name"):
        write(TOY, {"party": {"name": "bell \x07"}}, {}, 1)


def test_decimals_are_plain() -> None:
    assert kinds.format_decimal(Decimal("1E+3")) == "1000"
    assert kinds.format_decimal(Decimal("0.000001")) == "0.000001"
    assert kinds.format_decimal(Decimal("-12.50")) == "-12.50"


def test_a_kind_check_sees_what_the_text_alone_does_not() -> None:
    checked = kinds.Kind("day", kinds.DATE.parse, kinds.DATE.format, check=lambda e: e.get("oops"))
    node = El("o", El("day", Value("day", checked)))
    assert read(node, etree.fromstring(b"<o><day>2026-01-02</day></o>")) == {
        "day": dt.date(2026, 1, 2)
    }
    with pytest.raises(ReadError, match="format 610 is wrong"):
        read(node, etree.fromstring(b'<o><day oops="format 610 is wrong">2026-01-02</day></o>'))
