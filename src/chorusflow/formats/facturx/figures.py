"""Amounts, quantities, dates and account numbers as a French reader expects them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Final

NBSP: Final = "\u00a0"
_CURRENCY_SIGNS: Final = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF", "JPY": "¥"}

#: Most decimals shown for a unit price or quantity; more are rounded on paper only.
MAX_DECIMALS: Final = 6


def number(value: Decimal, min_decimals: int = 0) -> str:
    """``1234.5`` → ``1 234,5`` (no-break space between thousands, decimal comma)."""
    exponent = value.normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    decimals = min(max(decimals, min_decimals), MAX_DECIMALS)
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def amount(value: Decimal | None, currency: str | None = None) -> str:
    """An amount with at least two decimals and the currency sign, or an empty string."""
    if value is None:
        return ""
    text = number(value, 2)
    if currency:
        text += NBSP + _CURRENCY_SIGNS.get(currency, currency)
    return text


def percent(value: Decimal | None) -> str:
    return "" if value is None else f"{number(value)}{NBSP}%"


def date(value: dt.date | None) -> str:
    """``2026-11-06`` → ``06/11/2026``."""
    return "" if value is None else value.strftime("%d/%m/%Y")


def grouped(account: str) -> str:
    """An IBAN in groups of four, as printed on French bank details (RIB)."""
    compact = "".join(account.split())
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
