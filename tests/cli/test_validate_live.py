"""`chorusflow validate` asks Chorus Pro's directory when a connection is configured: a real
sandbox over loopback, configured with `chorusflow init`, as a user would."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from chorusflow.formats.model_json import read_json, write_json
from tests.chorus.conftest import start_bench
from tests.cli.test_init_doctor import chorusflow, init
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def configured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A configuration directory pointing at a running sandbox."""
    stop, bench = start_bench(tmp_path_factory.mktemp("validate-live"))
    config = tmp_path_factory.mktemp("config")
    done = init(config, bench)
    assert done.returncode == 0, done.stderr
    yield config
    stop()


def without_service(tmp_path: Path) -> str:
    invoice = read_json((EXAMPLES / "service-code.json").read_bytes())
    path = tmp_path / "no-service.json"
    path.write_bytes(
        write_json(invoice.model_copy(update={"buyer_reference": None, "number": "FA-2026-0099"}))
    )
    return str(path)


def rules(result: object) -> list[list[str]]:
    verdicts = json.loads(result.stdout)  # type: ignore[attr-defined]
    return [[f["rule"] for f in verdict["findings"]] for verdict in verdicts]


def test_the_live_directory_says_what_each_buyer_demands(configured: Path, tmp_path: Path) -> None:
    examples = [str(EXAMPLES / f"{name}.json") for name in ("service-code", "engagement")]
    result = chorusflow(configured, "validate", *examples, without_service(tmp_path), "--json")
    assert result.returncode == 1, result.stderr
    assert rules(result) == [[], [], ["CPRO-SERVICE-REQUIRED"]]


def test_offline_and_a_directory_file_do_not_ask_chorus_pro(
    configured: Path, tmp_path: Path
) -> None:
    path = without_service(tmp_path)
    offline = chorusflow(configured, "validate", path, "--offline", "--json")
    assert offline.returncode == 0 and rules(offline) == [[]]
    listed = tmp_path / "buyers.json"
    listed.write_text(json.dumps({"structures": [{"siret": "12345678200028"}]}))
    from_file = chorusflow(configured, "validate", path, "--directory", str(listed), "--json")
    assert from_file.returncode == 0 and rules(from_file) == [[]]


def test_a_buyer_chorus_pro_does_not_know_is_fatal(configured: Path, tmp_path: Path) -> None:
    invoice = read_json((EXAMPLES / "simple-invoice.json").read_bytes())
    assert invoice.buyer is not None and invoice.buyer.identifier is not None
    unknown = invoice.buyer.identifier.model_copy(update={"value": "35600000000048"})
    buyer = invoice.buyer.model_copy(
        update={"identifier": unknown, "legal_registration": None, "electronic_address": None}
    )
    path = tmp_path / "unknown.json"
    path.write_bytes(write_json(invoice.model_copy(update={"buyer": buyer})))
    result = chorusflow(configured, "validate", str(path), "--json")
    assert result.returncode == 1 and rules(result) == [["CPRO-BUYER-UNKNOWN"]]
