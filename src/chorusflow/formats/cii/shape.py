"""The three places where CII shapes invoice data differently from EN 16931, both ways.

* Payment instructions (BG-16): CII repeats ``SpecifiedTradeSettlementPaymentMeans`` once per
  credit-transfer account, each with the means code; the means text (BT-82), the card (BG-18)
  and the debited account (BT-91) ride on the first one. An account that looks like an IBAN
  is an ``IBANID``, any other a ``ProprietaryID``.
* The VAT totals (BT-110, BT-111): two ``TaxTotalAmount`` told apart by their ``currencyID``,
  the invoice currency (BT-5) and the VAT accounting currency (BT-6).
* The tax point date and its code (BT-7, BT-8) are invoice terms that CII writes in every VAT
  breakdown; they are read back from the first breakdown that has them.

:func:`for_xml` turns a dumped :class:`~chorusflow.model.Invoice` into the shape the
declaration in :mod:`~chorusflow.formats.cii.mapping` walks; :func:`for_model` undoes it.
"""

from __future__ import annotations

from typing import Any

from chorusflow.formats.cii.mapping import IBAN_SHAPE
from chorusflow.formats.profiles import Profile
from chorusflow.formats.xmlbind import Data, holds_nothing

_TAX_POINT = ("tax_point_date", "tax_point_date_code")


def _means_rows(payment: Data) -> list[Data]:
    """One row per account, holding what ``SpecifiedTradeSettlementPaymentMeans`` holds; a
    payment that holds nothing at all is one empty row (an empty BG-16 is there, for BR-49)."""
    if holds_nothing(payment):
        return [{}]
    transfers = payment.get("credit_transfers") or [None]
    debit = payment.get("direct_debit") or {}
    rows: list[Data] = []
    for index, transfer in enumerate(transfers):
        row: Data = {"means_code": payment.get("means_code")}
        if index == 0:
            row["means_text"] = payment.get("means_text")
            row["card"] = payment.get("card")
            row["debited_account_id"] = debit.get("debited_account_id")
        if transfer:
            account = transfer.get("account_id")
            if account is not None:
                compact = "".join(account.split()).upper()
                row["iban" if IBAN_SHAPE.fullmatch(compact) else "proprietary_id"] = account
            row["account_name"] = transfer.get("account_name")
            row["provider_id"] = transfer.get("provider_id")
        if not holds_nothing(row):  # the payment's terms CII writes elsewhere need no row
            rows.append(row)
    return rows


def _payment(rows: list[Data], payment: Data) -> None:
    first = rows[0]
    for key in ("means_code", "means_text"):
        if key in first:
            payment[key] = first[key]
    card = next((row["card"] for row in rows if "card" in row), None)
    if card is not None:
        payment["card"] = card
    debited = next((row["debited_account_id"] for row in rows if "debited_account_id" in row), None)
    if debited is not None:
        payment.setdefault("direct_debit", {})["debited_account_id"] = debited
    transfers = []
    for row in rows:
        transfer = {
            "account_id": row.get("iban", row.get("proprietary_id")),
            "account_name": row.get("account_name"),
            "provider_id": row.get("provider_id"),
        }
        transfer = {key: value for key, value in transfer.items() if value is not None}
        if transfer:
            transfers.append(transfer)
    if transfers:
        payment["credit_transfers"] = transfers


def for_xml(invoice: Data, profile: Profile) -> Data:
    """Reshape a dumped invoice (modified in place and returned) for the CII declaration.

    MINIMUM has no VAT accounting currency (BT-6), so it gets no BT-111 either: its currency
    would be one the document does not name.
    """
    payment = invoice.get("payment")
    if payment:
        payment["means"] = _means_rows(payment)
    totals = invoice.get("totals")
    if totals:
        rows = [
            {"amount": totals.get("tax_total"), "currency": invoice.get("currency")},
            {
                "amount": totals.get("tax_total_accounting"),
                "currency": invoice.get("vat_accounting_currency"),
            },
        ]
        if profile is Profile.MINIMUM:
            rows = rows[:1]
        totals["tax_totals"] = [row for row in rows if row["amount"] is not None]
    point = {key: invoice.get(key) for key in _TAX_POINT}
    if any(value is not None for value in point.values()):
        for entry in invoice.get("vat_breakdown") or ():
            entry.update(point)
    return invoice


def _tax_totals(invoice: Data, totals: Data) -> None:
    currency = invoice.get("currency")
    accounting = invoice.get("vat_accounting_currency")
    for row in totals.pop("tax_totals", ()):
        amount: Any = row.get("amount")
        if amount is None:
            continue
        found = row.get("currency")
        # BT-110 is the total in the invoice currency: an amount in another one is not it
        elsewhere = found is not None and currency is not None and found != currency
        if not elsewhere and "tax_total" not in totals:
            totals["tax_total"] = amount
        elif elsewhere or found is None or accounting == currency:
            totals.setdefault("tax_total_accounting", amount)
        # else a second total in the invoice currency: the model has no place for it


def for_model(invoice: Data) -> Data:
    """Undo :func:`for_xml` on data read from CII (modified in place and returned)."""
    payment = invoice.get("payment")
    if payment is not None:
        rows = payment.pop("means", None)
        if rows:
            _payment(rows, payment)
    totals = invoice.get("totals")
    if totals is not None:
        _tax_totals(invoice, totals)
    for entry in invoice.get("vat_breakdown") or ():
        for key in _TAX_POINT:
            value = entry.pop(key, None)
            if value is not None:
                invoice.setdefault(key, value)
    return invoice
