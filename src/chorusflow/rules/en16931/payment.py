"""BR-49, BR-50, BR-51, BR-61: the payment instructions (BG-16)."""

from __future__ import annotations

from collections.abc import Iterator

from chorusflow.model import PaymentInstructions
from chorusflow.rules.en16931.engine import Breach, Registry
from chorusflow.rules.en16931.facts import Facts, blank

registry = Registry()

#: BT-81 codes meaning a credit transfer (SEPA or not), which need a payee account (BT-84).
CREDIT_TRANSFER_CODES = frozenset({"30", "58"})


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
