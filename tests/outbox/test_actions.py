"""Recycle, complete and re-issue against the sandbox, each followed to a final status.

The sandbox's buyer acts only through the API (manual buyer): the test, as the buyer, sends
an invoice back (A_RECYCLER), suspends it (SUSPENDUE) or rejects it (REJETEE) with
traiterFactureRecue; the outbox's action answers it; the buyer then pays.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from chorusflow.chorus.exceptions import BusinessError
from chorusflow.errors import InputError
from chorusflow.outbox import InvoiceRecord, SendOptions, State, Store, Worker, enqueue
from chorusflow.outbox.actions import (
    RoutingChange,
    WrongStateError,
    complete,
    read_attachment,
    recycle,
    reissue,
    replaced_by,
    replaces,
)
from chorusflow.sandbox.settings import FAST
from tests.chorus.conftest import SUPPLIER, Bench, start_bench
from tests.outbox.conftest import QUICK, accounts, invoice_file
from tests.outbox.test_delivery import numbers, on_platform

BUYER = "12345678200051"  # the example's buyer: no routing demand
COMMUNE = "21380185500015"
SERVICE_REQUIRED = "12345678200028"


@pytest.fixture(scope="module")
def manual(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    """A sandbox whose buyer acts only through the API (FAST platform steps)."""
    stop, bench = start_bench(
        tmp_path_factory.mktemp("actions-sandbox"), policy=replace(FAST.policy, automatic=False)
    )
    yield bench
    stop()


def drive(
    worker: Worker, store: Store, invoice_id: int, done: Callable[[InvoiceRecord], bool]
) -> InvoiceRecord:
    """Worker steps until ``done`` holds for the invoice (30 s at most)."""
    deadline = time.monotonic() + 30
    while True:
        worker.step()
        record = store.invoice(invoice_id)
        assert record is not None
        if done(record):
            return record
        assert time.monotonic() < deadline, record
        time.sleep(0.02)


def at(status: str) -> Callable[[InvoiceRecord], bool]:
    return lambda r: r.lifecycle == status


def buyer_moves(bench: Bench, record: InvoiceRecord, status: str, buyer: str = BUYER) -> None:
    answer = bench.api.call(
        "/cpro/factures/v1/traiter/recue",
        {"idFacture": record.cpp_id, "nouveauStatut": status, "motif": f"test: {status}"},
        buyer,
    )
    assert answer["codeRetour"] == 0, answer


def handed_back(
    bench: Bench, store: Store, tmp_path: Path, status: str, prefix: str
) -> tuple[Worker, InvoiceRecord]:
    """An invoice delivered, made available, then handed back by the buyer as ``status``."""
    [number] = numbers(prefix, 1)
    [queued] = enqueue(store, [invoice_file(tmp_path, number, "ubl")], SendOptions())
    worker = Worker(store, accounts(bench), QUICK)
    record = drive(worker, store, queued.invoice_id, at("MISE_A_DISPOSITION"))
    buyer_moves(bench, record, status)
    wanted = State.REFUSED if status == "REJETEE" else State.NEEDS_USER
    record = drive(worker, store, queued.invoice_id, lambda r: r.state is wanted)
    assert record.lifecycle == status
    return worker, record


def test_recycle_with_corrected_routing_then_paid(
    manual: Bench, store: Store, tmp_path: Path
) -> None:
    worker, record = handed_back(manual, store, tmp_path, "A_RECYCLER", "RCY")
    change = RoutingChange(buyer_siret=COMMUNE, service_code="FACTURES_PUBLIQUES")
    moved = recycle(store, accounts(manual), record.id, change, "mauvais destinataire")
    assert moved.state is State.INTEGRATED and moved.lifecycle == "DEPOSEE"
    assert moved.buyer == COMMUNE
    last = store.history(record.id)[-1]
    assert (last.source, last.target, last.status) == (
        State.NEEDS_USER,
        State.INTEGRATED,
        "DEPOSEE",
    )
    assert "recycled" in last.reason and COMMUNE in last.reason
    # followed again: the same invoice reaches the new buyer, who pays it
    again = drive(worker, store, record.id, at("MISE_A_DISPOSITION"))
    assert again.cpp_id == record.cpp_id
    buyer_moves(manual, again, "MISE_EN_PAIEMENT", buyer=COMMUNE)
    paid = drive(worker, store, record.id, lambda r: r.state is State.PAID)
    assert paid.lifecycle == "MISE_EN_PAIEMENT"


def test_recycle_refused_by_chorus_pro_changes_nothing(
    manual: Bench, store: Store, tmp_path: Path
) -> None:
    _worker, record = handed_back(manual, store, tmp_path, "A_RECYCLER", "RCYX")
    before = store.history(record.id)
    # this buyer demands a service code: the routing is refused, with the catalogue's fix
    with pytest.raises(BusinessError) as refused:
        recycle(store, accounts(manual), record.id, RoutingChange(buyer_siret=SERVICE_REQUIRED))
    assert refused.value.code == 20304
    assert refused.value.fix
    after = store.invoice(record.id)
    assert after is not None and after.state is State.NEEDS_USER
    assert after.lifecycle == "A_RECYCLER" and after.lease_owner is None
    assert store.history(record.id) == before


def test_complete_with_attachments_then_paid(manual: Bench, store: Store, tmp_path: Path) -> None:
    worker, record = handed_back(manual, store, tmp_path, "SUSPENDUE", "SUS")
    delivery_note = tmp_path / "bon-livraison.pdf"
    delivery_note.write_bytes(b"%PDF-1.4\n% a delivery note\n")
    moved = complete(
        store,
        accounts(manual),
        record.id,
        [read_attachment(delivery_note)],
        "bon de livraison joint",
    )
    assert moved.state is State.INTEGRATED and moved.lifecycle == "COMPLETEE"
    last = store.history(record.id)[-1]
    assert "bon-livraison.pdf" in last.reason and last.status == "COMPLETEE"
    # the attachment is the invoice's on Chorus Pro
    history = manual.api.call(
        "/cpro/factures/v1/consulter/historique", {"idFacture": record.cpp_id}, SUPPLIER
    )
    assert history["statutCourantCode"] == "COMPLETEE"
    buyer_moves(manual, moved, "MISE_EN_PAIEMENT")
    paid = drive(worker, store, record.id, lambda r: r.state is State.PAID)
    assert paid.lifecycle == "MISE_EN_PAIEMENT"


def test_reissue_under_a_new_number_then_paid(manual: Bench, store: Store, tmp_path: Path) -> None:
    worker, record = handed_back(manual, store, tmp_path, "REJETEE", "REJ")
    [new_number] = numbers("REJB", 1)
    done = reissue(
        store, accounts(manual), record.id, new_number, RoutingChange(engagement_number="EJ-42")
    )
    assert done.acknowledged and done.replaces == record.id
    assert done.queued.state is State.CHECKED, done.queued.findings
    new_id = done.queued.invoice_id
    assert replaced_by(store, record.id) == [new_id] and replaces(store, new_id) == record.id
    original = store.invoice(record.id)
    assert original is not None and original.state is State.REFUSED
    reasons = [t.reason for t in store.history(record.id)[-2:]]
    assert new_number in reasons[0] and "traiterFacturesRejetees" in reasons[1]
    # the rejection is marked as dealt with on Chorus Pro
    history = manual.api.call(
        "/cpro/factures/v1/consulter/historique", {"idFacture": record.cpp_id}, SUPPLIER
    )
    actions = history["historiquesDesActionsUtilisateurs"]["histoAction"]
    assert any(a["histoActionCode"] == "TRAITEMENT_REJET" for a in actions)
    # the new invoice goes like any other: deposited, made available, paid
    reissued = drive(worker, store, new_id, at("MISE_A_DISPOSITION"))
    assert reissued.number == new_number and reissued.cpp_id != record.cpp_id
    found = on_platform(manual, new_number)
    assert len(found) == 1
    buyer_moves(manual, reissued, "MISE_EN_PAIEMENT")
    paid = drive(worker, store, new_id, lambda r: r.state is State.PAID)
    assert paid.lifecycle == "MISE_EN_PAIEMENT"


def test_actions_on_the_wrong_state_change_nothing(
    manual: Bench, store: Store, tmp_path: Path
) -> None:
    [number] = numbers("WRONG", 1)
    [queued] = enqueue(store, [invoice_file(tmp_path, number)], SendOptions(hold=True))
    before = store.history(queued.invoice_id)
    clients = accounts(manual)
    with pytest.raises(WrongStateError, match="only an invoice needs_user \\(A_RECYCLER\\)"):
        recycle(store, clients, queued.invoice_id, RoutingChange(service_code="X"))
    with pytest.raises(WrongStateError):
        complete(store, clients, queued.invoice_id, [], "commentaire")
    with pytest.raises(WrongStateError):
        reissue(store, clients, queued.invoice_id, number + "-B")
    with pytest.raises(InputError):
        recycle(store, clients, 999_999, RoutingChange(service_code="X"))
    after = store.invoice(queued.invoice_id)
    assert after is not None and after.state is State.HELD and after.lease_owner is None
    assert store.history(queued.invoice_id) == before
