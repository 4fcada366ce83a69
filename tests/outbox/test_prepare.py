"""Preparing a `send`: the quick path gives what the full one gives, on every core, all or
nothing, in chunks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from chorusflow.errors import InputError
from chorusflow.formats.document import read_document
from chorusflow.formats.profiles import Syntax
from chorusflow.outbox import SendOptions, State, Store, enqueue
from chorusflow.outbox.enqueue import STAGE_LEASE, _Staging, discard_abandoned
from chorusflow.outbox.prepare import PrepareOptions, file_validator, prepare, prepare_all
from chorusflow.outbox.schema import invoices
from chorusflow.rules.findings import Severity
from chorusflow.rules.validate import Checks, Validator
from tests.conftest import EXAMPLES
from tests.outbox.conftest import invoice_file
from tests.outbox.test_delivery import numbers

SYNTAXES = [Syntax.UBL, Syntax.CII, Syntax.FACTURX]


@pytest.mark.parametrize("syntax", SYNTAXES, ids=lambda s: s.value)
@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_prepare_finds_what_reading_back_and_every_check_find(
    example: Path, syntax: Syntax
) -> None:
    options = PrepareOptions(syntax=syntax, luhn=Severity.WARNING)
    prepared = prepare(example, file_validator(options), options)
    # the long way: the written file read back from its bytes, every check (PDF/A walk too)
    full = Validator(Checks(layers=file_validator(options).checks.layers, luhn=Severity.WARNING))
    document = read_document(prepared.data, prepared.name)
    assert document.syntax is syntax
    assert prepared.findings == full.validate(document).findings
    invoice = document.invoice
    assert prepared.number == invoice.number
    assert prepared.buyer is not None and prepared.supplier


def test_an_invalid_invoice_is_refused_before_writing(tmp_path: Path) -> None:
    path = invoice_file(tmp_path, "BADCUR-1", changes={"currency": None})
    prepared = prepare(path, file_validator(PrepareOptions()), PrepareOptions())
    assert not prepared.valid and not prepared.checked
    assert prepared.syntax is Syntax.JSON


def test_files_come_back_in_order_from_the_pool(tmp_path: Path) -> None:
    paths = [invoice_file(tmp_path, n) for n in numbers("POOL", 7)]
    options = PrepareOptions(syntax=Syntax.UBL)
    pooled = list(prepare_all(paths, options, jobs=2, chunk=2))
    alone = list(prepare_all(paths, options, jobs=1))
    assert [p.source for p in pooled] == [str(p) for p in paths]
    assert pooled == alone


def test_the_pool_queues_what_one_process_queues(store: Store, tmp_path: Path) -> None:
    paths = [invoice_file(tmp_path, n) for n in numbers("JOBS", 6)]
    paths.append(invoice_file(tmp_path, "JOBS-BAD", changes={"currency": None}))
    queued = enqueue(store, paths, SendOptions(syntax=Syntax.CII), jobs=2, chunk=2)
    assert [q.source for q in queued] == [str(p) for p in paths]
    assert [q.state for q in queued] == [State.CHECKED] * 6 + [State.INVALID]
    for item in queued:
        history = store.history(item.invoice_id)
        assert [t.target for t in history] == [State.QUEUED, item.state]
        record = store.invoice(item.invoice_id)
        assert record is not None and record.lease_owner is None and record.state is item.state
    assert store.content(queued[0].invoice_id).startswith(b"<?xml")


def test_an_unreadable_file_in_the_pool_queues_nothing(store: Store, tmp_path: Path) -> None:
    paths = [invoice_file(tmp_path, n) for n in numbers("UNR", 5)]
    broken = tmp_path / "broken.xml"
    broken.write_text("<Invoice><unclosed>")
    with pytest.raises(InputError) as raised:
        # chunks of 2 staged one file at a time: the first ones are in the table when it fails
        enqueue(store, [*paths, broken, paths[0]], SendOptions(syntax=Syntax.UBL), jobs=2, chunk=2)
    assert raised.value.fix  # the whole error came back from the preparing process
    assert store.invoices() == []


def test_duplicates_are_found_across_chunks_and_against_the_outbox(
    store: Store, tmp_path: Path
) -> None:
    [first] = enqueue(store, [invoice_file(tmp_path, "DUPX-1")], SendOptions(syntax=Syntax.UBL))
    folder = tmp_path / "again"
    folder.mkdir()
    paths = [invoice_file(folder, n) for n in numbers("DUPY", 4)]
    twin = folder / "twin.json"
    twin.write_text(paths[0].read_text())
    again = folder / "again.json"
    again.write_text(json.dumps({**json.loads(paths[1].read_text()), "number": "DUPX-1"}))
    queued = enqueue(store, [*paths, twin, again], SendOptions(syntax=Syntax.UBL), jobs=2, chunk=2)
    states = [q.state for q in queued]
    assert states == [State.CHECKED] * 4 + [State.INVALID, State.INVALID]
    twin_dup = [f for f in queued[4].findings if f.rule == "DUP-NUMBER"]
    assert twin_dup and f"{paths[0].stem}.xml" in twin_dup[0].message_en
    outbox_dup = [f for f in queued[5].findings if f.rule == "DUP-NUMBER"]
    assert outbox_dup and f"#{first.invoice_id}" in outbox_dup[0].message_en


def test_rows_a_crashed_send_left_staged_are_deleted_once_their_lease_ends(
    db_url: str, tmp_path: Path
) -> None:
    now = [1_000_000.0]
    store = Store.open(db_url, clock=lambda: now[0])
    try:
        options = SendOptions(syntax=Syntax.UBL)
        crashed = _Staging(store, options)
        [item] = list(prepare_all([invoice_file(tmp_path, "STAGED-1")], options.preparing))
        crashed.stage([item])  # ... and the call died before its release
        assert discard_abandoned(store) == 0  # still leased: the call may be alive
        with store.engine.connect() as connection:
            assert connection.scalar(select(invoices.c.state)) == State.QUEUED.value
        now[0] += STAGE_LEASE + 1
        queued = enqueue(store, [invoice_file(tmp_path, "STAGED-1")], options)
        assert [q.state for q in queued] == [State.CHECKED]  # the number is free again
        assert [r.number for r in store.invoices()] == ["STAGED-1"]
    finally:
        store.close()
