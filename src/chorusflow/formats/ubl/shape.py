"""The few places where UBL shapes EN 16931 terms differently from the model.

:func:`ubl_view` presents an invoice as the UBL binding reads it when writing, and
:func:`fold` turns what the binding read back into the model's shape:

* BT-21, the note subject code, rides at the start of the note text as ``#AAI#``;
* BG-16 payment instructions: UBL repeats ``PaymentMeans`` once per credit transfer account
  (BG-17), each with the means code and remittance information; the means text, card and
  mandate go in the first only. Reading merges every ``PaymentMeans``: the first code, text
  and remittance win, and each account is kept;
* BT-90, the SEPA creditor identifier, is a party identifier with scheme SEPA: in the payee
  when there is one, otherwise in the seller;
* BT-110 and BT-111 are two ``TaxTotal`` told apart by the currency of their amount; every
  ``TaxSubtotal``, in either, is a VAT breakdown (BG-23);
* in a CreditNote, BT-9 is the first ``PaymentMeans/PaymentDueDate``;
* BG-14 (invoicing period) and BT-8 (tax point date code) share one ``InvoicePeriod``;
  one with only BT-8 is no invoicing period;
* BT-24 defaults to EN 16931, and BT-110 to Σ BT-117 when there is a VAT breakdown (UBL
  requires the amount of a ``TaxTotal``; CII and the model do not).
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from chorusflow.formats.ubl.binding import EN16931
from chorusflow.model import DirectDebit, Invoice, Note, PaymentInstructions
from chorusflow.model.totals import ZERO, round2

_SUBJECT = re.compile(r"#([A-Z]{3})#(.*)", re.DOTALL)


def view(base: object = None, **replaced: object) -> SimpleNamespace:
    """``base``'s fields with some replaced or added: what the binding reads when writing
    (a plain namespace, so that each field costs one attribute lookup)."""
    fields = dict(vars(base)) if base is not None else {}
    fields.update(replaced)
    return SimpleNamespace(**fields)


# --- writing --------------------------------------------------------------------------------


def _note_text(note: Note) -> str | None:
    if note.subject_code:
        return f"#{note.subject_code}#{note.text or ''}"
    return note.text


def _mandate(debit: DirectDebit | None) -> DirectDebit | None:
    """BG-19 as ``PaymentMandate`` holds it: nothing when it only names the creditor (BT-90
    sits with a party)."""
    if debit is None or (
        debit.creditor_id is not None
        and debit.mandate_reference is None
        and debit.debited_account_id is None
    ):
        return None
    return debit


def _payment_means(invoice: Invoice) -> tuple[SimpleNamespace, ...]:
    payment = invoice.payment
    due_date = invoice.due_date if invoice.is_credit_note else None
    mandate = _mandate(payment.direct_debit) if payment else None
    only_creditor = (
        payment is not None
        and payment.direct_debit is not None
        and mandate is None
        and payment.model_copy(update={"direct_debit": None}) == PaymentInstructions()
    )
    if only_creditor:
        payment = None  # only a creditor identifier, written with the party
    if payment is None:
        if due_date is None:
            return ()
        payment = PaymentInstructions()
    return tuple(
        view(
            means_code=payment.means_code,
            means_text=payment.means_text if index == 0 else None,  # once only: UBL-SR-46
            due_date=due_date if index == 0 else None,
            remittance_information=payment.remittance_information,
            card=payment.card if index == 0 else None,
            credit_transfers=(account,) if account else (),
            direct_debit=mandate if index == 0 else None,
        )
        for index, account in enumerate(payment.credit_transfers or (None,))
    )


def _tax_totals(invoice: Invoice) -> tuple[SimpleNamespace, ...]:
    totals = invoice.totals
    out: list[SimpleNamespace] = []
    amount = totals.tax_total if totals else None
    if amount is None and invoice.vat_breakdown:
        # UBL requires the amount of a TaxTotal, and BR-CO-14 says what it is: Σ BT-117
        amount = round2(sum((v.tax_amount or ZERO for v in invoice.vat_breakdown), ZERO))
    if amount is not None or invoice.vat_breakdown:
        out.append(view(amount=amount, currency=invoice.currency, subtotals=invoice.vat_breakdown))
    accounting = totals.tax_total_accounting if totals else None
    currency = invoice.vat_accounting_currency
    same = currency is not None and currency == invoice.currency and accounting == amount
    if accounting is not None and not (same and out):  # one TaxTotal can be both
        out.append(view(amount=accounting, currency=invoice.vat_accounting_currency, subtotals=()))
    return tuple(out)


def _invoice_period(invoice: Invoice) -> SimpleNamespace | None:
    period, code = invoice.invoicing_period, invoice.tax_point_date_code
    if period is None and code is None:
        return None
    return view(
        start=period.start if period else None,
        end=period.end if period else None,
        tax_point_date_code=code,
    )


def ubl_view(invoice: Invoice) -> SimpleNamespace:
    """The invoice as the UBL binding reads it when writing."""
    payment = invoice.payment
    debit = payment.direct_debit if payment else None
    creditor = debit.creditor_id if debit else None
    return view(
        invoice,
        invoice_period=_invoice_period(invoice),
        specification_identifier=invoice.specification_identifier or EN16931,
        note_texts=tuple(_note_text(note) for note in invoice.notes),
        seller_sepa=creditor if invoice.payee is None else None,
        payee_sepa=creditor if invoice.payee is not None else None,
        payment_means=_payment_means(invoice),
        tax_totals=_tax_totals(invoice),
    )


# --- reading --------------------------------------------------------------------------------


def _note(text: str | None) -> dict[str, Any]:
    match = _SUBJECT.fullmatch(text) if text else None
    if match:
        return {"subject_code": match[1], "text": match[2]}
    return {"text": text}


def _fold_payment(data: dict[str, Any]) -> None:
    payment: dict[str, Any] = {}
    present = False  # a PaymentMeans with nothing but a credit note's due date is no BG-16
    for means in data.pop("payment_means", ()):
        due_date = means.pop("due_date", None)
        if due_date is not None:
            data.setdefault("due_date", due_date)
        present = present or bool(means) or due_date is None
        payment.setdefault("credit_transfers", []).extend(means.pop("credit_transfers", ()))
        for key, value in means.items():
            payment.setdefault(key, value)
    seller, payee = data.pop("seller_sepa", None), data.pop("payee_sepa", None)
    creditor = seller if seller is not None else payee
    if creditor is not None:
        payment.setdefault("direct_debit", {}).setdefault("creditor_id", creditor)
    if not payment.get("credit_transfers"):
        payment.pop("credit_transfers", None)
    if payment or present:
        data["payment"] = payment


def _fold_invoice_period(data: dict[str, Any]) -> None:
    """One InvoicePeriod holds BG-14 and BT-8; with only BT-8 it is no invoicing period."""
    period = data.pop("invoice_period", None)
    if period is None:
        return
    code = period.pop("tax_point_date_code", None)
    if code is not None:
        data["tax_point_date_code"] = code
    if period or code is None:
        data["invoicing_period"] = period


def _fold_tax_totals(data: dict[str, Any]) -> None:
    """BT-110 is the TaxTotal in the document currency, BT-111 the one in the VAT accounting
    currency (the same one when both currencies are the same); a TaxTotal in yet another
    currency is not BT-110 (BR-CO-15 counts the document currency's only) and takes BT-111 if
    free; one without a currency takes the first of the two still free. A further TaxTotal in
    a currency already seen has no place in the model and is dropped."""
    document, accounting = data.get("currency"), data.get("vat_accounting_currency")
    slots: dict[str, Any] = {}
    breakdown: list[dict[str, Any]] = []
    for total in data.pop("tax_totals", ()):
        breakdown.extend(total.get("subtotals", ()))
        currency = total.get("currency")
        if currency and currency == accounting and (currency != document or "tax_total" in slots):
            slot = "tax_total_accounting"
        elif currency and currency == document:
            slot = "tax_total"
        elif currency and document:
            slot = "tax_total_accounting"
        else:
            slot = "tax_total" if "tax_total" not in slots else "tax_total_accounting"
        if slot not in slots:
            slots[slot] = total.get("amount")
    if accounting and accounting == document and "tax_total_accounting" not in slots:
        slots["tax_total_accounting"] = slots.get("tax_total")  # the same element is both
    amounts = {slot: amount for slot, amount in slots.items() if amount is not None}
    if amounts:
        data.setdefault("totals", {}).update(amounts)
    if breakdown:
        data["vat_breakdown"] = breakdown


def fold(data: dict[str, Any]) -> dict[str, Any]:
    """What the UBL binding read, in the shape of :class:`chorusflow.model.Invoice`."""
    if "note_texts" in data:
        data["notes"] = [_note(text) for text in data.pop("note_texts")]
    _fold_invoice_period(data)
    _fold_tax_totals(data)
    _fold_payment(data)
    return data
