"""Invoice numbers already used by the same seller (layer ``duplicates``).

Chorus Pro holds an invoice number unique per supplier (API.md §8.4) and refuses a second
deposit of it as a duplicate (DOUBLON), often after the first one timed out and was re-sent.
Catching that before deposit needs to know what was already issued: :class:`KnownInvoices` is
that knowledge — the outbox implements it over its store, :class:`InMemoryKnownInvoices` holds
it for one run (``validate`` with several files uses it to flag duplicates among them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from chorusflow.model import Invoice, routing
from chorusflow.rules.findings import Finding, Layer, Severity


@dataclass(frozen=True, slots=True)
class KnownInvoice:
    """An invoice number already issued by a seller, and where it is known from."""

    seller: str
    number: str
    source: str
    """Where it was seen, in the user's terms: a file name, an outbox entry and its status."""


class KnownInvoices(Protocol):
    """Invoice numbers already issued, by seller."""

    def find(self, seller: str, number: str) -> KnownInvoice | None:
        """The known invoice ``number`` of ``seller``, or None."""
        ...


def seller_key(invoice: Invoice) -> str | None:
    """Who issued the invoice, as Chorus Pro tells suppliers apart: the SIRET first.

    Without a SIRET (a foreign seller), the VAT number, then the legal registration, then the
    name; None when the invoice names no seller at all.
    """
    seller = invoice.seller
    if seller is None:
        return None
    siret = routing(invoice).seller_siret
    registration = seller.legal_registration.value if seller.legal_registration else None
    for candidate in (siret, seller.vat_id, registration, seller.name):
        if candidate and candidate.strip():
            return candidate.strip()
    return None


class InMemoryKnownInvoices:
    """Known invoices held in memory, for one run."""

    def __init__(self, known: Iterable[KnownInvoice] = ()) -> None:
        self._known: dict[tuple[str, str], KnownInvoice] = {}
        for item in known:
            self._known.setdefault((item.seller, item.number), item)

    def add(self, invoice: Invoice, source: str) -> None:
        """Remember ``invoice`` as seen in ``source`` (the first source of a number stays)."""
        self.remember(seller_key(invoice), invoice.number, source)

    def remember(self, seller: str | None, number: str | None, source: str) -> None:
        """Remember ``number`` of ``seller`` as seen in ``source`` (the first source stays)."""
        if seller and number and number.strip():
            key = (seller, number.strip())
            self._known.setdefault(key, KnownInvoice(*key, source))

    def find(self, seller: str, number: str) -> KnownInvoice | None:
        return self._known.get((seller, number))


@dataclass(frozen=True, slots=True)
class FirstKnown:
    """Several sources of known invoices asked in turn (e.g. the outbox, then this batch)."""

    sources: tuple[KnownInvoices, ...]

    def find(self, seller: str, number: str) -> KnownInvoice | None:
        for source in self.sources:
            if (found := source.find(seller, number)) is not None:
                return found
        return None


def duplicate_findings(invoice: Invoice, known: KnownInvoices) -> list[Finding]:
    """A finding when the seller already issued this invoice number."""
    return number_findings(seller_key(invoice), invoice.number, known)


def number_findings(seller: str | None, number: str | None, known: KnownInvoices) -> list[Finding]:
    """:func:`duplicate_findings` from the seller's key and the number alone (what ``send``
    keeps of an invoice prepared in another process)."""
    if not seller or not number or not number.strip():
        return []
    previous = known.find(seller, number.strip())
    if previous is None:
        return []
    return [
        Finding(
            rule="DUP-NUMBER",
            severity=Severity.FATAL,
            layer=Layer.DUPLICATES,
            message_en=f"The invoice number {previous.number} was already used by seller "
            f"{seller} ({previous.source}); Chorus Pro refuses it as a duplicate.",
            message_fr=f"Le numéro de facture {previous.number} a déjà été utilisé par le "
            f"vendeur {seller} ({previous.source}) ; Chorus Pro le refusera comme doublon.",
            location="/number",
            fix="Give this invoice a new number; if it is the same invoice, do not send it again.",
        )
    ]
