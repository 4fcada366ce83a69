"""BR-CO-*: the conditions between terms, above all the arithmetic of the totals.

The sums are of what the invoice states (a missing amount has its own rule and counts for
nothing here, as in the official rules); rounding to the cent is the model's
(:func:`chorusflow.model.totals.round2`). The tolerances are the official ones: exact for the
document totals, under one unit either way for a VAT category's tax amount (BR-CO-17).

BR-CO-21 ... BR-CO-24 live with the allowances and charges they are about
(:mod:`~chorusflow.rules.en16931.document`, :mod:`~chorusflow.rules.en16931.lines`).
BR-CO-05 ... BR-CO-08 (a reason code and a reason text shall mean the same thing) cannot be
decided by a machine: their official assertion is ``true()``, and they are not checked here
either.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_FLOOR, Decimal

from chorusflow.model.codelists import COUNTRIES
from chorusflow.model.totals import ZERO, round2
from chorusflow.rules.en16931.engine import Breach, Registry
from chorusflow.rules.en16931.facts import Facts

registry = Registry()

_HALF = Decimal("0.5")
_ONE = Decimal(1)
_HUNDRED = Decimal(100)

#: The prefixes BR-CO-09 accepts, as the official test reads them: a substring of this text.
VAT_PREFIXES = " " + " ".join(sorted(COUNTRIES | {"EL"})) + " "


def round_to_integer(value: Decimal) -> Decimal:
    """XPath ``round()``: to the nearest integer, halves towards positive infinity."""
    return (value + _HALF).to_integral_value(rounding=ROUND_FLOOR)


def _sum(values: list[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


@registry("BR-CO-03")
def tax_point(facts: Facts) -> Iterator[Breach]:
    invoice = facts.invoice
    if invoice.tax_point_date is not None and invoice.tax_point_date_code is not None:
        yield Breach(
            "BR-CO-03",
            "/tax_point_date_code",
            "Remove tax_point_date_code or tax_point_date: give the VAT point date or its "
            "code, not both.",
        )


@registry("BR-CO-04")
def line_category(facts: Facts) -> Iterator[Breach]:
    for n, line in enumerate(facts.invoice.lines):
        if line.vat is None or line.vat.category is None:
            yield Breach(
                "BR-CO-04",
                f"/lines/{n}/vat/category",
                f"Set lines[{n}].vat.category, e.g. S (standard rate) with its rate.",
            )


@registry("BR-CO-09")
def vat_identifier_prefixes(facts: Facts) -> Iterator[Breach]:
    for role, party in (
        ("seller", facts.seller),
        ("tax_representative", facts.representative),
        ("buyer", facts.buyer),
    ):
        vat_id = party.vat_id if party else None
        if vat_id is not None and vat_id[:2] not in VAT_PREFIXES:
            yield Breach(
                "BR-CO-09",
                f"/{role}/vat_id",
                f"Write {role}.vat_id with its country prefix, e.g. FR12345678901.",
            )


@registry("BR-CO-10")
def line_total(facts: Facts) -> Iterator[Breach]:
    totals = facts.totals
    expected = round2(_sum([line.net_amount for line in facts.invoice.lines]))
    if totals.line_total != expected:
        yield Breach(
            "BR-CO-10",
            "/totals/line_total",
            f"Set totals.line_total to {expected}, the sum of the line net amounts.",
        )


@registry("BR-CO-11", "BR-CO-12")
def allowance_and_charge_totals(facts: Facts) -> Iterator[Breach]:
    totals = facts.totals
    invoice = facts.invoice
    for rule, name, items in (
        ("BR-CO-11", "allowance_total", invoice.allowances),
        ("BR-CO-12", "charge_total", invoice.charges),
    ):
        stated: Decimal | None = getattr(totals, name)
        expected = round2(_sum([item.amount for item in items]))
        if (items or stated is not None) and stated != expected:
            kind = name.split("_")[0]
            yield Breach(
                rule,
                f"/totals/{name}",
                f"Set totals.{name} to {expected}, the sum of the document {kind}s.",
            )


@registry("BR-CO-13")
def tax_exclusive_total(facts: Facts) -> Iterator[Breach]:
    totals = facts.totals
    lines, charges, allowances = totals.line_total, totals.charge_total, totals.allowance_total
    if lines is None:
        expected = None
    elif charges is None and allowances is None:
        expected = lines
    else:
        expected = round2(lines + (charges or ZERO) - (allowances or ZERO))
    if expected is None or totals.tax_exclusive != expected:
        what = f"to {expected}" if expected is not None else "and totals.line_total"
        yield Breach(
            "BR-CO-13",
            "/totals/tax_exclusive",
            f"Set totals.tax_exclusive {what}: line total − document allowances + charges.",
        )


@registry("BR-CO-14")
def tax_total(facts: Facts) -> Iterator[Breach]:
    breakdown = facts.invoice.vat_breakdown
    if not breakdown:
        return
    expected = round2(_sum([entry.tax_amount for entry in breakdown]))
    stated = facts.totals.tax_total
    if stated != expected:
        yield Breach(
            "BR-CO-14",
            "/totals/tax_total",
            f"Set totals.tax_total to {expected}, the sum of the VAT breakdown tax amounts.",
        )


@registry("BR-CO-15")
def tax_inclusive_total(facts: Facts) -> Iterator[Breach]:
    if facts.invoice.currency is None:
        return
    totals = facts.totals
    exclusive, tax = totals.tax_exclusive, totals.tax_total
    expected = round2(exclusive + tax) if exclusive is not None and tax is not None else None
    if expected is None or totals.tax_inclusive != expected:
        what = f"to {expected}" if expected is not None else "(with tax_exclusive and tax_total)"
        yield Breach(
            "BR-CO-15",
            "/totals/tax_inclusive",
            f"Set totals.tax_inclusive {what}: total without VAT + total VAT.",
        )


@registry("BR-CO-16")
def amount_due(facts: Facts) -> Iterator[Breach]:
    totals = facts.totals
    payable, inclusive = totals.payable, totals.tax_inclusive
    prepaid, rounding = totals.prepaid, totals.rounding
    if payable is None or inclusive is None:
        holds = False
    elif rounding is None:
        holds = payable == (inclusive if prepaid is None else round2(inclusive - prepaid))
    else:
        due = inclusive if prepaid is None else round2(inclusive - prepaid)
        holds = round2(payable - rounding) == due
    if not holds:
        expected = (
            inclusive - (prepaid or ZERO) + (rounding or ZERO) if inclusive is not None else None
        )
        what = f"to {round2(expected)}" if expected is not None else "and totals.tax_inclusive"
        yield Breach(
            "BR-CO-16",
            "/totals/payable",
            f"Set totals.payable {what}: total with VAT − paid amount + rounding amount.",
        )


def vat_tax_within_one(tax: Decimal, taxable: Decimal, rate: Decimal) -> bool:
    """|tax| is within one unit (exclusive) of |taxable| × rate / 100 rounded to the cent."""
    expected = round2(abs(taxable) * rate / _HUNDRED)
    return abs(tax) - _ONE < expected < abs(tax) + _ONE


@registry("BR-CO-17")
def category_tax_amounts(facts: Facts) -> Iterator[Breach]:
    for k, entry in enumerate(facts.invoice.vat_breakdown):
        rate, tax, taxable = entry.rate, entry.tax_amount, entry.taxable_amount
        if tax is None:
            holds = False
        elif rate is None or round_to_integer(rate) == 0:
            holds = round_to_integer(tax) == 0
        else:
            holds = taxable is not None and vat_tax_within_one(tax, taxable, rate)
        if not holds:
            if taxable is not None and rate is not None:
                fix = f"to {round2(taxable * rate / _HUNDRED)} (taxable amount × rate / 100)"
            else:
                fix = "to taxable_amount × rate / 100"
            yield Breach(
                "BR-CO-17",
                f"/vat_breakdown/{k}/tax_amount",
                f"Set vat_breakdown[{k}].tax_amount {fix}.",
            )


@registry("BR-CO-18")
def some_vat_breakdown(facts: Facts) -> Iterator[Breach]:
    if not facts.invoice.vat_breakdown:
        yield Breach(
            "BR-CO-18",
            "/vat_breakdown",
            "Add vat_breakdown, one entry per VAT category and rate (omit it in JSON input "
            "and chorusflow computes it).",
        )


@registry("BR-CO-19")
def invoicing_period_dates(facts: Facts) -> Iterator[Breach]:
    invoice = facts.invoice
    period = invoice.invoicing_period
    if (
        period is not None
        and period.start is None
        and period.end is None
        and invoice.tax_point_date_code is None
    ):
        yield Breach(
            "BR-CO-19",
            "/invoicing_period",
            "Set invoicing_period.start and/or invoicing_period.end, or remove invoicing_period.",
        )


@registry("BR-CO-20")
def line_period_dates(facts: Facts) -> Iterator[Breach]:
    for n, line in enumerate(facts.invoice.lines):
        if line.period is not None and line.period.start is None and line.period.end is None:
            yield Breach(
                "BR-CO-20",
                f"/lines/{n}/period",
                f"Set lines[{n}].period.start and/or .end, or remove lines[{n}].period.",
            )


@registry("BR-CO-26")
def seller_identified(facts: Facts) -> Iterator[Breach]:
    seller = facts.seller
    if seller is None:
        return
    identified = (
        seller.vat_id is not None
        or seller.legal_registration is not None
        or any(i.scheme != "SEPA" for i in seller.identifiers)
    )
    if not identified:
        yield Breach(
            "BR-CO-26",
            "/seller/legal_registration",
            "Set seller.legal_registration to the seller's SIRET (scheme 0009), or seller.vat_id.",
        )
