"""BR-DEC-*: amounts carry at most two decimals.

The official rules count the digits written after the decimal point, so ``12.500`` breaks
them although it is worth 12.50; a :class:`~decimal.Decimal` keeps the digits it was read
with, which lets the same count be made on the model.

BR-DEC-13 and BR-DEC-15 (the VAT totals) are the exception. The CEN UBL schematron's test
for them can never fail (its predicate compares the amount's currency with a child element
the amount has not got), while the Factur-X schematron checks the value: more than two
decimals that are not zeros. The value test is what the rule means, so it is the one here.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TypeGuard

from chorusflow.rules.en16931.engine import Breach, Registry, field
from chorusflow.rules.en16931.facts import DocumentItems, Facts, LineItems

registry = Registry()

_CENT = Decimal("0.01")


def too_many_decimals(amount: Decimal | None) -> TypeGuard[Decimal]:
    """More than two digits written after the decimal point."""
    if amount is None or amount.same_quantum(_CENT):  # the common case, answered fast
        return False
    exponent = amount.as_tuple().exponent
    return isinstance(exponent, int) and exponent < -2


def beyond_the_cent(amount: Decimal | None) -> TypeGuard[Decimal]:
    """Worth a fraction of a cent (``1.000`` is not, ``1.005`` is)."""
    return amount is not None and amount.is_finite() and amount != amount.quantize(_CENT)


def _breach(rule: str, pointer: str, amount: Decimal) -> Breach:
    return Breach(rule, pointer, f"Round {field(pointer)} ({amount}) to two decimals.")


_TOTALS = (
    ("BR-DEC-09", "line_total"),
    ("BR-DEC-10", "allowance_total"),
    ("BR-DEC-11", "charge_total"),
    ("BR-DEC-12", "tax_exclusive"),
    ("BR-DEC-14", "tax_inclusive"),
    ("BR-DEC-16", "prepaid"),
    ("BR-DEC-17", "rounding"),
    ("BR-DEC-18", "payable"),
)
_VAT_TOTALS = (("BR-DEC-13", "tax_total"), ("BR-DEC-15", "tax_total_accounting"))


@registry(*(rule for rule, _ in _TOTALS + _VAT_TOTALS))
def document_totals(facts: Facts) -> Iterator[Breach]:
    totals = facts.totals
    for rule, name in _TOTALS:
        amount = getattr(totals, name)
        if too_many_decimals(amount):
            yield _breach(rule, f"/totals/{name}", amount)
    for rule, name in _VAT_TOTALS:
        amount = getattr(totals, name)
        if beyond_the_cent(amount):
            yield _breach(rule, f"/totals/{name}", amount)


@registry("BR-DEC-01", "BR-DEC-02", "BR-DEC-05", "BR-DEC-06")
def document_allowances_and_charges(facts: Facts) -> Iterator[Breach]:
    invoice = facts.invoice
    groups: tuple[tuple[str, DocumentItems, str, str], ...] = (
        ("allowances", invoice.allowances, "BR-DEC-01", "BR-DEC-02"),
        ("charges", invoice.charges, "BR-DEC-05", "BR-DEC-06"),
    )
    for kind, items, amount_rule, base_rule in groups:
        for k, item in enumerate(items):
            if too_many_decimals(item.amount):
                yield _breach(amount_rule, f"/{kind}/{k}/amount", item.amount)
            if too_many_decimals(item.base_amount):
                yield _breach(base_rule, f"/{kind}/{k}/base_amount", item.base_amount)


@registry("BR-DEC-19", "BR-DEC-20")
def vat_breakdown(facts: Facts) -> Iterator[Breach]:
    for k, entry in enumerate(facts.invoice.vat_breakdown):
        if too_many_decimals(entry.taxable_amount):
            yield _breach("BR-DEC-19", f"/vat_breakdown/{k}/taxable_amount", entry.taxable_amount)
        if too_many_decimals(entry.tax_amount):
            yield _breach("BR-DEC-20", f"/vat_breakdown/{k}/tax_amount", entry.tax_amount)


@registry("BR-DEC-23", "BR-DEC-24", "BR-DEC-25", "BR-DEC-27", "BR-DEC-28")
def lines(facts: Facts) -> Iterator[Breach]:
    for n, line in enumerate(facts.invoice.lines):
        if too_many_decimals(line.net_amount):
            yield _breach("BR-DEC-23", f"/lines/{n}/net_amount", line.net_amount)
        groups: tuple[tuple[str, LineItems, str, str], ...] = (
            ("allowances", line.allowances, "BR-DEC-24", "BR-DEC-25"),
            ("charges", line.charges, "BR-DEC-27", "BR-DEC-28"),
        )
        for kind, items, amount_rule, base_rule in groups:
            for k, item in enumerate(items):
                at = f"/lines/{n}/{kind}/{k}"
                if too_many_decimals(item.amount):
                    yield _breach(amount_rule, f"{at}/amount", item.amount)
                if too_many_decimals(item.base_amount):
                    yield _breach(base_rule, f"{at}/base_amount", item.base_amount)
