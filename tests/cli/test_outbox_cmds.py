"""`chorusflow send`, `confirm`, `status`, `worker` and `demo`: exit codes and --json."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chorus.conftest import SUPPLIER, Bench
from tests.cli.conftest import Cli
from tests.outbox.conftest import invoice_file
from tests.outbox.test_delivery import numbers, on_platform


@pytest.fixture
def configured(paying: Bench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The CHORUSFLOW_* variables of the supplier's account on the sandbox; the outbox URL."""
    creds = paying.credentials(SUPPLIER)
    db = f"sqlite:///{tmp_path / 'outbox.db'}"
    env = {
        "CHORUSFLOW_CONFIG_DIR": str(tmp_path / "config"),
        "CHORUSFLOW_ENV": "sandbox",
        "CHORUSFLOW_TOKEN_URL": paying.data["token_url"],
        "CHORUSFLOW_API_URL": paying.data["api_url"],
        "CHORUSFLOW_CLIENT_ID": creds.client_id,
        "CHORUSFLOW_CLIENT_SECRET": creds.client_secret.reveal(),
        "CHORUSFLOW_LOGIN": creds.login,
        "CHORUSFLOW_PASSWORD": creds.password.reveal(),
        "CHORUSFLOW_DB": db,
        "NO_PROXY": "*",
    }
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(
        "[outbox]\nsettle_delay = 0.4\nlease = 3\nrate = 0\n"
    )
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return db


@pytest.fixture(scope="module")
def paying(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    from chorusflow.sandbox.settings import FAST
    from tests.chorus.conftest import start_bench

    stop, bench = start_bench(tmp_path_factory.mktemp("cli-outbox"), policy=FAST.policy)
    yield bench
    stop()


def test_send_wait_delivers_and_prints_json(
    cli: Cli, configured: str, paying: Bench, tmp_path: Path
) -> None:
    [number] = numbers("CLI", 1)
    result = cli("send", str(invoice_file(tmp_path, number)), "--wait", "--json", "--format", "ubl")
    assert result.returncode == 0, result.stderr
    [row] = json.loads(result.stdout)
    assert row["number"] == number and row["state"] == "paid" and row["syntax"] == "ubl"
    assert len(on_platform(paying, number)) == 1
    listed = cli("status", "--json", "--state", "paid")
    assert number in [r["number"] for r in json.loads(listed.stdout)]
    assert paying.credentials(SUPPLIER).password.reveal() not in result.stdout + result.stderr


def test_send_exit_codes(cli: Cli, configured: str, tmp_path: Path) -> None:
    bad = invoice_file(tmp_path, numbers("CLIBAD", 1)[0], changes={"currency": None})
    invalid = cli("send", str(bad))
    assert invalid.returncode == 1
    assert "invalid" in invalid.stderr
    unreadable = tmp_path / "nothing.json"
    unreadable.write_text("{")
    result = cli("send", str(unreadable), str(invoice_file(tmp_path, "CLI-UNREAD-1")))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert "CLI-UNREAD-1" not in cli("status", "--json").stdout
    assert cli("send", str(bad), "--format", "pdf").returncode == 2
    assert cli("status", "--state", "nonsense").returncode == 2
    assert cli("send", "x.json", "--db", "mysql://x@y/z").returncode == 2


def test_send_prepares_on_several_processes_all_or_nothing(
    cli: Cli, configured: str, tmp_path: Path
) -> None:
    files = [str(invoice_file(tmp_path, n)) for n in numbers("CLIJOBS", 20)]
    unreadable = tmp_path / "truncated.json"
    unreadable.write_text('{"number": "x"')
    refused = cli("send", "--jobs", "2", "--format", "ubl", *files, str(unreadable))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "truncated.json" in refused.stderr or "JSON" in refused.stderr
    assert json.loads(cli("status", "--json").stdout) == []
    sent = cli("send", "--jobs", "2", "--format", "ubl", "--json", *files)
    assert sent.returncode == 0, sent.stderr
    rows = json.loads(sent.stdout)
    assert [r["source"] for r in rows] == files
    assert {r["state"] for r in rows} == {"checked"}
    assert cli("send", "--jobs", "0", *files).returncode == 2


def test_confirm_releases_held_invoices(cli: Cli, configured: str, tmp_path: Path) -> None:
    [number] = numbers("CLIHOLD", 1)
    held = cli("send", str(invoice_file(tmp_path, number)), "--confirm", "--json")
    assert held.returncode == 0
    [row] = json.loads(held.stdout)
    assert row["state"] == "held" and row["needs_user"]
    assert cli("confirm").returncode == 2
    released = cli("confirm", "--all", "--json")
    assert json.loads(released.stdout) == {"released": [row["id"]]}


def test_worker_process_delivers_and_stops_on_sigterm(
    configured: str, paying: Bench, tmp_path: Path, cli: Cli
) -> None:
    [number] = numbers("CLIWRK", 1)
    assert cli("send", str(invoice_file(tmp_path, number, "cii"))).returncode == 0
    until_idle = subprocess.run(
        [sys.executable, "-m", "chorusflow", "worker", "--until-idle", "--poll", "0.05"],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert until_idle.returncode == 0, until_idle.stderr
    assert len(on_platform(paying, number)) == 1
    forever = subprocess.Popen(
        [sys.executable, "-m", "chorusflow", "worker", "--poll", "0.05"],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert forever.stderr is not None
    assert "worker on" in forever.stderr.readline()  # its signal handlers are in place
    time.sleep(0.5)
    forever.send_signal(signal.SIGTERM)
    _, stderr = forever.communicate(timeout=60)
    assert forever.returncode == 0, stderr
    assert "Traceback" not in stderr


def test_worker_without_configuration_says_so(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHORUSFLOW_CONFIG_DIR", str(tmp_path))
    for name in ("CHORUSFLOW_ENV", "CHORUSFLOW_CLIENT_ID", "CHORUSFLOW_DB"):
        monkeypatch.delenv(name, raising=False)
    result = cli("worker", "--once", "--db", str(tmp_path / "o.db"))
    assert result.returncode == 2
    assert "chorusflow init" in result.stderr


def test_demo_runs_end_to_end(cli: Cli, tmp_path: Path) -> None:
    result = cli("demo", "--json", "--keep", str(tmp_path / "run"))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == len(list((Path(__file__).parents[2] / "examples").glob("*.json")))
    assert {r["syntax"] for r in rows} == {"facturx", "ubl", "cii"}
    states = {r["state"] for r in rows}
    assert "paid" in states and states <= {"paid", "needs_user", "refused"}
    assert all(r["cpp_id"] for r in rows)
    assert (tmp_path / "run" / "outbox.db").exists()


def _to_service_buyer(tmp_path: Path, number: str) -> Path:
    """An invoice to the data set's buyer that demands a service code, without one."""
    path = invoice_file(tmp_path, number)
    content = json.loads(path.read_text())
    buyer = {"value": "12345678200028", "scheme": "0009"}
    content["buyer"].update(identifier=buyer, legal_registration=buyer, electronic_address=buyer)
    content.pop("buyer_reference", None)
    path.write_text(json.dumps(content))
    return path


def test_send_asks_the_live_directory_for_the_buyers_demands(
    cli: Cli, configured: str, paying: Bench, tmp_path: Path
) -> None:
    [number] = numbers("CLIDIR", 1)
    result = cli("send", str(_to_service_buyer(tmp_path, number)), "--json")
    assert result.returncode == 1, result.stderr
    assert "CPRO-SERVICE-REQUIRED" in result.stderr
    [row] = json.loads(result.stdout)
    assert row["state"] == "invalid"
    assert on_platform(paying, number) == []


def test_send_queues_when_the_directory_does_not_answer(
    cli: Cli, configured: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHORUSFLOW_TOKEN_URL", "http://127.0.0.1:9/api/oauth/token")
    monkeypatch.setenv("CHORUSFLOW_API_URL", "http://127.0.0.1:9")
    paths = [str(_to_service_buyer(tmp_path, n)) for n in numbers("CLIOFF", 2)]
    result = cli("send", *paths, "--json")
    assert result.returncode == 0, result.stderr
    assert [row["state"] for row in json.loads(result.stdout)] == ["checked", "checked"]
    assert result.stderr.count("directory did not answer") == 1
    offline = cli("send", str(_to_service_buyer(tmp_path, "CLIOFF-X")), "--offline", "--json")
    assert offline.returncode == 0 and "directory" not in offline.stderr


def test_send_on_a_terminal_shows_its_progress(
    cli: Cli, configured: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from rich.console import Console

    from chorusflow.cli import progress

    terminal = io.StringIO()
    monkeypatch.setattr(progress, "err", Console(file=terminal, force_terminal=True))
    paths = [str(invoice_file(tmp_path, n)) for n in numbers("CLIBAR", 2)]
    result = cli("send", *paths, "--wait", "--format", "cii")
    assert result.returncode == 0, result.stderr
    shown = terminal.getvalue()
    assert "checking" in shown and "delivering" in shown
    quiet = cli("send", str(invoice_file(tmp_path, "CLIBAR-J")), "--json")
    assert quiet.returncode == 0
    assert terminal.getvalue()[len(shown) :] == ""  # --json: no bar, even on a terminal


def test_status_on_80_columns_cuts_no_identifier(
    cli: Cli, configured: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    from chorusflow.cli import status_cmd

    [number] = numbers("CLI80", 1)
    assert cli("send", str(invoice_file(tmp_path, number))).returncode == 0
    monkeypatch.setattr(status_cmd, "out", Console(width=80, file=sys.stdout))
    shown = cli("status").stdout
    [line] = [line for line in shown.splitlines() if number in line]
    assert "12345678200051" in line and "checked" in line
    monkeypatch.setattr(status_cmd, "out", Console(width=160, file=sys.stdout))
    wide = cli("status").stdout
    assert "CPP id" in wide and number in wide
