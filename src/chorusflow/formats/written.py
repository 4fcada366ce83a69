"""What the writers state that an invoice may leave out, shared by both syntaxes.

Each syntax's ``as_written`` says which of these its writer applies; reading back what it
wrote gives that invoice.
"""

from __future__ import annotations

from decimal import Decimal

from chorusflow.model import InvoiceLine
from chorusflow.model.totals import item_net_price


def _with_net_price(line: InvoiceLine, zero_discount: bool) -> InvoiceLine:
    price = line.price
    if price is None:
        return line
    update: dict[str, object] = {}
    if price.net is None:
        net = item_net_price(line)
        if net is not None:
            update["net"] = net
    if zero_discount and price.gross is not None and price.discount is None:
        update["discount"] = Decimal(0)
    if not update:
        return line
    return line.model_copy(update={"price": price.model_copy(update=update)})


def with_net_prices(
    lines: tuple[InvoiceLine, ...], *, zero_discount: bool = False
) -> tuple[InvoiceLine, ...]:
    """``lines`` with the item net price (BT-146), which CII and UBL require (BR-26), derived
    as the gross price less the discount (BT-148 − BT-147) where only those are given; with
    ``zero_discount``, a gross price given without a discount gets a zero one (UBL requires
    the amount). The same tuple when nothing changes."""
    new = tuple(_with_net_price(line, zero_discount) for line in lines)
    return lines if all(a is b for a, b in zip(new, lines, strict=True)) else new
