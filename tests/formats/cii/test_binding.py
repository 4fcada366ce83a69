"""The declaration engine on a toy syntax: what one declaration writes, it reads back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from lxml import etree

from chorusflow.formats.cii.binding import (
    DATE,
    DECIMAL,
    TEXT,
    Const,
    El,
    Field,
    Key,
    ReadError,
    WriteError,
    compile_binding,
    format_decimal,
    read,
    translated,
    write,
)

COLOUR = translated("colour", {"red": "R", "green": "G"})

TOY = compile_binding(
    El(
        "order",
        children=(
            El("number", text=Field("number")),
            El("day", text=Field("day", DATE), attrs=(("format", Const("102")),)),
            El(
                "party",
                children=(
                    El(
                        "id",
                        text=Field("value"),
                        scope="ids",
                        many=True,
                        when=lambda i: "scheme" not in i,
                    ),
                    El(
                        "gid",
                        text=Field("value"),
                        attrs=(("scheme", Field("scheme")),),
                        scope="ids",
                        many=True,
                        when=lambda i: "scheme" in i,
                    ),
                    El("name", text=Field("name", TEXT)),
                    El("alias", text=Field("name", TEXT), fallback=True),
                ),
                scope="party",
                required=True,
            ),
            El(
                "tax",
                children=(El("id", text=Field("vat"), attrs=(("scheme", Key("VA")),)),),
                keyed=True,
            ),
            El(
                "tax",
                children=(El("id", text=Field("fc"), attrs=(("scheme", Key("FC")),)),),
                keyed=True,
            ),
            El(
                "line",
                children=(
                    El("kind", text=Const("goods")),
                    El("amount", text=Field("amount", DECIMAL)),
                    El("colour", text=Field("colour", COLOUR)),
                    El("rich", text=Field("rich"), since=1),
                ),
                scope="lines",
                many=True,
            ),
            El(
                "class",
                children=(El("code", text=Field("value")),),
                scope="classes",
                many=True,
                needs=("value",),
            ),
        ),
    )
)


def roundtrip(data: dict[str, Any], level: int = 1) -> tuple[bytes, dict[str, Any]]:
    root = write(TOY, data, level, {})
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
    assert b"<colour>R</colour>" in xml  # translated code list
    assert xml.index(b"<number>") < xml.index(b"<day") < xml.index(b"<party>")  # declared order


def test_empty_groups_are_left_out_unless_required_and_constants_ride_with_content() -> None:
    xml, back = roundtrip({"lines": [{}, {"amount": Decimal(2)}]})
    assert xml.count(b"<line>") == 1 and xml.count(b"<kind>goods</kind>") == 1
    assert b"<party/>" in xml  # required, though empty
    assert b"<tax>" not in xml
    assert back == {"lines": [{"amount": Decimal(2)}]}


def test_keys_tell_same_tag_elements_apart() -> None:
    root = etree.fromstring(
        b'<order><tax><id scheme="FC">1</id></tax><tax><id scheme="XX">2</id></tax>'
        b'<tax><id scheme="VA">3</id></tax></order>'
    )
    assert read(TOY, root) == {"fc": "1", "vat": "3"}


def test_fallback_is_read_only_when_the_field_is_unset_and_never_written() -> None:
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
        write(TOY, {"lines": [{}, {"amount": Decimal("NaN")}]}, 1, {})
    assert written.value.path == "lines[1].amount"
    with pytest.raises(WriteError, match=r"party\.name"):
        write(TOY, {"party": {"name": "bell \x07"}}, 1, {})


def test_decimals_are_plain() -> None:
    assert format_decimal(Decimal("1E+3")) == "1000"
    assert format_decimal(Decimal("0.000001")) == "0.000001"
    assert format_decimal(Decimal("-12.50")) == "-12.50"
