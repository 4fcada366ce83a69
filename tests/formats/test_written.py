"""What the writers fill in: the net price both syntaxes require, only where it is missing."""

from __future__ import annotations

from decimal import Decimal

from chorusflow.formats.written import with_net_prices
from chorusflow.model import InvoiceLine, Price


def test_net_price_is_derived_only_when_missing() -> None:
    gross = (InvoiceLine(price=Price(gross=Decimal(10), discount=Decimal(1))),)
    (line,) = with_net_prices(gross)
    assert line.price == Price(net=Decimal(9), gross=Decimal(10), discount=Decimal(1))
    stated = (InvoiceLine(price=Price(net=Decimal(5))), InvoiceLine())
    assert with_net_prices(stated) is stated  # nothing to fill: the same lines


def test_a_gross_price_without_discount_gets_a_zero_one_on_request() -> None:
    lines = (InvoiceLine(price=Price(net=Decimal(10), gross=Decimal(10))),)
    assert with_net_prices(lines) is lines
    (line,) = with_net_prices(lines, zero_discount=True)
    assert line.price == Price(net=Decimal(10), gross=Decimal(10), discount=Decimal(0))
