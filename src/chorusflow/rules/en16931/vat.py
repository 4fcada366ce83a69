"""The VAT-category families (BR-S, BR-Z, BR-E, BR-AE, BR-IC, BR-G, BR-O, BR-AF, BR-AG)
and the Italian split payment (BR-B).

Rules 01 ... 10 have one shape across the nine families; each shape is written once below
and registered for every category with that category's parameters
(:mod:`~chorusflow.rules.en16931.categories`). What is particular to one family (BR-IC-11,
BR-IC-12, BR-O-11 ... BR-O-14) follows.

Tolerances are the CEN ones: the taxable amount of a zero-tax category must equal the sum
exactly; per-rate categories (S, L, M) accept a difference under one unit, and their tax
amount must be within one unit of taxable × rate rounded to the cent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import partial

from chorusflow.model.totals import ZERO, VatKey, rate_key
from chorusflow.rules.en16931.calculations import vat_tax_within_one
from chorusflow.rules.en16931.categories import CATEGORIES, Category, RateRule, SellerIds
from chorusflow.rules.en16931.engine import Breach, Registry
from chorusflow.rules.en16931.facts import DocumentItems, Facts, code

registry = Registry()

# --- 01: the VAT breakdown has the category -------------------------------------------------


def breakdown_present(category: Category, facts: Facts) -> Iterator[Breach]:
    wanted = category.code
    count = len(facts.breakdown_categories.get(wanted, ()))
    used = facts.used(wanted)
    if category.single_breakdown:
        broken = (used or count > 0) and count != 1
    else:
        broken = used != (count > 0)
    if not broken:
        return
    if count == 0:
        fix = (
            f"Add to vat_breakdown an entry of category {wanted} (in JSON input, omit "
            "vat_breakdown and chorusflow computes it)."
        )
    elif count > 1:
        fix = f"Merge the {count} vat_breakdown entries of category {wanted} into one."
    else:
        fix = (
            f"Remove the vat_breakdown entry of category {wanted}: no line, allowance or "
            "charge is in that category."
        )
    yield Breach(category.rule(1), "/vat_breakdown", fix)


# --- 02-04: who must show a VAT identifier --------------------------------------------------


def _seller_shown(ids: SellerIds, facts: Facts) -> bool:
    if facts.representative_vat_id:
        return True
    return facts.seller_tax_id if ids.tax_registration_counts else facts.seller_vat_id


def _buyer_shown(ids: SellerIds, facts: Facts) -> bool:
    if ids is SellerIds.ANY_TAX_ID_AND_BUYER:
        return facts.buyer_vat_id or facts.buyer_legal_id
    if ids is SellerIds.VAT_ID_AND_BUYER_VAT:
        return facts.buyer_vat_id
    return True


def identifiers(category: Category, facts: Facts, *, number: int, holders: str) -> Iterator[Breach]:
    """Rules 02 (lines), 03 (allowances), 04 (charges): ``holders`` names the index."""
    if category.code not in getattr(facts, holders):
        return
    ids, rule = category.ids, category.rule(number)
    if ids is SellerIds.NO_VAT_ID:
        if facts.seller_vat_id or facts.representative_vat_id or facts.buyer_vat_id:
            yield Breach(
                rule,
                "/seller/vat_id",
                "Remove seller.vat_id, buyer.vat_id and tax_representative.vat_id: an "
                "operation outside the scope of VAT carries none.",
            )
    elif not _seller_shown(ids, facts):
        yield Breach(
            rule,
            "/seller/vat_id",
            "Set seller.vat_id to the seller's VAT number (FR + 11 characters).",
        )
    elif not _buyer_shown(ids, facts):
        either = " (or buyer.legal_registration)" if ids.tax_registration_counts else ""
        yield Breach(rule, "/buyer/vat_id", f"Set buyer.vat_id{either} to the buyer's VAT number.")


# --- 05-07: the rate of what is in the category ---------------------------------------------


def rate_breaks(rule: RateRule, rate: Decimal | None) -> bool:
    if rule is RateRule.ABSENT:
        return rate is not None
    if rate is None:
        return True
    if rule is RateRule.POSITIVE:
        return rate <= 0
    if rule is RateRule.ZERO:
        return rate != 0
    return rate < 0


_RATE_FIXES = {
    RateRule.POSITIVE: "to the VAT rate, e.g. 20",
    RateRule.ZERO: "to 0",
    RateRule.NOT_NEGATIVE: "to the rate, zero or more",
}


def _rate_fix(path: str, rule: RateRule) -> str:
    if rule is RateRule.ABSENT:
        return f"Remove {path}: category O has no VAT rate."
    return f"Set {path} {_RATE_FIXES[rule]}."


def line_rates(category: Category, facts: Facts) -> Iterator[Breach]:
    lines = facts.invoice.lines
    for n in facts.line_categories.get(category.code, ()):
        vat = lines[n].vat
        assert vat is not None  # indexed by its category
        if rate_breaks(category.rate, vat.rate):
            yield Breach(
                category.rule(5),
                f"/lines/{n}/vat/rate",
                _rate_fix(f"lines[{n}].vat.rate", category.rate),
            )


def document_rates(category: Category, facts: Facts) -> Iterator[Breach]:
    invoice = facts.invoice
    for number, kind, items, index in (
        (6, "allowances", invoice.allowances, facts.allowance_categories),
        (7, "charges", invoice.charges, facts.charge_categories),
    ):
        for k in index.get(category.code, ()):
            if rate_breaks(category.rate, items[k].vat_rate):
                yield Breach(
                    category.rule(number),
                    f"/{kind}/{k}/vat_rate",
                    _rate_fix(f"{kind}[{k}].vat_rate", category.rate),
                )


# --- 08: the taxable amount -----------------------------------------------------------------


def _within_one(stated: Decimal | None, computed: Decimal | None) -> bool:
    """``stated`` − 1 < ``computed`` < ``stated`` + 1, the bounds computed as the official
    test computes them: ``xs:decimal(TaxableAmount - 1)`` subtracts in binary floating point,
    so a difference of exactly one unit may pass or not as the double rounds."""
    if stated is None or computed is None:
        return False
    as_double = float(stated)
    return Decimal(as_double - 1.0) < computed < Decimal(as_double + 1.0)


def _taxable_fix(k: int, computed: Decimal | None) -> str:
    if computed is None:
        return (
            f"Remove vat_breakdown[{k}] or put lines at its category and rate: nothing is "
            "taxed at that rate."
        )
    return (
        f"Set vat_breakdown[{k}].taxable_amount to {computed}: line net amounts + charges "
        "− allowances of its category and rate."
    )


def taxable_amounts(category: Category, facts: Facts) -> Iterator[Breach]:
    invoice = facts.invoice
    wanted = category.code
    entries = facts.breakdown_categories.get(wanted, ())
    if not entries:
        return
    whole = sum((v for key, v in facts.taxable.items() if key.category == wanted), ZERO)
    for k in entries:
        entry = invoice.vat_breakdown[k]
        stated = entry.taxable_amount
        computed: Decimal | None
        if not category.per_rate:
            computed = whole
            holds = bool(invoice.lines) and stated is not None and stated == computed
        elif entry.rate is None:  # the official test holds for every rate stated: none here
            continue
        elif category.rate_in_use:
            key = VatKey(wanted, rate_key(entry.rate))
            computed = facts.taxable.get(key)
            # as the official test is written (its "or" binds looser than its "and"), the
            # document charges and allowances at the rate alone also satisfy it
            holds = _within_one(stated, computed) or _within_one(
                stated, facts.document_taxable.get(key)
            )
        else:
            computed = facts.taxable.get(VatKey(wanted, rate_key(entry.rate)), ZERO)
            holds = bool(invoice.lines) and _within_one(stated, computed)
        if not holds:
            yield Breach(
                category.rule(8), f"/vat_breakdown/{k}/taxable_amount", _taxable_fix(k, computed)
            )


# --- 09: the tax amount ---------------------------------------------------------------------


def tax_amounts(category: Category, facts: Facts) -> Iterator[Breach]:
    invoice = facts.invoice
    for k in facts.breakdown_categories.get(category.code, ()):
        entry = invoice.vat_breakdown[k]
        tax, taxable, rate = entry.tax_amount, entry.taxable_amount, entry.rate
        if category.per_rate:
            holds = (
                tax is not None
                and taxable is not None
                and rate is not None
                and vat_tax_within_one(tax, taxable, rate)
            )
            fix = f"Set vat_breakdown[{k}].tax_amount to taxable_amount × rate / 100."
        else:
            holds = tax is not None and tax == 0
            fix = f"Set vat_breakdown[{k}].tax_amount to 0."
        if not holds:
            yield Breach(category.rule(9), f"/vat_breakdown/{k}/tax_amount", fix)


# --- 10: the exemption reason ---------------------------------------------------------------


def exemption_reasons(category: Category, facts: Facts) -> Iterator[Breach]:
    invoice = facts.invoice
    for k in facts.breakdown_categories.get(category.code, ()):
        entry = invoice.vat_breakdown[k]
        stated = entry.exemption_reason is not None or entry.exemption_reason_code is not None
        if category.exempt and not stated:
            yield Breach(
                category.rule(10),
                f"/vat_breakdown/{k}/exemption_reason_code",
                f"Set vat_breakdown[{k}].exemption_reason_code (a VATEX code) or "
                f".exemption_reason (the legal ground, e.g. 'TVA non applicable, art. 293 B "
                "du CGI').",
            )
        elif not category.exempt and stated:
            yield Breach(
                category.rule(10),
                f"/vat_breakdown/{k}/exemption_reason",
                f"Remove vat_breakdown[{k}].exemption_reason and .exemption_reason_code: "
                f"category {category.code} is taxed.",
            )


Shape = Callable[[Category, Facts], Iterator[Breach]]

#: Rules 01 ... 10, in order.
SHAPES: tuple[Shape, ...] = (
    breakdown_present,
    partial(identifiers, number=2, holders="line_categories"),
    partial(identifiers, number=3, holders="allowance_categories"),
    partial(identifiers, number=4, holders="charge_categories"),
    line_rates,
    document_rates,
    taxable_amounts,
    tax_amounts,
    exemption_reasons,
)


def family(category: Category, facts: Facts) -> Iterator[Breach]:
    """Rules 01 ... 10 of ``category``; none applies to an invoice that never names it."""
    if facts.names(category.code):
        for shape in SHAPES:
            yield from shape(category, facts)


for _category in CATEGORIES:
    registry.add(tuple(_category.rule(n) for n in range(1, 11)), partial(family, _category))


# --- intra-community supply (K) -------------------------------------------------------------


@registry("BR-IC-11", "BR-IC-12")
def intra_community_delivery(facts: Facts) -> Iterator[Breach]:
    if "K" not in facts.breakdown_categories:
        return
    invoice = facts.invoice
    delivery, period = invoice.delivery, invoice.invoicing_period
    dated = (
        (delivery is not None and delivery.date is not None)
        or (period is not None and (period.start is not None or period.end is not None))
        or invoice.tax_point_date_code is not None
    )
    if not dated:
        yield Breach(
            "BR-IC-11",
            "/delivery/date",
            "Set delivery.date (the actual delivery date) or invoicing_period.",
        )
    address = delivery.address if delivery else None
    if address is None or address.country is None or len(address.country) < 2:
        yield Breach(
            "BR-IC-12",
            "/delivery/address/country",
            "Set delivery.address.country to the EU country the goods were delivered to.",
        )


# --- not subject to VAT (O) -----------------------------------------------------------------


@registry("BR-O-11", "BR-O-12", "BR-O-13", "BR-O-14")
def not_subject_alone(facts: Facts) -> Iterator[Breach]:
    if "O" not in facts.breakdown_categories:
        return
    invoice = facts.invoice
    for k, entry in enumerate(invoice.vat_breakdown):
        if code(entry.category) != "O":
            yield Breach(
                "BR-O-11",
                f"/vat_breakdown/{k}",
                f"Remove vat_breakdown[{k}] or issue a separate invoice: an invoice outside "
                "the scope of VAT has only category O.",
            )
    for n, line in enumerate(invoice.lines):
        if line.vat is not None and code(line.vat.category) != "O":
            yield Breach(
                "BR-O-12",
                f"/lines/{n}/vat/category",
                f"Set lines[{n}].vat.category to O, or invoice this line separately.",
            )
    groups: tuple[tuple[str, str, DocumentItems], ...] = (
        ("BR-O-13", "allowances", invoice.allowances),
        ("BR-O-14", "charges", invoice.charges),
    )
    for rule, kind, items in groups:
        for k, item in enumerate(items):
            if item.vat_category is not None and code(item.vat_category) != "O":
                yield Breach(
                    rule, f"/{kind}/{k}/vat_category", f"Set {kind}[{k}].vat_category to O."
                )


# --- Italian split payment (B) --------------------------------------------------------------


def _categories_used(facts: Facts) -> set[str | None]:
    return {
        *facts.line_categories,
        *facts.allowance_categories,
        *facts.charge_categories,
        *facts.breakdown_categories,
    }


def _countries(facts: Facts) -> Iterator[str]:
    invoice = facts.invoice
    for group in (invoice.seller, invoice.buyer, invoice.tax_representative, invoice.delivery):
        if group is not None and group.address is not None and group.address.country is not None:
            yield group.address.country
    for line in invoice.lines:
        if line.item is not None and line.item.origin_country is not None:
            yield line.item.origin_country


@registry("BR-B-01", "BR-B-02")
def split_payment(facts: Facts) -> Iterator[Breach]:
    used = _categories_used(facts)
    if "B" not in used:
        return
    if any(country != "IT" for country in _countries(facts)):
        yield Breach(
            "BR-B-01",
            "/vat_breakdown",
            "Use category B only on a domestic Italian invoice (every country code IT).",
        )
    if "S" in used:
        yield Breach(
            "BR-B-02",
            "/vat_breakdown",
            "Do not mix categories B and S on one invoice: issue two invoices.",
        )
