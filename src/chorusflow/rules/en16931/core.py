"""BR-01 ... BR-65: the terms an invoice must have, and the conditions between them.

Each check reads the model the way the official schematron reads the document: a group the
rule is about must be there for its inner rule to apply (an absent seller address breaks
BR-08, not BR-09), and a text made only of blanks counts as missing where the schematron
says ``normalize-space(...) != ''``. A missing document totals group (BG-22) reads as an
empty one (see :class:`~chorusflow.rules.en16931.facts.Facts`), so BR-12 ... BR-15 speak
when the whole group is absent.
"""

from __future__ import annotations

from collections.abc import Iterator

from chorusflow.model import PaymentInstructions
from chorusflow.rules.en16931.engine import Breach, Registry
from chorusflow.rules.en16931.facts import DocumentItems, Facts, LineItems

registry = Registry()

#: BT-81 codes meaning a credit transfer (SEPA or not), which need a payee account (BT-84).
CREDIT_TRANSFER_CODES = frozenset({"30", "58"})


def blank(text: str | None) -> bool:
    """Missing, or only white space (``normalize-space(.) = ''``)."""
    return text is None or not text.strip()


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


# --- parties --------------------------------------------------------------------------------


@registry("BR-06", "BR-08", "BR-09")
def seller(facts: Facts) -> Iterator[Breach]:
    party = facts.seller
    if party is None or blank(party.name):
        yield Breach("BR-06", "/seller/name", "Set seller.name to the seller's legal name.")
    if party is None or party.address is None:
        yield Breach(
            "BR-08",
            "/seller/address",
            "Set seller.address to the seller's postal address, with its country (e.g. FR).",
        )
    elif blank(party.address.country):
        yield Breach("BR-09", "/seller/address/country", "Set seller.address.country, e.g. FR.")


@registry("BR-07", "BR-10", "BR-11")
def buyer(facts: Facts) -> Iterator[Breach]:
    party = facts.buyer
    if party is None or blank(party.name):
        yield Breach("BR-07", "/buyer/name", "Set buyer.name to the buyer's legal name.")
    if party is None or party.address is None:
        yield Breach(
            "BR-10",
            "/buyer/address",
            "Set buyer.address to the buyer's postal address, with its country (e.g. FR).",
        )
    elif blank(party.address.country):
        yield Breach("BR-11", "/buyer/address/country", "Set buyer.address.country, e.g. FR.")


@registry("BR-17")
def payee(facts: Facts) -> Iterator[Breach]:
    party = facts.invoice.payee
    if party is None:
        return
    seller_ids = {i.value for i in facts.seller.identifiers} if facts.seller else set()
    same_name = facts.seller is not None and party.name == facts.seller.trading_name
    same_id = party.identifier is not None and party.identifier.value in seller_ids
    if party.name is None or same_name or same_id:
        yield Breach(
            "BR-17",
            "/payee/name",
            "Set payee.name to the party that receives the payment (e.g. the factor), or "
            "remove payee when the seller is paid.",
        )


@registry("BR-18", "BR-19", "BR-20", "BR-56")
def tax_representative(facts: Facts) -> Iterator[Breach]:
    party = facts.representative
    if party is None:
        return
    if blank(party.name):
        yield Breach("BR-18", "/tax_representative/name", "Set tax_representative.name.")
    if party.address is None:
        yield Breach(
            "BR-19",
            "/tax_representative/address",
            "Set tax_representative.address, with its country.",
        )
    elif blank(party.address.country):
        yield Breach(
            "BR-20",
            "/tax_representative/address/country",
            "Set tax_representative.address.country, e.g. FR.",
        )
    if party.vat_id is None:
        yield Breach(
            "BR-56",
            "/tax_representative/vat_id",
            "Set tax_representative.vat_id to the representative's VAT number.",
        )


@registry("BR-57")
def delivery_address(facts: Facts) -> Iterator[Breach]:
    delivery = facts.invoice.delivery
    if delivery and delivery.address and delivery.address.country is None:
        yield Breach(
            "BR-57",
            "/delivery/address/country",
            "Set delivery.address.country to the country delivered to, e.g. FR.",
        )


@registry("BR-62", "BR-63")
def electronic_addresses(facts: Facts) -> Iterator[Breach]:
    for rule, role, party in (("BR-62", "seller", facts.seller), ("BR-63", "buyer", facts.buyer)):
        address = party.electronic_address if party else None
        if address is not None and address.scheme is None:
            yield Breach(
                rule,
                f"/{role}/electronic_address/scheme",
                f"Set {role}.electronic_address.scheme, e.g. 0009 when the address is a SIRET.",
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


# --- lines ----------------------------------------------------------------------------------


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


# --- payment --------------------------------------------------------------------------------


def _creditor_only(payment: PaymentInstructions) -> bool:
    """The payment instructions hold the bank assigned creditor identifier (BT-90) alone.

    Both syntaxes write that identifier with the seller or the payee, outside the payment
    means, so BR-49 does not ask for a means code then.
    """
    debit = payment.direct_debit
    return (
        debit is not None
        and debit.creditor_id is not None
        and debit.mandate_reference is None
        and debit.debited_account_id is None
        and payment.means_text is None
        and payment.remittance_information is None
        and not payment.credit_transfers
        and payment.card is None
    )


@registry("BR-49", "BR-50", "BR-61")
def payment_means(facts: Facts) -> Iterator[Breach]:
    payment = facts.payment
    if payment is None:
        return
    code = payment.means_code
    if code is None:
        if _creditor_only(payment):
            return
        yield Breach(
            "BR-49",
            "/payment/means_code",
            "Set payment.means_code, e.g. 30 (credit transfer) or 58 (SEPA credit transfer).",
        )
        return
    if code in CREDIT_TRANSFER_CODES:
        for k, transfer in enumerate(payment.credit_transfers):
            if blank(transfer.account_id):
                yield Breach(
                    "BR-50",
                    f"/payment/credit_transfers/{k}/account_id",
                    f"Set payment.credit_transfers[{k}].account_id to the IBAN to pay.",
                )
    if code.strip() in CREDIT_TRANSFER_CODES and not any(
        t.account_id is not None for t in payment.credit_transfers
    ):
        yield Breach(
            "BR-61",
            "/payment/credit_transfers",
            "Add to payment.credit_transfers the account to pay (account_id: the IBAN).",
        )


@registry("BR-51")
def card_number(facts: Facts) -> Iterator[Breach]:
    card = facts.payment.card if facts.payment else None
    number = card.primary_account_number if card else None
    if number is not None and len(" ".join(number.split())) > 10:
        yield Breach(
            "BR-51",
            "/payment/card/primary_account_number",
            "Keep at most the first 6 and last 4 digits of the card number in "
            "payment.card.primary_account_number.",
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
