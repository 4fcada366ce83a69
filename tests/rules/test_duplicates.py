"""Duplicates: an invoice number the same seller already used, locally known or in the batch."""

from __future__ import annotations

from chorusflow.model import Invoice, PartyIdentifier, Seller
from chorusflow.rules.duplicates import (
    FirstKnown,
    InMemoryKnownInvoices,
    KnownInvoice,
    duplicate_findings,
    seller_key,
)
from chorusflow.rules.findings import Layer, Severity

SIRET = "90123456700005"


def invoice(number: str | None, siret: str = SIRET, **seller: str) -> Invoice:
    ident = (PartyIdentifier(value=siret, scheme="0009"),) if siret else ()
    return Invoice(number=number, seller=Seller(identifiers=ident, **seller))  # type: ignore[arg-type]


def test_a_number_already_known_for_the_same_seller_is_a_fatal_duplicate() -> None:
    known = InMemoryKnownInvoices([KnownInvoice(SIRET, "FA-1", "outbox #3, DEPOSEE")])
    (finding,) = duplicate_findings(invoice("FA-1"), known)
    assert (finding.rule, finding.severity, finding.layer) == (
        "DUP-NUMBER",
        Severity.FATAL,
        Layer.DUPLICATES,
    )
    assert "outbox #3, DEPOSEE" in finding.message_en and "doublon" in finding.message_fr
    assert finding.location == "/number" and finding.fix


def test_another_number_or_another_seller_is_not_a_duplicate() -> None:
    known = InMemoryKnownInvoices([KnownInvoice(SIRET, "FA-1", "a.json")])
    assert duplicate_findings(invoice("FA-2"), known) == []
    assert duplicate_findings(invoice("FA-1", "35600000000048"), known) == []
    assert duplicate_findings(invoice(None), known) == []
    assert duplicate_findings(Invoice(number="FA-1"), known) == []


def test_the_batch_remembers_what_it_saw_first() -> None:
    batch = InMemoryKnownInvoices()
    batch.add(invoice("FA-1"), "a.json")
    batch.add(invoice("FA-1"), "b.json")
    assert batch.find(SIRET, "FA-1") == KnownInvoice(SIRET, "FA-1", "a.json")
    batch.add(invoice(" "), "c.json")
    assert batch.find(SIRET, " ") is None and batch.find(SIRET, "") is None


def test_sources_are_asked_in_turn() -> None:
    store = InMemoryKnownInvoices([KnownInvoice(SIRET, "FA-1", "outbox")])
    batch = InMemoryKnownInvoices(
        [KnownInvoice(SIRET, "FA-1", "a.json"), KnownInvoice(SIRET, "FA-2", "b.json")]
    )
    both = FirstKnown((store, batch))
    assert both.find(SIRET, "FA-1").source == "outbox"  # type: ignore[union-attr]
    assert both.find(SIRET, "FA-2").source == "b.json"  # type: ignore[union-attr]
    assert both.find(SIRET, "FA-3") is None


def test_the_seller_is_told_apart_by_siret_then_vat_then_registration_then_name() -> None:
    assert seller_key(invoice("1")) == SIRET
    assert seller_key(invoice("1", "", vat_id="DE136695976", name="GmbH")) == "DE136695976"
    assert seller_key(invoice("1", "", name=" Atelier ")) == "Atelier"
    registration = Invoice(seller=Seller(legal_registration=PartyIdentifier(value="HRB 1")))
    assert seller_key(registration) == "HRB 1"
    assert seller_key(Invoice()) is None
    assert seller_key(Invoice(seller=Seller())) is None
