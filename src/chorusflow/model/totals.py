"""Line net amounts, VAT breakdown and document totals, as EN 16931 defines them.

:func:`complete` fills what an invoice leaves out and never overwrites what it states, so a
stated figure that disagrees with the computation is still there for the checks (BR-CO-10 ...
BR-CO-17, BR-S-08 ...) to report. The same functions are the arithmetic those checks use.

Amounts are rounded to two decimals, half away from zero (commercial rounding); the official
rules accept a difference of up to one unit, so this never disagrees with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from chorusflow.model.codes import ZERO_RATE_CATEGORIES
from chorusflow.model.invoice import (
    DocumentAllowance,
    DocumentCharge,
    DocumentTotals,
    Invoice,
    InvoiceLine,
    LineAllowance,
    LineCharge,
    Price,
    VatBreakdown,
)

#: BT-24 of an invoice that follows EN 16931 itself (the writers state their profile's own).
EN16931_CORE = "urn:cen.eu:en16931:2017"

CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")

#: Exemption reasons filled in when a computed VAT breakdown needs one and the category
#: leaves no doubt about it. Category E (exempt) has many legal grounds and is left to the user.
DEFAULT_EXEMPTIONS: dict[str, tuple[str, str]] = {
    "AE": ("Autoliquidation", "VATEX-EU-AE"),
    "K": ("Livraison intracommunautaire exonérée, article 262 ter I du CGI", "VATEX-EU-IC"),
    "G": ("Exportation hors de l'Union européenne, article 262 I du CGI", "VATEX-EU-G"),
    "O": ("Hors du champ d'application de la TVA", "VATEX-EU-O"),
}


def round2(value: Decimal) -> Decimal:
    """Round to the cent, half away from zero."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rate_key(rate: Decimal | None) -> Decimal | None:
    """A rate as a grouping key: 20, 20.0 and 20.00 are the same rate."""
    return None if rate is None else rate.normalize()


class VatKey(NamedTuple):
    """What one VAT breakdown groups on: category and rate (BR-CO-18 ... BR-S-08)."""

    category: str | None
    rate: Decimal | None


AllowanceOrCharge = DocumentAllowance | DocumentCharge | LineAllowance | LineCharge


def allowance_charge_amount(item: AllowanceOrCharge) -> Decimal | None:
    """The stated amount, or base × percentage / 100 when only those are given."""
    if item.amount is not None:
        return item.amount
    if item.base_amount is not None and item.percentage is not None:
        return round2(item.base_amount * item.percentage / HUNDRED)
    return None


def _total(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


def item_net_price(line: InvoiceLine) -> Decimal | None:
    """BT-146, or gross price (BT-148) less the price discount (BT-147)."""
    price = line.price
    if price is None:
        return None
    if price.net is not None:
        return price.net
    if price.gross is not None:
        return price.gross - (price.discount or ZERO)
    return None


def line_net_amount(line: InvoiceLine) -> Decimal | None:
    """BT-131 as stated, else quantity × net price / base quantity + charges − allowances."""
    if line.net_amount is not None:
        return line.net_amount
    price = item_net_price(line)
    if line.quantity is None or price is None:
        return None
    base = line.price.base_quantity if line.price and line.price.base_quantity else Decimal(1)
    gross = line.quantity * price / base
    charges = _total(allowance_charge_amount(c) for c in line.charges)
    allowances = _total(allowance_charge_amount(a) for a in line.allowances)
    return round2(gross + charges - allowances)


def line_vat_key(line: InvoiceLine) -> VatKey:
    vat = line.vat
    return VatKey(vat.category if vat else None, rate_key(vat.rate if vat else None))


def document_vat_key(item: DocumentAllowance | DocumentCharge) -> VatKey:
    return VatKey(item.vat_category, rate_key(item.vat_rate))


def breakdown_key(entry: VatBreakdown) -> VatKey:
    return VatKey(entry.category, rate_key(entry.rate))


def stated_rates(invoice: Invoice) -> dict[VatKey, Decimal | None]:
    """Each VAT key with the rate as the invoice first spells it (20 rather than 2E+1)."""
    rates: dict[VatKey, Decimal | None] = {}
    for line in invoice.lines:
        rates.setdefault(line_vat_key(line), line.vat.rate if line.vat else None)
    items: tuple[DocumentAllowance | DocumentCharge, ...] = (*invoice.charges, *invoice.allowances)
    for item in items:
        rates.setdefault(document_vat_key(item), item.vat_rate)
    return rates


def taxable_amounts(invoice: Invoice) -> dict[VatKey, Decimal]:
    """Per category and rate: Σ line net amounts + Σ charges − Σ allowances (BT-116)."""
    groups: dict[VatKey, Decimal] = {}
    for line in invoice.lines:
        key = line_vat_key(line)
        groups[key] = groups.get(key, ZERO) + (line_net_amount(line) or ZERO)
    for charge in invoice.charges:
        key = document_vat_key(charge)
        groups[key] = groups.get(key, ZERO) + (allowance_charge_amount(charge) or ZERO)
    for allowance in invoice.allowances:
        key = document_vat_key(allowance)
        groups[key] = groups.get(key, ZERO) - (allowance_charge_amount(allowance) or ZERO)
    return groups


def tax_amount(key: VatKey, taxable: Decimal) -> Decimal:
    """BT-117: taxable × rate / 100 for a taxed category, zero otherwise."""
    if key.category in ZERO_RATE_CATEGORIES or key.category == "O" or key.rate is None:
        return round2(ZERO)
    return round2(taxable * key.rate / HUNDRED)


def _breakdown(invoice: Invoice) -> tuple[VatBreakdown, ...]:
    stated = {breakdown_key(entry): entry for entry in invoice.vat_breakdown}
    computed = taxable_amounts(invoice)
    rates = stated_rates(invoice)
    out: list[VatBreakdown] = []
    for key, taxable in computed.items():
        entry = stated.pop(key, None) or VatBreakdown(category=key.category, rate=rates[key])
        updates: dict[str, object] = {}
        if entry.taxable_amount is None:
            updates["taxable_amount"] = round2(taxable)
        if entry.tax_amount is None:
            base = entry.taxable_amount if entry.taxable_amount is not None else taxable
            updates["tax_amount"] = tax_amount(key, base)
        default = DEFAULT_EXEMPTIONS.get(key.category or "")
        if default and entry.exemption_reason is None and entry.exemption_reason_code is None:
            updates["exemption_reason"], updates["exemption_reason_code"] = default
        out.append(entry.model_copy(update=updates) if updates else entry)
    # stated entries that match no line nor allowance stay, for the checks to report
    out.extend(stated.values())
    return tuple(out)


def _totals(
    invoice: Invoice, lines: Iterable[InvoiceLine], vat: Iterable[VatBreakdown]
) -> DocumentTotals:
    stated = invoice.totals or DocumentTotals()

    def pick(name: str, computed: Decimal | None) -> Decimal | None:
        value: Decimal | None = getattr(stated, name)
        return value if value is not None else computed

    line_total = pick("line_total", round2(_total(line_net_amount(x) for x in lines)))
    allowance_total = pick(
        "allowance_total",
        round2(_total(allowance_charge_amount(a) for a in invoice.allowances))
        if invoice.allowances
        else None,
    )
    charge_total = pick(
        "charge_total",
        round2(_total(allowance_charge_amount(c) for c in invoice.charges))
        if invoice.charges
        else None,
    )
    assert line_total is not None
    tax_exclusive = pick(
        "tax_exclusive", line_total - (allowance_total or ZERO) + (charge_total or ZERO)
    )
    tax_total = pick("tax_total", round2(_total(v.tax_amount for v in vat)))
    assert tax_exclusive is not None
    tax_inclusive = pick("tax_inclusive", tax_exclusive + (tax_total or ZERO))
    assert tax_inclusive is not None
    payable = pick("payable", tax_inclusive - (stated.prepaid or ZERO) + (stated.rounding or ZERO))
    return stated.model_copy(
        update={
            "line_total": line_total,
            "allowance_total": allowance_total,
            "charge_total": charge_total,
            "tax_exclusive": tax_exclusive,
            "tax_total": tax_total,
            "tax_inclusive": tax_inclusive,
            "payable": payable,
        }
    )


def _with_amounts(items: tuple[AllowanceOrCharge, ...]) -> Iterator[AllowanceOrCharge]:
    for item in items:
        amount = allowance_charge_amount(item)
        yield item if amount == item.amount else item.model_copy(update={"amount": amount})


def _with_net_price(line: InvoiceLine) -> Price | None:
    """The price with BT-146 stated: the gross price less its discount when only those are."""
    price = line.price
    if price is None or price.net is not None:
        return price
    net = item_net_price(line)
    return price if net is None else price.model_copy(update={"net": net})


def complete(invoice: Invoice) -> Invoice:
    """The invoice with what the input left out and EN 16931 determines filled in.

    Amounts, the net price and the VAT breakdown are computed; BT-24 defaults to EN 16931.
    """
    lines = tuple(
        line.model_copy(
            update={
                "net_amount": line_net_amount(line),
                "price": _with_net_price(line),
                "allowances": tuple(_with_amounts(line.allowances)),
                "charges": tuple(_with_amounts(line.charges)),
            }
        )
        for line in invoice.lines
    )
    partial = invoice.model_copy(
        update={
            "lines": lines,
            "allowances": tuple(_with_amounts(invoice.allowances)),
            "charges": tuple(_with_amounts(invoice.charges)),
        }
    )
    vat = _breakdown(partial)
    return partial.model_copy(
        update={
            "vat_breakdown": vat,
            "totals": _totals(partial, lines, vat),
            "specification_identifier": invoice.specification_identifier or EN16931_CORE,
        }
    )
