"""Exactly once under faults: every invoice integrated once on the platform, never twice."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from chorusflow.outbox import Packing, SendOptions, State, Store, Worker, enqueue
from chorusflow.outbox.worker import StoppedError
from tests.chorus.conftest import Bench
from tests.outbox.conftest import QUICK, accounts, invoice_file
from tests.outbox.test_delivery import numbers, on_platform


class CrashError(Exception):
    """The simulated death of a worker at a named point."""


def queue(store: Store, tmp_path: Path, prefix: str, count: int) -> list[str]:
    names = numbers(prefix, count)
    paths = [invoice_file(tmp_path, n, "ubl") for n in names]
    queued = enqueue(store, paths, SendOptions())
    assert all(q.state is State.CHECKED for q in queued)
    return names


def assert_once_each(bench: Bench, store: Store, names: list[str]) -> None:
    for number in names:
        found = on_platform(bench, number)
        assert len(found) == 1, (number, found)
    records = {r.number: r for r in store.invoices()}
    for number in names:
        record = records[number]
        assert record.state is State.PAID, record
        [found] = on_platform(bench, number)
        assert found["identifiantFactureCPP"] == record.cpp_id


def test_crash_between_deposit_and_commit_is_reconciled_without_duplicate(
    paying: Bench, store: Store, tmp_path: Path
) -> None:
    names = queue(store, tmp_path, "CRASH", 3)
    first = Worker(store, accounts(paying), QUICK)

    def die(where: str) -> None:
        if where == "deposited":
            raise CrashError(where)

    first.crash_point = die
    with pytest.raises(CrashError):
        first.step()  # deposited on the platform, never committed here
    assert {r.state for r in store.invoices()} == {State.DEPOSITING}
    Worker(store, accounts(paying), QUICK).run(until_idle=True)
    assert_once_each(paying, store, names)
    for record in store.invoices():
        reasons = [t.reason for t in store.history(record.id)]
        assert any("adopted" in r for r in reasons), reasons
        assert record.attempts == 1, [
            (t.source, t.target, t.reason) for t in store.history(record.id)
        ]


def test_dropped_answers_5xx_and_429_deliver_exactly_once(
    paying: Bench, store: Store, tmp_path: Path
) -> None:
    names = queue(store, tmp_path, "FAULT", 8)
    paying.faults("drop=0.5,5xx=0.2,429=0.1,retry_after=1,seed=11")
    try:
        options = replace(QUICK, packing=Packing(max_invoices=2))
        Worker(store, accounts(paying), options).run(until_idle=True)
    finally:
        paying.faults("")
    assert_once_each(paying, store, names)


def test_a_duplicate_refusal_adopts_the_invoice_chorus_pro_holds(
    paying: Bench, store: Store, tmp_path: Path
) -> None:
    [number] = queue(store, tmp_path, "DUP", 1)
    # the same file deposited behind the outbox's back (another tool, an earlier run)
    record = store.invoices()[0]
    client = accounts(paying)(record.supplier)
    client.deposit_flow(store.content(record.id), record.filename, record.syntaxe_flux)
    Worker(store, accounts(paying), QUICK).run(until_idle=True)
    [found] = on_platform(paying, number)
    final = store.invoice(record.id)
    assert final is not None and final.state is State.PAID
    assert final.cpp_id == found["identifiantFactureCPP"]
    assert any("duplicate" in t.reason or "adopted" in t.reason for t in store.history(record.id))


def test_revoked_tokens_and_maintenance_are_survived(
    paying: Bench, store: Store, tmp_path: Path
) -> None:
    names = queue(store, tmp_path, "MAINT", 3)
    clients = accounts(paying)
    clients(store.invoices()[0].supplier).health_check()  # holds a token now
    assert paying.revoke_tokens() >= 1
    paying.api.forget_tokens()
    paying.faults("maintenance=0+1,retry_after=1")
    try:
        Worker(store, clients, QUICK).run(until_idle=True)
    finally:
        paying.faults("")
    assert_once_each(paying, store, names)


def test_refused_credentials_stop_the_worker_and_keep_the_queue(
    paying: Bench, store: Store, tmp_path: Path
) -> None:
    from chorusflow.chorus import Credentials, Secret

    queue(store, tmp_path, "AUTH", 1)
    good = paying.credentials()
    wrong = Credentials(good.client_id, good.client_secret, good.login, Secret("not-it"))
    client = paying.client(credentials=wrong)
    with pytest.raises(StoppedError) as stopped:
        Worker(store, lambda _s: client, QUICK).run(until_idle=True)
    assert "chorusflow doctor" in str(stopped.value)
    assert "not-it" not in str(stopped.value)
    assert [r.state for r in store.invoices()] == [State.CHECKED]


def test_two_workers_never_deposit_one_invoice_twice(
    paying: Bench, store: Store, tmp_path: Path
) -> None:
    names = queue(store, tmp_path, "PAIR", 12)
    options = replace(QUICK, packing=Packing(max_invoices=3))
    stop = threading.Event()
    workers = [Worker(store, accounts(paying), options, stop=stop) for _ in range(2)]
    threads = [threading.Thread(target=w.run, kwargs={"until_idle": True}) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert_once_each(paying, store, names)
    for record in store.invoices():
        assert record.attempts == 1, [
            (t.source, t.target, t.reason) for t in store.history(record.id)
        ]
