"""Secrets never show: the CLI flows a user runs, every log at DEBUG, then everything scanned.

The PISTE client secret and the technical password of the sandbox's data set are random
strings no other value shares; the wrong ones tried here carry a marker of their own. After
the runs, each of them — raw, in base64, inside the ``cpro-account`` header, and every bearer
token the sandbox handed out — is looked for in every stdout and stderr, every log record
(message, arguments, exception text) and every byte of every file written under the
configuration and data directories (``secrets.json`` holds them encrypted only).
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from chorusflow.sandbox.settings import FAST
from chorusflow.sandbox.store import Jeton
from tests.chorus.conftest import SUPPLIER, Bench, start_bench
from tests.cli.conftest import Cli, Result
from tests.outbox.conftest import invoice_file

WRONG_SECRET = "WRONG-piste-secret-Q7zK41mB"
WRONG_PASSWORD = "WRONG-tech-pass-Vn38pL0x"


@pytest.fixture(scope="module")
def paying(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    stop, bench = start_bench(tmp_path_factory.mktemp("secrets-sandbox"), policy=FAST.policy)
    yield bench
    stop()


def forms(label: str, secret: str) -> dict[str, str]:
    """The ways a secret could leak: as it is, and in base64 (with and without padding)."""
    encoded = base64.b64encode(secret.encode()).decode()
    return {secret: label, encoded: f"{label} in base64", encoded.rstrip("="): f"{label} in base64"}


def leaks(text: str, secrets: dict[str, str]) -> list[str]:
    """Which secrets ``text`` holds, by name (a failing test must not print them either)."""
    return sorted({label for value, label in secrets.items() if value in text})


def test_no_secret_in_any_output_log_or_file(
    cli: Cli,
    paying: Bench,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    config, data = tmp_path / "config", tmp_path / "data"
    monkeypatch.setenv("CHORUSFLOW_CONFIG_DIR", str(config))
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("NO_PROXY", "*")
    for name in ("CHORUSFLOW_ENV", "CHORUSFLOW_CLIENT_SECRET", "CHORUSFLOW_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    creds = paying.credentials(SUPPLIER)
    secret, password = creds.client_secret.reveal(), creds.password.reveal()
    outbox = f"sqlite:///{data / 'outbox.db'}"
    runs: list[Result] = []

    def run(*args: str) -> Result:
        result = cli(*args)
        runs.append(result)
        assert "Traceback" not in result.stderr, result.stderr
        return result

    # init with the secrets from the variables (as scripts do), then from the flags
    monkeypatch.setenv("CHORUSFLOW_CLIENT_SECRET", secret)
    monkeypatch.setenv("CHORUSFLOW_PASSWORD", password)
    common = ["--env", "sandbox", "--token-url", paying.data["token_url"]]
    common += ["--api-url", paying.data["api_url"], "--client-id", creds.client_id]
    common += ["--login", creds.login, "--secrets", "file", "--database", outbox, "--no-input"]
    assert run("init", *common).returncode == 0
    monkeypatch.delenv("CHORUSFLOW_CLIENT_SECRET")
    monkeypatch.delenv("CHORUSFLOW_PASSWORD")
    assert run("init", *common, "--client-secret", secret, "--password", password).returncode == 0
    (config / "config.toml").write_text(
        (config / "config.toml").read_text() + "\n[outbox]\nsettle_delay = 0.4\nlease = 3\n"
    )
    # every flow that carries the credentials
    assert run("doctor").returncode == 0
    assert run("doctor", "--json").returncode == 0
    files = [invoice_file(tmp_path, f"SECRET-{i}") for i in range(2)]
    assert run("validate", str(files[0])).returncode == 0
    sent = run("send", *map(str, files), "--wait", "--json", "--format", "cii")
    assert sent.returncode == 0, sent.stderr
    assert {row["state"] for row in json.loads(sent.stdout)} == {"paid"}
    assert run("status", "--json").returncode == 0
    assert run("worker", "--once").returncode == 0
    assert run("act", "recycle", "1", "--service", "X").returncode == 1  # wrong state
    # wrong credentials: the refusals must not echo what was tried
    monkeypatch.setenv("CHORUSFLOW_CLIENT_SECRET", WRONG_SECRET)
    assert run("doctor").returncode == 1
    monkeypatch.setenv("CHORUSFLOW_CLIENT_SECRET", secret)
    monkeypatch.setenv("CHORUSFLOW_PASSWORD", WRONG_PASSWORD)
    assert run("doctor").returncode == 1
    refused = run("send", str(invoice_file(tmp_path, "SECRET-X")), "--wait")
    assert refused.returncode != 0 and "Traceback" not in refused.stderr

    with paying.api.sandbox.store.session() as session:
        tokens = set(session.scalars(select(Jeton.valeur)))
    assert tokens, "the runs took tokens"
    wanted = {
        **forms("client secret", secret),
        **forms("technical password", password),
        **forms("wrong client secret", WRONG_SECRET),
        **forms("wrong technical password", WRONG_PASSWORD),
        **forms("cpro-account", f"{creds.login}:{password}"),
        **forms("wrong cpro-account", f"{creds.login}:{WRONG_PASSWORD}"),
        **dict.fromkeys(tokens, "a bearer token"),
    }
    found: list[str] = []
    for result in runs:
        found += [f"output: {s}" for s in leaks(result.stdout + result.stderr, wanted)]
    assert caplog.records, "DEBUG logging captured the runs"
    for record in caplog.records:
        text = f"{record.getMessage()} {record.exc_text or ''} {record.stack_info or ''}"
        found += [f"log {record.name}: {s}" for s in leaks(text, wanted)]
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "secrets.json" for p in written)
    for path in written:
        content = path.read_bytes().decode("latin-1")
        found += [f"file {path.relative_to(tmp_path)}: {s}" for s in leaks(content, wanted)]
    assert not found, found
