"""The store on SQLite and PostgreSQL: migrations, moves and their history, leases, throttle."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text, update

from chorusflow.outbox import OutboxError, SendOptions, State, Store, enqueue
from chorusflow.outbox.schema import LATEST, invoices, schema_version, throttle
from chorusflow.outbox.store import LeaseLostError
from tests.outbox.conftest import invoice_file


def test_migrations_apply_once_and_record_the_version(db_url: str) -> None:
    first = Store.open(db_url)
    assert first.version() == LATEST
    first.close()
    again = Store.open(db_url)
    with again.engine.connect() as connection:
        rows = connection.execute(text("SELECT count(*) FROM schema_version")).scalar()
    assert rows == LATEST
    again.close()


def test_a_newer_database_is_refused(db_url: str) -> None:
    store = Store.open(db_url)
    with store.engine.begin() as connection:
        connection.execute(
            insert(schema_version).values(version=LATEST + 1, applied_at=0.0, description="x")
        )
    store.close()
    with pytest.raises(OutboxError, match="newer"):
        Store.open(db_url)


def test_unusable_urls_are_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(OutboxError, match="cannot use"):
        Store.open("mysql://nobody@127.0.0.1/x")
    with pytest.raises(OutboxError, match="Cannot open") as refused:
        Store.open("postgresql://nobody:secretpw@127.0.0.1:1/none")
    assert "secretpw" not in str(refused.value)


def test_moves_are_recorded_and_fenced_by_the_lease(store: Store, tmp_path: Path) -> None:
    [queued] = enqueue(store, [invoice_file(tmp_path, "STORE-1")], SendOptions())
    with store.transaction() as tx:
        [claimed] = tx.claim([invoices.c.state == "checked"], "me", 60, 10)
    with store.transaction() as tx:  # nobody else can claim it while leased
        assert tx.claim([invoices.c.state == "checked"], "other", 60, 10) == []
    with pytest.raises(LeaseLostError), store.transaction() as tx:
        tx.move(claimed, State.DEPOSITING, "not mine", owner="other")
    with store.transaction() as tx:
        tx.move(claimed, State.DEPOSITING, "mine", owner="me")
    assert [t.target for t in store.history(queued.invoice_id)] == [
        State.QUEUED,
        State.CHECKED,
        State.DEPOSITING,
    ]
    with pytest.raises(AssertionError), store.transaction() as tx:
        tx.move(claimed, State.PAID, "from checked straight to paid is no move")


def test_an_expired_lease_is_taken_over(store: Store, tmp_path: Path) -> None:
    enqueue(store, [invoice_file(tmp_path, "STORE-2")], SendOptions())
    with store.transaction() as tx:
        assert len(tx.claim([invoices.c.state == "checked"], "dead", 60, 10)) == 1
    with store.engine.begin() as connection:
        connection.execute(update(invoices).values(lease_until=0.0))
    with store.transaction() as tx:
        [taken] = tx.claim([invoices.c.state == "checked"], "alive", 60, 10)
    assert taken.lease_owner == "alive"


def test_a_number_is_queued_once(store: Store, tmp_path: Path) -> None:
    path = invoice_file(tmp_path, "STORE-3")
    [first] = enqueue(store, [path], SendOptions())
    [second] = enqueue(store, [path], SendOptions())
    assert first.state is State.CHECKED
    assert second.state is State.INVALID
    assert any("outbox" in f.message_en or "outbox" in (f.fix or "") for f in second.findings)


def test_the_throttle_spaces_calls_for_every_worker(store: Store, db_url: str) -> None:
    # A second handle on the same database with a stopped clock: the waits are exact.
    now = store.clock() + 1000
    frozen = Store.open(db_url, clock=lambda: now)
    try:
        waits = [frozen.take_slot(10.0) for _ in range(5)]
        assert waits == pytest.approx([0, 0.1, 0.2, 0.3, 0.4])
        frozen.pause(5, "Retry-After")
        assert frozen.take_slot(None) == pytest.approx(5)
    finally:
        frozen.close()


def _claim_in_process(url: str, owner: str, found: multiprocessing.Queue[list[int]]) -> None:
    store = Store.open(url)
    ids: list[int] = []
    for _ in range(20):
        with store.transaction() as tx:
            ids += [r.id for r in tx.claim([invoices.c.state == "checked"], owner, 600, 3)]
    found.put(ids)
    store.close()


def test_processes_claim_disjoint_invoices(store: Store, db_url: str, tmp_path: Path) -> None:
    paths = [invoice_file(tmp_path, f"PROC-{i:02d}") for i in range(30)]
    enqueue(store, paths, SendOptions())
    context = multiprocessing.get_context("spawn")
    found: multiprocessing.Queue[list[int]] = context.Queue()
    workers = [
        context.Process(target=_claim_in_process, args=(db_url, f"p{i}", found)) for i in range(3)
    ]
    for process in workers:
        process.start()
    claims = [found.get(timeout=120) for _ in workers]
    for process in workers:
        process.join(30)
    every = [i for ids in claims for i in ids]
    assert len(every) == len(set(every)) == 30


def test_workers_starting_together_on_a_new_outbox_share_one_throttle_row(store: Store) -> None:
    # each finds the row missing and makes it: the losers must lock the winner's row, not
    # die with a unique violation (a worker thread died so, mid-deposit, on PostgreSQL)
    start = threading.Barrier(6)
    errors: list[BaseException] = []
    waits: list[float] = []

    def take() -> None:
        start.wait()
        try:
            waits.append(store.take_slot(1000.0))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=take) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == [] and len(waits) == 6
    with store.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(throttle)) == 1
