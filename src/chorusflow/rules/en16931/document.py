"""BR-01 ... BR-65 on the document as a whole: its header terms, totals, document level
allowances and charges, VAT breakdown and references.

Each check reads the model the way the official schematron reads the document: a group the
rule is about must be there for its inner rule to apply, and a text made only of blanks counts
as missing where the schematron says ``normalize-space(...) != ''``. A missing document totals
group (BG-22) reads as an empty one (see :class:`~chorusflow.rules.en16931.facts.Facts`), so
BR-12 ... BR-15 speak when the whole group is absent.
"""

from __future__ import annotations

from collections.abc import Iterator

from chorusflow.rules.en16931.engine import Breach, Registry
from chorusflow.rules.en16931.facts import DocumentItems, Facts, blank

registry = Registry()


# --- the document ---------------------------------------------------------------------------


@registry("BR-01")
def specification(facts: Facts) -> Iterator[Breach]:
    if blank(facts.invoice.specification_identifier):
        yield Breach(
            "BR-01",
            "/specification_identifier",
            "Set specification_identifier to urn:cen.eu:en16931:2017 (the writers set it "
            "from the profile they write).",
        )


@registry("BR-02")
def number(facts: Facts) -> Iterator[Breach]:
    if blank(facts.invoice.number):
        yield Breach("BR-02", "/number", "Set number to the invoice number.")


@registry("BR-03")
def issue_date(facts: Facts) -> Iterator[Breach]:
    if facts.invoice.issue_date is None:
        yield Breach("BR-03", "/issue_date", "Set issue_date to the date of issue (YYYY-MM-DD).")


@registry("BR-04")
def type_code(facts: Facts) -> Iterator[Breach]:
    if blank(facts.invoice.type_code):
        yield Breach(
            "BR-04", "/type_code", "Set type_code to 380 for an invoice, 381 for a credit note."
        )


@registry("BR-05")
def currency(facts: Facts) -> Iterator[Breach]:
    if blank(facts.invoice.currency):
        yield Breach("BR-05", "/currency", "Set currency to the invoice currency, e.g. EUR.")


@registry("BR-16")
def lines(facts: Facts) -> Iterator[Breach]:
    if not facts.invoice.lines:
        yield Breach("BR-16", "/lines", "Add at least one line to lines.")


@registry("BR-29")
def invoicing_period(facts: Facts) -> Iterator[Breach]:
    period = facts.invoice.invoicing_period
    if period and period.start and period.end and period.end < period.start:
        yield Breach(
            "BR-29",
            "/invoicing_period/end",
            f"Set invoicing_period.end on or after invoicing_period.start ({period.start}).",
        )


@registry("BR-53")
def accounting_currency_total(facts: Facts) -> Iterator[Breach]:
    invoice, totals = facts.invoice, facts.totals
    code = invoice.vat_accounting_currency
    if code is None:
        return
    stated = totals.tax_total_accounting is not None or (
        code == invoice.currency and totals.tax_total is not None
    )
    if not stated:
        yield Breach(
            "BR-53",
            "/totals/tax_total_accounting",
            f"Set totals.tax_total_accounting to the total VAT in {code}, or remove "
            "vat_accounting_currency.",
        )


# --- totals ---------------------------------------------------------------------------------

_TOTALS = (
    ("BR-12", "line_total", "the sum of the line net amounts"),
    ("BR-13", "tax_exclusive", "the total without VAT"),
    ("BR-14", "tax_inclusive", "the total with VAT"),
    ("BR-15", "payable", "the amount due for payment"),
)


@registry("BR-12", "BR-13", "BR-14", "BR-15")
def document_totals(facts: Facts) -> Iterator[Breach]:
    totals = facts.totals
    for rule, name, what in _TOTALS:
        if getattr(totals, name) is None:
            yield Breach(rule, f"/totals/{name}", f"Set totals.{name} to {what}.")


# --- document allowances and charges --------------------------------------------------------


@registry("BR-31", "BR-32", "BR-33", "BR-CO-21", "BR-36", "BR-37", "BR-38", "BR-CO-22")
def document_allowances_and_charges(facts: Facts) -> Iterator[Breach]:
    """BR-33 and BR-CO-21 (BR-38 and BR-CO-22) state the same demand under two ids."""
    invoice = facts.invoice
    groups: tuple[tuple[str, DocumentItems, tuple[str, str, str, str]], ...] = (
        ("allowances", invoice.allowances, ("BR-31", "BR-32", "BR-33", "BR-CO-21")),
        ("charges", invoice.charges, ("BR-36", "BR-37", "BR-38", "BR-CO-22")),
    )
    for kind, items, (amount_rule, category_rule, *reason_rules) in groups:
        for k, item in enumerate(items):
            at = f"/{kind}/{k}"
            if item.amount is None:
                yield Breach(amount_rule, f"{at}/amount", f"Set {kind}[{k}].amount.")
            if item.vat_category is None:
                yield Breach(
                    category_rule,
                    f"{at}/vat_category",
                    f"Set {kind}[{k}].vat_category (and vat_rate), e.g. S and 20.",
                )
            if item.reason is None and item.reason_code is None:
                fix = f"Set {kind}[{k}].reason (text) or {kind}[{k}].reason_code."
                for rule in reason_rules:
                    yield Breach(rule, f"{at}/reason", fix)


# --- VAT breakdown --------------------------------------------------------------------------


@registry("BR-45", "BR-46", "BR-47", "BR-48")
def vat_breakdown_terms(facts: Facts) -> Iterator[Breach]:
    for k, entry in enumerate(facts.invoice.vat_breakdown):
        at = f"/vat_breakdown/{k}"
        if entry.taxable_amount is None:
            yield Breach("BR-45", f"{at}/taxable_amount", f"Set vat_breakdown[{k}].taxable_amount.")
        if entry.tax_amount is None:
            yield Breach("BR-46", f"{at}/tax_amount", f"Set vat_breakdown[{k}].tax_amount.")
        if entry.category is None:
            yield Breach("BR-47", f"{at}/category", f"Set vat_breakdown[{k}].category, e.g. S.")
        if entry.rate is None and (entry.category or "").strip() != "O":
            yield Breach(
                "BR-48",
                f"{at}/rate",
                f"Set vat_breakdown[{k}].rate (0 for an exempt or zero-rated category).",
            )


# --- references -----------------------------------------------------------------------------


@registry("BR-52")
def supporting_documents(facts: Facts) -> Iterator[Breach]:
    """Both syntaxes write the invoiced object identifier (BT-18) as a supporting document
    reference of type 130, so BR-52 applies to it too."""
    invoiced = facts.invoice.invoiced_object_identifier
    if invoiced is not None and blank(invoiced.value):
        yield Breach(
            "BR-52",
            "/invoiced_object_identifier/value",
            "Set invoiced_object_identifier.value, or remove invoiced_object_identifier.",
        )
    for k, document in enumerate(facts.invoice.supporting_documents):
        if blank(document.reference):
            yield Breach(
                "BR-52",
                f"/supporting_documents/{k}/reference",
                f"Set supporting_documents[{k}].reference, e.g. the file's name or number.",
            )


@registry("BR-55")
def preceding_invoices(facts: Facts) -> Iterator[Breach]:
    for k, preceding in enumerate(facts.invoice.preceding_invoices):
        if preceding.reference is None:
            yield Breach(
                "BR-55",
                f"/preceding_invoices/{k}/reference",
                f"Set preceding_invoices[{k}].reference to the number of the invoice corrected.",
            )
