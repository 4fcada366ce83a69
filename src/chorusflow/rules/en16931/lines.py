"""BR-21 ... BR-65 on the invoice lines: their terms, prices, periods, allowances and
charges, item attributes and item identifier schemes."""

from __future__ import annotations

from collections.abc import Iterator

from chorusflow.rules.en16931.engine import Breach, Registry
from chorusflow.rules.en16931.facts import Facts, LineItems, blank

registry = Registry()


@registry("BR-21", "BR-22", "BR-23", "BR-24", "BR-25")
def line_terms(facts: Facts) -> Iterator[Breach]:
    for n, line in enumerate(facts.invoice.lines):
        at = f"/lines/{n}"
        if blank(line.id):
            yield Breach("BR-21", f"{at}/id", f"Set lines[{n}].id, e.g. {n + 1}.")
        if line.quantity is None:
            yield Breach("BR-22", f"{at}/quantity", f"Set lines[{n}].quantity.")
        if line.unit is None or line.quantity is None:  # the unit is the quantity's
            yield Breach("BR-23", f"{at}/unit", f"Set lines[{n}].unit, e.g. C62 (one unit).")
        if line.net_amount is None:
            yield Breach(
                "BR-24",
                f"{at}/net_amount",
                f"Set lines[{n}].net_amount to quantity × net price, less allowances, plus "
                "charges.",
            )
        if line.item is None or blank(line.item.name):
            yield Breach("BR-25", f"{at}/item/name", f"Set lines[{n}].item.name.")


@registry("BR-26", "BR-27", "BR-28")
def line_prices(facts: Facts) -> Iterator[Breach]:
    for n, line in enumerate(facts.invoice.lines):
        at = f"/lines/{n}/price"
        net = line.price.net if line.price else None
        if net is None:
            yield Breach(
                "BR-26", f"{at}/net", f"Set lines[{n}].price.net to the unit price without VAT."
            )
        if net is None or net < 0:
            yield Breach(
                "BR-27",
                f"{at}/net",
                f"Set lines[{n}].price.net to a price of zero or more; a refund is a credit "
                "note or a negative quantity.",
            )
        gross = line.price.gross if line.price else None
        if gross is not None and gross < 0:
            yield Breach("BR-28", f"{at}/gross", f"Set lines[{n}].price.gross to zero or more.")


@registry("BR-30")
def line_periods(facts: Facts) -> Iterator[Breach]:
    for n, line in enumerate(facts.invoice.lines):
        period = line.period
        if period and period.start and period.end and period.end < period.start:
            yield Breach(
                "BR-30",
                f"/lines/{n}/period/end",
                f"Set lines[{n}].period.end on or after lines[{n}].period.start.",
            )


@registry("BR-41", "BR-42", "BR-CO-23", "BR-43", "BR-44", "BR-CO-24")
def line_allowances_and_charges(facts: Facts) -> Iterator[Breach]:
    """BR-42 and BR-CO-23 (BR-44 and BR-CO-24) state the same demand under two ids."""
    for n, line in enumerate(facts.invoice.lines):
        groups: tuple[tuple[str, LineItems, str, tuple[str, str]], ...] = (
            ("allowances", line.allowances, "BR-41", ("BR-42", "BR-CO-23")),
            ("charges", line.charges, "BR-43", ("BR-44", "BR-CO-24")),
        )
        for kind, items, amount_rule, reason_rules in groups:
            for k, item in enumerate(items):
                at = f"/lines/{n}/{kind}/{k}"
                if item.amount is None:
                    yield Breach(amount_rule, f"{at}/amount", f"Set lines[{n}].{kind}[{k}].amount.")
                if item.reason is None and item.reason_code is None:
                    fix = f"Set lines[{n}].{kind}[{k}].reason (text) or .reason_code."
                    for rule in reason_rules:
                        yield Breach(rule, f"{at}/reason", fix)


@registry("BR-54")
def item_attributes(facts: Facts) -> Iterator[Breach]:
    for n, line in enumerate(facts.invoice.lines):
        if line.item is None:
            continue
        for k, attribute in enumerate(line.item.attributes):
            if attribute.name is None or attribute.value is None:
                missing = "name" if attribute.name is None else "value"
                yield Breach(
                    "BR-54",
                    f"/lines/{n}/item/attributes/{k}/{missing}",
                    f"Set lines[{n}].item.attributes[{k}].name and .value.",
                )


@registry("BR-64", "BR-65")
def item_schemes(facts: Facts) -> Iterator[Breach]:
    for n, line in enumerate(facts.invoice.lines):
        item = line.item
        if item is None:
            continue
        if item.standard_id is not None and item.standard_id.scheme is None:
            yield Breach(
                "BR-64",
                f"/lines/{n}/item/standard_id/scheme",
                f"Set lines[{n}].item.standard_id.scheme, e.g. 0160 for a GTIN.",
            )
        for k, classification in enumerate(item.classifications):
            if classification.scheme is None:
                yield Breach(
                    "BR-65",
                    f"/lines/{n}/item/classifications/{k}/scheme",
                    f"Set lines[{n}].item.classifications[{k}].scheme, e.g. STI.",
                )
