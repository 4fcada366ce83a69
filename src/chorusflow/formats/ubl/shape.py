"""The few places where UBL shapes EN 16931 terms differently from the model, both ways.

:func:`for_xml` turns a dumped invoice into the shape the UBL declaration walks, and
:func:`for_model` turns what the declaration read back into the model's shape:

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
* UBL has no element of BG-31's own (``cac:Item`` also holds the line's VAT, BG-30): an
  empty ``cac:Item`` is no item, and an empty item is not written.

Values are moved, never rewritten (but for the note subject), so that a value marked in the
dumped invoice can be found where the writer puts it (:mod:`chorusflow.rules.locate`).
"""

from __future__ import annotations

import re
from typing import Any

from chorusflow.formats.xmlbind import Data, holds_nothing

_SUBJECT = re.compile(r"#([A-Z]{3})#(.*)", re.DOTALL)


# --- writing --------------------------------------------------------------------------------


def _note_text(note: Data) -> str | None:
    text, code = note.get("text"), note.get("subject_code")
    return f"#{code}#{text or ''}" if code else text


def _mandate(debit: Data | None) -> Data | None:
    """BG-19 as ``PaymentMandate`` holds it: nothing when it only names the creditor (BT-90
    sits with a party)."""
    if debit is None or (
        debit.get("creditor_id") is not None and holds_nothing(debit, "creditor_id")
    ):
        return None
    return debit


def _payment_means(data: Data, credit_note: bool) -> list[Data]:
    payment = data.get("payment")
    due_date = data.get("due_date") if credit_note else None
    debit = payment.get("direct_debit") if payment else None
    mandate = _mandate(debit)
    if debit is not None and mandate is None and holds_nothing(payment, "direct_debit"):
        payment = None  # only a creditor identifier, written with the party
    if payment is None:
        if due_date is None:
            return []
        payment = {}
    return [
        {
            "means_code": payment.get("means_code"),
            "means_text": payment.get("means_text") if index == 0 else None,  # UBL-SR-46
            "due_date": due_date if index == 0 else None,
            "remittance_information": payment.get("remittance_information"),
            "card": payment.get("card") if index == 0 else None,
            "credit_transfers": [account] if account else [],
            "direct_debit": mandate if index == 0 else None,
        }
        for index, account in enumerate(payment.get("credit_transfers") or [None])
    ]


def _tax_totals(data: Data) -> list[Data]:
    totals = data.get("totals") or {}
    breakdown = data.get("vat_breakdown") or []
    currency = data.get("currency")
    out: list[Data] = []
    amount = totals.get("tax_total")
    if amount is not None or breakdown:
        out.append({"amount": amount, "currency": currency, "subtotals": breakdown})
    accounting = totals.get("tax_total_accounting")
    other = data.get("vat_accounting_currency")
    same = other is not None and other == currency and accounting == amount
    if accounting is not None and not (same and out):  # one TaxTotal can be both
        out.append({"amount": accounting, "currency": other, "subtotals": []})
    return out


def _invoice_period(data: Data) -> Data | None:
    period, code = data.get("invoicing_period"), data.get("tax_point_date_code")
    if period is None and code is None:
        return None
    return {**(period or {"start": None, "end": None}), "tax_point_date_code": code}


def for_xml(data: Data, credit_note: bool) -> Data:
    """A dumped invoice (modified in place and returned) in the shape the UBL declaration
    walks; ``credit_note`` when it is written as a CreditNote."""
    payment = data.get("payment")
    debit = payment.get("direct_debit") if payment else None
    creditor = debit.get("creditor_id") if debit else None
    has_payee = data.get("payee") is not None
    data["note_texts"] = [_note_text(note) for note in data.get("notes") or ()]
    data["seller_sepa"] = None if has_payee else creditor
    data["payee_sepa"] = creditor if has_payee else None
    data["payment_means"] = _payment_means(data, credit_note)
    data["tax_totals"] = _tax_totals(data)
    data["invoice_period"] = _invoice_period(data)
    return data


# --- reading --------------------------------------------------------------------------------


def _note(text: str | None) -> dict[str, Any]:
    match = _SUBJECT.fullmatch(text) if text else None
    if match:
        return {"subject_code": match[1], "text": match[2]}
    return {"text": text}


def _fold_payment(data: Data) -> None:
    payment: Data = {}
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


def _fold_invoice_period(data: Data) -> None:
    """One InvoicePeriod holds BG-14 and BT-8; with only BT-8 it is no invoicing period."""
    period = data.pop("invoice_period", None)
    if period is None:
        return
    code = period.pop("tax_point_date_code", None)
    if code is not None:
        data["tax_point_date_code"] = code
    if period or code is None:
        data["invoicing_period"] = period


def _fold_tax_totals(data: Data) -> None:
    """BT-110 is the TaxTotal in the document currency, BT-111 the one in the VAT accounting
    currency (the same one when both currencies are the same); a TaxTotal in yet another
    currency is not BT-110 (BR-CO-15 counts the document currency's only) and takes BT-111 if
    free; one without a currency takes the first of the two still free. A further TaxTotal in
    a currency already seen has no place in the model and is dropped."""
    document, accounting = data.get("currency"), data.get("vat_accounting_currency")
    slots: dict[str, Any] = {}
    breakdown: list[Data] = []
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


def for_model(data: Data) -> Data:
    """What the UBL declaration read, in the shape of :class:`chorusflow.model.Invoice`."""
    if "note_texts" in data:
        data["notes"] = [_note(text) for text in data.pop("note_texts")]
    _fold_invoice_period(data)
    _fold_tax_totals(data)
    _fold_payment(data)
    return data
