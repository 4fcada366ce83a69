"""Status-change hooks: a real local HTTP server (failing its first calls) and a command that
appends to a file; deliveries written with the transition and delivered after a worker died."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from chorusflow.chorus import Secret
from chorusflow.outbox import SendOptions, State, Store, Worker, enqueue
from chorusflow.outbox.hook_config import Hook, HookSettings, command_hook, parse_hooks, webhook
from chorusflow.outbox.hooks import (
    DELIVERED,
    FAILED,
    PENDING,
    SIGNATURE_HEADER,
    HookDeliverer,
    deliveries,
    install,
    signature,
)
from tests.chorus.conftest import Bench
from tests.outbox.conftest import QUICK, accounts, invoice_file
from tests.outbox.test_delivery import numbers

FAST_HOOKS = HookSettings(
    backoff_base=0.02, backoff_cap=0.1, trust_env=False, idle_poll=0.02, timeout=5
)


@dataclass
class Receiver:
    """A webhook receiver on loopback that answers 503 to its first ``failures`` calls."""

    failures: int = 0
    calls: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def accepted(self) -> list[dict[str, Any]]:
        with self.lock:
            return [json.loads(body) for headers, body in self.calls if headers.get("ok")]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(failures=2)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = dict(self.headers.items())
            with state.lock:
                ok = len(state.calls) >= state.failures
                if ok:
                    headers["ok"] = "1"
                state.calls.append((headers, body))
            self.send_response(200 if ok else 503)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/events?token=abc"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


APPENDER = """
import json, os, sys
data = sys.stdin.read()
env = {k: v for k, v in os.environ.items() if k.startswith("CHORUSFLOW_")}
with open(sys.argv[1], "a") as out:
    out.write(json.dumps({"payload": json.loads(data), "env": env}) + "\\n")
block = sys.argv[2] if len(sys.argv) > 2 else ""
if block and not os.path.exists(block):
    open(block, "w").close()
    import time
    time.sleep(20)
"""


def appender(tmp_path: Path, block: Path | None = None) -> tuple[Hook, Path]:
    script = tmp_path / "append.py"
    script.write_text(APPENDER)
    out = tmp_path / "hooks.jsonl"
    words = [sys.executable, str(script), str(out)] + ([str(block)] if block else [])
    return command_hook(shlex.join(words)), out


def lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_webhook_and_command_get_every_transition_with_retries(
    paying: Bench,
    store: Store,
    tmp_path: Path,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CHORUSFLOW_PASSWORD", "do-not-leak")
    command, out = appender(tmp_path)
    settings = replace(
        FAST_HOOKS, hooks=(command, webhook(receiver.url)), secret=Secret("s3cret-key")
    )
    install(store, settings)
    [number] = numbers("HOOK", 1)
    [queued] = enqueue(store, [invoice_file(tmp_path, number, "ubl")], SendOptions())
    Worker(store, accounts(paying), QUICK).run(until_idle=True)
    with HookDeliverer(store, settings) as deliverer:
        deliverer.drain(10)
    moves = [(t.source, t.target) for t in store.history(queued.invoice_id)]
    expected = [(s.value if s else None, t.value) for s, t in moves]
    # the command saw every transition once, in order, with the CHORUSFLOW_* variables only
    seen = lines(out)
    assert [(x["payload"]["from"], x["payload"]["to"]) for x in seen] == expected
    last = seen[-1]
    assert last["payload"]["status"] == "MISE_EN_PAIEMENT" and last["payload"]["cpp_id"]
    assert last["payload"]["number"] == number and last["payload"]["buyer"]
    assert last["payload"]["flow"] and last["payload"]["reason"]
    assert last["env"]["CHORUSFLOW_INVOICE_NUMBER"] == number
    assert last["env"]["CHORUSFLOW_TO"] == "paid"
    assert "CHORUSFLOW_PASSWORD" not in last["env"]
    # the receiver refused its first two calls: the first delivery was retried, then
    # every transition arrived, signed
    accepted = receiver.accepted()
    assert sorted((str(x["from"]), x["to"]) for x in accepted) == sorted(
        (str(s), t) for s, t in expected
    )
    for headers, body in receiver.calls:
        assert headers[SIGNATURE_HEADER] == signature("s3cret-key", body)
    webhooks = [d for d in deliveries(store, invoice_id=queued.invoice_id) if d.kind == "webhook"]
    assert all(d.state == DELIVERED for d in webhooks)
    assert sum(d.attempts for d in webhooks) == len(webhooks) + 2 == len(receiver.calls)
    assert any(d.attempts > 1 for d in webhooks)
    assert all(d.last_error is None for d in webhooks)
    assert "token" not in webhooks[0].shown_target


def test_failures_are_visible_then_given_up(store: Store, tmp_path: Path) -> None:
    settings = replace(
        FAST_HOOKS, hooks=(command_hook(f"{sys.executable} -c 'import sys; sys.exit(3)'"),)
    )
    settings = replace(settings, max_attempts=3)
    install(store, settings)
    [queued] = enqueue(
        store, [invoice_file(tmp_path, numbers("FAIL", 1)[0])], SendOptions(hold=True)
    )
    with HookDeliverer(store, settings) as deliverer:
        deliverer.drain(5)
    found = deliveries(store, invoice_id=queued.invoice_id)
    assert len(found) == 2  # queued, held
    assert all(d.state == FAILED and d.attempts == 3 for d in found)
    assert all(d.last_error == "the hook command exited 3" for d in found)


def test_a_rolled_back_move_has_no_delivery(store: Store, tmp_path: Path) -> None:
    hook, _out = appender(tmp_path)
    install(store, replace(FAST_HOOKS, hooks=(hook,)))
    [queued] = enqueue(store, [invoice_file(tmp_path, numbers("RB", 1)[0])], SendOptions(hold=True))
    assert len(deliveries(store)) == 2  # queued, held: written with their transitions
    record = store.invoice(queued.invoice_id)
    assert record is not None
    with pytest.raises(RuntimeError, match="dies"), store.transaction() as tx:  # noqa: PT012
        tx.move(record, State.CHECKED, "confirmed")
        raise RuntimeError("the process dies before the commit")
    assert len(deliveries(store)) == 2
    assert [t.target for t in store.history(queued.invoice_id)] == [State.QUEUED, State.HELD]


def test_only_wanted_transitions(store: Store, tmp_path: Path) -> None:
    hook, _out = appender(tmp_path)
    settings = parse_hooks({"command": hook.target, "on": ["held"]}, {})
    install(store, settings)
    enqueue(store, [invoice_file(tmp_path, numbers("ON", 1)[0])], SendOptions(hold=True))
    assert [json.loads(d.payload)["to"] for d in deliveries(store)] == ["held"]


WORKER_CHILD = """
import json, sys, threading
from dataclasses import replace
from chorusflow.chorus import ChorusClient, Credentials, HttpOptions, Secret
from chorusflow.outbox import Store, Worker, one_account
from chorusflow.outbox.hook_config import HookSettings, command_hook
from chorusflow.outbox.hooks import delivering, install
from tests.outbox.conftest import QUICK

cfg = json.loads(sys.argv[1])
store = Store.open(cfg["db"])
settings = HookSettings(hooks=(command_hook(cfg["hook"]),), trust_env=False, idle_poll=0.02,
                        timeout=3, lease_margin=1)
install(store, settings)
client = ChorusClient(token_url=cfg["token_url"], api_url=cfg["api_url"],
    credentials=Credentials(cfg["client_id"], Secret(cfg["client_secret"]), cfg["login"],
                            Secret(cfg["password"])), http=HttpOptions(trust_env=False))
stop = threading.Event()
with delivering(store, settings, stop):
    Worker(store, one_account(client), QUICK).run(until_idle=True)
    threading.Event().wait(120)
"""


def test_a_worker_killed_before_delivering_delivers_after_restart(
    paying: Bench, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'outbox.db'}"
    block = tmp_path / "blocked"
    hook, out = appender(tmp_path, block)
    store = Store.open(db)
    install(store, replace(FAST_HOOKS, hooks=(hook,)))
    [number] = numbers("KILL", 1)
    [queued] = enqueue(store, [invoice_file(tmp_path, number, "ubl")], SendOptions())
    credentials = paying.credentials()
    config = {
        "db": db,
        "hook": hook.target,
        "token_url": paying.data["token_url"],
        "api_url": paying.data["api_url"],
        "client_id": credentials.client_id,
        "client_secret": credentials.client_secret.reveal(),
        "login": credentials.login,
        "password": credentials.password.reveal(),
    }
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(
        [sys.executable, "-c", WORKER_CHILD, json.dumps(config)],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        deadline = time.monotonic() + 60
        while not block.exists():  # the first hook runs (and hangs): the worker is mid-way
            assert child.poll() is None, "the worker died on its own"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.5)  # let it commit more transitions whose hooks it will never run
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    pending = [d for d in deliveries(store, invoice_id=queued.invoice_id) if d.state == PENDING]
    assert pending, "the killed worker left deliveries to be made"
    assert len(lines(out)) <= 1
    # restart: a worker with the same configuration finishes the invoice and every delivery
    restarted = replace(FAST_HOOKS, hooks=(hook,))
    Worker(store, accounts(paying), QUICK).run(until_idle=True)
    with HookDeliverer(store, restarted) as deliverer:
        time.sleep(4.5)  # the dead worker's leases (3 s timeout + 1 s margin) expire
        deliverer.drain(10)
    found = deliveries(store, invoice_id=queued.invoice_id)
    assert found and all(d.state == DELIVERED for d in found)
    moves = [(t.source, t.target) for t in store.history(queued.invoice_id)]
    seen = {(x["payload"]["from"], x["payload"]["to"]) for x in lines(out)}
    assert seen == {(s.value if s else None, t.value) for s, t in moves}
    record = store.invoice(queued.invoice_id)
    assert record is not None and record.state is State.PAID
    store.close()
