"""`chorusflow init` and `chorusflow doctor` as a user runs them, each diagnosis provoked for
real against sandboxes set up to produce it."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.chorus.conftest import (
    EXPIRING_SUPPLIER,
    SUPPLIER,
    Bench,
    start_bench,
)

#: Every secret a run handled; none may appear in any output (checked at the end).
SEEN_SECRETS: set[str] = set()
OUTPUTS: list[str] = []


def chorusflow(config: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CHORUSFLOW_") and "PROXY" not in k.upper()
    }
    environ.update(CHORUSFLOW_CONFIG_DIR=str(config), NO_PROXY="*", **env)
    result = subprocess.run(
        [sys.executable, "-m", "chorusflow", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=environ,
    )
    OUTPUTS.append(result.stdout + result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def init(
    config: Path,
    bench: Bench,
    siret: str = SUPPLIER,
    *,
    env: str = "sandbox",
    full: bool = True,
    connected: bool = True,
    secret: str | None = None,
    password: str | None = None,
    url: str | None = None,
    extra: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    credentials = bench.credentials(siret, full=full, connected=connected)
    secret = secret or credentials.client_secret.reveal()
    password = password or credentials.password.reveal()
    SEEN_SECRETS.update({secret, password, credentials.cpro_account()})
    base = url or bench.url
    return chorusflow(
        config,
        "init",
        "--env",
        env,
        "--token-url",
        base + "/api/oauth/token",
        "--api-url",
        base,
        "--client-id",
        credentials.client_id,
        "--login",
        credentials.login,
        "--secrets",
        "file",
        "--no-input",
        *extra,
        CHORUSFLOW_CLIENT_SECRET=secret,
        CHORUSFLOW_PASSWORD=password,
    )


def doctor(config: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = chorusflow(config, "doctor", "--json", *args)
    return result.returncode, json.loads(result.stdout)


def diagnoses(report: dict[str, Any]) -> dict[str, str | None]:
    return {c["name"]: c["diagnosis"] for c in report["checks"] if c["status"] != "ok"}


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    stop, shared = start_bench(tmp_path_factory.mktemp("cli"))
    yield shared
    stop()


def test_init_from_flags_then_doctor_says_all_is_well(bench: Bench, tmp_path: Path) -> None:
    created = init(tmp_path, bench)
    assert created.returncode == 0, created.stderr
    assert "Configuration written" in created.stdout
    for path in tmp_path.iterdir():
        data = path.read_bytes()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        for secret in SEEN_SECRETS:
            assert secret.encode() not in data, f"a secret in clear in {path.name}"
    code, report = doctor(tmp_path)
    assert code == 0 and report["ok"], report
    assert [c["status"] for c in report["checks"]] == ["ok"] * len(report["checks"])
    text = chorusflow(tmp_path, "doctor")
    assert text.returncode == 0 and "All checks passed." in text.stdout


def test_wrong_piste_credentials(bench: Bench, tmp_path: Path) -> None:
    init(tmp_path, bench, secret="wrong-secret-123")
    code, report = doctor(tmp_path)
    assert code == 1
    assert diagnoses(report) == {"PISTE token": "invalid_client"}
    fix = report["checks"][-1]["fix"]
    assert "piste.gouv.fr" in fix and "Authentification" in fix


def test_api_not_attached_to_the_application(bench: Bench, tmp_path: Path) -> None:
    init(tmp_path, bench, full=False)
    code, report = doctor(tmp_path)
    assert code == 1
    found = diagnoses(report)
    assert found["API Factures"] == "api_not_subscribed"
    assert "API Transverses" not in found and "API Structures" not in found
    factures = next(c for c in report["checks"] if c["name"] == "API Factures")
    assert "Modifier l'application" in factures["fix"]


def test_wrong_technical_account(bench: Bench, tmp_path: Path) -> None:
    init(tmp_path, bench, password="not-the-password")
    code, report = doctor(tmp_path)
    assert code == 1
    assert diagnoses(report) == {"technical account": "technical_account"}
    assert "Compte technique" in report["checks"][-1]["fix"]


def test_application_not_connected_to_the_structure(bench: Bench, tmp_path: Path) -> None:
    """The real platform refuses the account (401) through an application its structure has
    not declared in its raccordements; the diagnosis names that cause beside the password."""
    init(tmp_path, bench, connected=False)
    code, report = doctor(tmp_path)
    assert code == 1
    assert diagnoses(report) == {"technical account": "technical_account"}
    account = report["checks"][-1]
    assert "raccordement PISTE" in account["message"]
    assert "Déclarer un raccordement PISTE" in account["fix"] and "exact name" in account["fix"]


def test_technical_password_expiring_within_30_days(bench: Bench, tmp_path: Path) -> None:
    init(tmp_path, bench, EXPIRING_SUPPLIER)
    code, report = doctor(tmp_path)
    assert code == 1
    assert diagnoses(report) == {"technical password": "password_expiring"}
    assert doctor(tmp_path, "--warn-days", "5")[0] == 0


def test_credentials_of_the_other_environment(bench: Bench, tmp_path: Path) -> None:
    """PISTE qualification and production are separate applications: production keys are
    refused by qualification's token endpoint but accepted by production's. Two sandboxes
    stand for the two PISTE environments."""
    stop, production = start_bench(tmp_path / "production")
    try:
        config = tmp_path / "config"
        init(config, production, env="production")
        qualification_app = init(
            config,
            production,
            env="qualification",
            url=bench.url,  # qualification's hosts are the first sandbox
        )
        assert qualification_app.returncode == 0
        code, report = doctor(config)
        assert code == 1
        assert diagnoses(report) == {"PISTE token": "wrong_environment"}
        message = report["checks"][-1]["message"]
        assert "production credentials" in message
        assert doctor(config, "--env", "production")[0] == 0
    finally:
        stop()


def test_urls_of_the_other_environment(tmp_path: Path, bench: Bench) -> None:
    init(tmp_path, bench, env="qualification", url="https://api.piste.gouv.fr")
    code, report = doctor(tmp_path)
    assert code == 1
    assert diagnoses(report) == {"environment": "wrong_environment"}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_unreachable(bench: Bench, tmp_path: Path) -> None:
    init(tmp_path, bench, url=f"http://127.0.0.1:{_closed_port()}")
    code, report = doctor(tmp_path)
    assert code == 1
    assert diagnoses(report) == {"PISTE token": "unreachable"}


def test_timing_out(tmp_path: Path) -> None:
    stop, slow = start_bench(tmp_path / "slow")
    try:
        init(tmp_path / "config", slow)
        slow.faults("latency=3")
        code, report = doctor(tmp_path / "config", "--timeout", "0.5")
        assert code == 1
        assert diagnoses(report) == {"PISTE token": "timeout"}
    finally:
        slow.faults("")
        stop()


def test_no_configuration_is_bad_usage(tmp_path: Path) -> None:
    result = chorusflow(tmp_path, "doctor")
    assert result.returncode == 2
    assert "chorusflow init" in result.stderr and result.stderr.count("\n") == 1


def test_bad_usage_exits_2(bench: Bench, tmp_path: Path) -> None:
    assert chorusflow(tmp_path, "doctor", "--env", "staging").returncode == 2
    missing = chorusflow(tmp_path, "init", "--env", "qualification", "--no-input")
    assert missing.returncode == 2 and "--client-id" in missing.stderr
    refused = init(
        tmp_path,
        bench,
        env="production",
        extra=("--rehearse-siret", "90123456700005=93125027408770"),
    )
    assert refused.returncode == 2 and "production" in refused.stderr


def test_rehearsal_mapping_is_kept_in_the_file(bench: Bench, tmp_path: Path) -> None:
    done = init(
        tmp_path,
        bench,
        env="qualification",
        extra=("--rehearse-siret", "90123456700005=93125027408770", "--rehearse-service", "A=B"),
    )
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "config.toml").read_text()
    assert '90123456700005 = "93125027408770"' in text and 'A = "B"' in text


def test_no_secret_was_ever_printed() -> None:
    assert OUTPUTS, "runs above"
    for output in OUTPUTS:
        for secret in SEEN_SECRETS:
            assert secret not in output
