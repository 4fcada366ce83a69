"""`chorusflow sandbox`: help with an example, errors in one sentence, dataset against a server."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from chorusflow.sandbox.server import start
from chorusflow.sandbox.settings import FAST
from tests.cli.conftest import Cli, Result

Run = Callable[..., Result]


@pytest.fixture
def run(cli: Cli) -> Run:
    """`chorusflow sandbox ARGS` in this process: exit code, stdout, stderr."""
    return lambda *args: cli("sandbox", *args)


def test_help_has_an_example(run: Run) -> None:
    for command in ("serve", "dataset"):
        result = run(command, "--help")
        assert result.returncode == 0 and "Example: chorusflow sandbox" in result.stdout


def test_errors_are_one_sentence_with_exit_2(run: Run) -> None:
    for args in (
        ("serve", "--faults", "5xx=3"),
        ("serve", "--shares", "rejetee=2"),
        ("dataset",),
        ("dataset", "--url", "http://127.0.0.1:9"),
    ):
        result = run(*args)
        assert result.returncode == 2, args
        assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_serve_refuses_a_port_in_use(run: Run, tmp_path: Path) -> None:
    sandbox = start(tmp_path / "s.db", FAST)
    try:
        port = sandbox.url.rsplit(":", 1)[1]
        result = run("serve", "--port", port, "--db", str(tmp_path / "other.db"))
        assert result.returncode == 2 and "Cannot listen" in result.stderr
        data = json.loads(run("dataset", "--url", sandbox.url, "--json").stdout)
        assert data["api_url"] == sandbox.url and data["suppliers"]
        table = run("dataset", "--url", sandbox.url)
        assert (
            table.returncode == 0
            and "12345678200028" in table.stdout
            and data["applications"][0]["client_secret"] not in table.stdout
        )
    finally:
        sandbox.stop()


def test_a_file_that_is_not_a_sandbox_database_is_refused(run: Run, tmp_path: Path) -> None:
    import sqlite3

    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE x (a)")
    for path, words in ((garbage, "not a sandbox database"), (other, "another version")):
        result = run("dataset", "--db", str(path))
        assert result.returncode == 2 and words in result.stderr, result.stderr
