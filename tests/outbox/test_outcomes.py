"""What the outbox records when an invoice is invalid, rejected, or Chorus Pro is away."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest

from chorusflow.chorus import ChorusClient
from chorusflow.errors import InputError
from chorusflow.outbox import SendOptions, State, Store, Worker, confirm, enqueue
from chorusflow.sandbox.server import start
from chorusflow.sandbox.settings import FAST
from tests.chorus.conftest import LOCAL, Bench
from tests.outbox.conftest import QUICK, accounts, invoice_file
from tests.outbox.test_delivery import numbers, on_platform


def test_an_invalid_invoice_never_leaves(paying: Bench, store: Store, tmp_path: Path) -> None:
    [number] = numbers("BAD", 1)
    path = invoice_file(tmp_path, number, changes={"currency": None})
    [queued] = enqueue(store, [path], SendOptions())
    assert queued.state is State.INVALID
    assert any(f.fatal for f in queued.findings)
    record = store.invoice(queued.invoice_id)
    assert record is not None and record.error_message and record.error_code
    Worker(store, accounts(paying), QUICK).run(until_idle=True)
    assert on_platform(paying, number) == []
    assert [t.target for t in store.history(queued.invoice_id)] == [State.QUEUED, State.INVALID]


def test_an_unreadable_file_queues_nothing(store: Store, tmp_path: Path) -> None:
    good = invoice_file(tmp_path, numbers("OK", 1)[0])
    broken = tmp_path / "broken.xml"
    broken.write_text("<Invoice><unclosed>")
    with pytest.raises(InputError):
        enqueue(store, [good, broken], SendOptions())
    assert store.invoices() == []


def test_a_rejected_invoice_records_the_error_and_its_fix(
    paying: Bench, store: Store, tmp_path: Path
) -> None:
    # an unknown buyer SIRET passes the local checks (no directory given) and is rejected by
    # Chorus Pro in the flow report
    [number] = numbers("REJ", 1)
    buyer = {"value": "11000201100051", "scheme": "0009"}
    data = invoice_file(tmp_path, number)
    import json

    content = json.loads(data.read_text())
    content["buyer"].update(identifier=buyer, legal_registration=buyer, electronic_address=buyer)
    data.write_text(json.dumps(content))
    [queued] = enqueue(store, [data], SendOptions())
    assert queued.state is State.CHECKED, queued.findings
    Worker(store, accounts(paying), QUICK).run(until_idle=True)
    record = store.invoice(queued.invoice_id)
    assert record is not None and record.state is State.REJECTED
    assert record.error_message and record.error_fix
    assert record.flow_number
    # the number is free again: a corrected invoice may reuse it
    assert store.find_live(record.supplier, number) is None


def test_held_invoices_wait_for_confirmation(paying: Bench, store: Store, tmp_path: Path) -> None:
    [number] = numbers("HOLD", 1)
    [queued] = enqueue(store, [invoice_file(tmp_path, number)], SendOptions(hold=True))
    assert queued.state is State.HELD
    Worker(store, accounts(paying), QUICK).run(until_idle=True)
    assert on_platform(paying, number) == []
    assert confirm(store) == [queued.invoice_id]
    Worker(store, accounts(paying), QUICK).run(until_idle=True)
    record = store.invoice(queued.invoice_id)
    assert record is not None and record.state is State.PAID


def test_unreachable_chorus_pro_keeps_invoices_queued_then_delivers(
    store: Store, tmp_path: Path
) -> None:
    sandbox = start(tmp_path / "sandbox.db", FAST)
    data = httpx.post(sandbox.url + "/admin/dataset", timeout=30).json()
    port = int(sandbox.url.rsplit(":", 1)[1])
    sandbox.stop()  # Chorus Pro is away
    from chorusflow.chorus import Credentials, Secret

    app = next(a for a in data["applications"] if "factures" in a["apis"])
    supplier = next(s for s in data["suppliers"] if s["siret"] == "90123456700005")
    credentials = Credentials(
        app["client_id"],
        Secret(app["client_secret"]),
        supplier["technical_account"]["login"],
        Secret(supplier["technical_account"]["password"]),
    )
    client = ChorusClient(
        token_url=data["token_url"], api_url=data["api_url"], credentials=credentials, http=LOCAL
    )
    [number] = numbers("AWAY", 1)
    [queued] = enqueue(store, [invoice_file(tmp_path, number, "cii")], SendOptions())
    worker = Worker(store, lambda _s: client, QUICK)
    for _ in range(3):
        worker.step()
    record = store.invoice(queued.invoice_id)
    assert record is not None and record.state is State.CHECKED
    assert record.attempts >= 1 and record.error_code == "NotSentError"
    again = start(tmp_path / "sandbox.db", FAST, port=port)  # back, same database and port
    try:
        stop = threading.Event()
        timer = threading.Timer(60, stop.set)
        timer.start()
        Worker(store, lambda _s: client, QUICK, stop=stop).run(until_idle=True)
        timer.cancel()
    finally:
        client.close()
        again.stop()
    record = store.invoice(queued.invoice_id)
    assert record is not None and record.state is State.PAID, record


def test_the_hook_seam_sees_every_committed_transition(
    paying: Bench, store: Store, tmp_path: Path
) -> None:
    seen: list[tuple[str, str]] = []
    store.listen(lambda t: seen.append((t.number, t.target.value)))
    [number] = numbers("HOOK", 1)
    enqueue(store, [invoice_file(tmp_path, number)], SendOptions())
    Worker(store, accounts(paying), QUICK).run(until_idle=True)
    targets = [target for n, target in seen if n == number]
    assert targets[:4] == ["queued", "checked", "depositing", "deposited"]
    assert targets[-1] == "paid"
    assert len(targets) == len(store.history(store.invoices()[0].id))
