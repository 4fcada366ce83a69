"""How a value is spelt in XML text: read with ``parse``, written with ``format``.

A kind says what an unreadable text is not (``expected``) and how to fix it, so that a reader
can name the element and the remedy in one sentence. Syntaxes that spell a value their own way
(CII dates in format 102, codes from another code list) declare their own kinds.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from lxml import etree


@dataclass(frozen=True, slots=True)
class Kind:
    """How a value is spelt in XML.

    ``parse`` raises ValueError on a text that is not such a value; ``format`` raises
    ValueError on a value the XML cannot carry (e.g. NaN), saying what it is not.
    """

    name: str
    parse: Callable[[str], Any]
    format: Callable[[Any], str]
    expected: str = ""
    """What an unreadable text is not, e.g. ``not a number``."""
    fix: str = ""
    blank_is_absent: bool = False
    """A blank date or number holds no value and reads as absent; blank text reads as it is
    (the element is there, and the rules may want to know)."""
    check: Callable[[etree._Element], str | None] | None = None
    """A problem of the element that its text alone does not show (a date format attribute)."""


# ASCII digits only, as XML Schema has them (Python's \d and int() take any script's digits)
_DATE = re.compile(r"\s*([0-9]{4})-([0-9]{2})-([0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?\s*")
_DECIMAL = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*")


def _parse_date(text: str) -> dt.date:
    match = _DATE.fullmatch(text)
    if match is None:
        raise ValueError(text)
    return dt.date(*(int(part) for part in match.groups()))


def _parse_decimal(text: str) -> Decimal:
    if _DECIMAL.fullmatch(text) is None:
        raise ValueError(text)
    return Decimal(text.strip())


def format_decimal(value: Decimal) -> str:
    """A decimal in plain notation: never an exponent, as xs:decimal requires."""
    if not isinstance(value, Decimal):
        value = Decimal(value)
    if not value.is_finite():
        raise ValueError("not a finite number")
    return format(value, "f")


def _parse_bool(text: str) -> bool:
    value = text.strip()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise ValueError(text)


def _parse_base64(text: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except binascii.Error:
        raise ValueError(text) from None


def _format_base64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _as_is(text: str) -> str:
    return text


_NUMBER_FIX: Final = (
    "Write numbers with a dot for decimals and no thousands separator, e.g. 1234.50."
)

TEXT: Final = Kind("text", _as_is, str)
"""Free text, kept exactly as written."""
TOKEN: Final = Kind("token", str.strip, str)
"""Codes (and CII identifiers, xs:token): surrounding blanks carry no meaning."""
DECIMAL: Final = Kind(
    "decimal", _parse_decimal, format_decimal, "not a number", _NUMBER_FIX, blank_is_absent=True
)
"""An xs:decimal: no exponent, no thousands separator; written as stated (250.0 stays)."""
DATE: Final = Kind(
    "date",
    _parse_date,
    dt.date.isoformat,
    "not a date",
    "Write dates as YYYY-MM-DD, e.g. 2026-11-05.",
    blank_is_absent=True,
)
"""An ISO date (xs:date; a time zone suffix is accepted and ignored)."""
BOOL: Final = Kind(
    "boolean",
    _parse_bool,
    lambda value: "true" if value else "false",
    "not a boolean",
    "Write true or false.",
    blank_is_absent=True,
)
BASE64: Final = Kind(
    "base64",
    _parse_base64,
    _format_base64,
    "not base64",
    "Embed attachments as base64 text (RFC 4648), or link them by URI.",
)
"""An embedded file: base64 in the XML, bytes in the data."""


def translated(name: str, written: Mapping[str, str]) -> Kind:
    """A code that the syntax spells from another code list: ``written`` maps data → XML.

    Codes outside the mapping pass through unchanged both ways, so a wrong code still loads
    and the checks can name it.
    """
    back = {xml: data for data, xml in written.items()}

    def parse(text: str) -> str:
        code = text.strip()
        return back.get(code, code)

    def format_code(value: Any) -> str:
        return written.get(str(value), str(value))

    return Kind(name, parse, format_code)
