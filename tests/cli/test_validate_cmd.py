"""`chorusflow validate`: the command contract (exit codes, JSON shape, --only, bad input)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from chorusflow.formats.cii import write_cii
from chorusflow.formats.facturx import render_pdf, write_facturx
from chorusflow.formats.model_json import read_json, write_json
from chorusflow.formats.profiles import Profile
from chorusflow.formats.ubl import write_ubl
from chorusflow.model import Invoice, PartyIdentifier
from tests.cli.conftest import Cli
from tests.conftest import EXAMPLES
from tests.strategies import vat_id

SERVICE_BUYER = "12345678200028"


def example(name: str = "simple-invoice") -> Invoice:
    return read_json((EXAMPLES / f"{name}.json").read_bytes())


def written(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def broken(invoice: Invoice) -> Invoice:
    """A bad buyer SIRET (ids) and a space in the number (chorus)."""
    assert invoice.buyer is not None
    wrong = PartyIdentifier(value="12345678200029", scheme="0009")
    buyer = invoice.buyer.model_copy(update={"identifier": wrong, "legal_registration": wrong})
    return invoice.model_copy(update={"buyer": buyer, "number": "FA 2026"})


def directory_file(tmp_path: Path) -> str:
    structures = [
        {"siret": SERVICE_BUYER, "service_code_required": True, "services": [{"code": "S1"}]}
    ]
    return written(tmp_path, "buyers.json", json.dumps({"structures": structures}).encode())


@pytest.fixture(autouse=True)
def no_configured_connection(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user configuration leaks in: the live directory is not asked."""
    for name in ("CHORUSFLOW_ENV", "CHORUSFLOW_CLIENT_ID", "CHORUSFLOW_LOGIN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CHORUSFLOW_CONFIG_DIR", str(tmp_path / "no-config"))


def test_every_example_is_valid_in_every_syntax(cli: Cli, tmp_path: Path) -> None:
    # One run per syntax: the same invoice twice in a run is a duplicate.
    invoices = {p.stem: read_json(p.read_bytes()) for p in sorted(EXAMPLES.glob("*.json"))}
    runs = {
        "json": [str(EXAMPLES / f"{name}.json") for name in invoices],
        "cii": [written(tmp_path, f"{n}.xml", write_cii(i)) for n, i in invoices.items()],
        "ubl": [written(tmp_path, f"{n}.ubl", write_ubl(i)) for n, i in invoices.items()],
        "facturx": [written(tmp_path, "f.pdf", write_facturx(example(), Profile.EN16931))],
    }
    for syntax, files in runs.items():
        result = cli("validate", *files, "--json")
        verdicts = json.loads(result.stdout)
        assert result.returncode == 0, verdicts
        assert [v["file"] for v in verdicts] == files
        assert all(v["valid"] and v["findings"] == [] for v in verdicts), verdicts
        assert {v["syntax"] for v in verdicts} == {syntax}


def test_an_invalid_invoice_exits_1_and_the_json_says_everything(cli: Cli, tmp_path: Path) -> None:
    path = written(tmp_path, "bad.json", write_json(broken(example())))
    result = cli("validate", path, "--json")
    assert result.returncode == 1
    (verdict,) = json.loads(result.stdout)
    assert verdict["file"] == path and verdict["valid"] is False
    assert verdict["syntax"] == "json" and verdict["profile"] is None
    rules = [f["rule"] for f in verdict["findings"]]
    assert rules == ["ID-SIRET-LUHN", "ID-SIRET-LUHN", "CPRO-NUMBER-CHARS"]
    for finding in verdict["findings"]:
        assert set(finding) == {
            "rule", "severity", "layer", "message_fr", "message_en", "location", "xpath", "fix"
        }  # fmt: skip
        assert finding["severity"] == "fatal" and finding["fix"] and finding["location"]
    assert result.stderr == ""  # no progress bar, no noise, in --json


def test_human_output_is_grouped_by_invoice_and_gives_the_xpath(cli: Cli, tmp_path: Path) -> None:
    bad = written(tmp_path, "bad.xml", write_cii(broken(example()), Profile.EN16931))
    good = str(EXAMPLES / "engagement.json")
    result = cli("validate", good, bad)
    assert result.returncode == 1
    out = result.stdout
    assert out.index(f"✔ {good}") < out.index(f"✘ {bad}") < out.index("ID-SIRET-LUHN")
    assert "fr: BT-46 : Le SIRET 12345678200029 a une clé de Luhn fausse" in out
    assert "en: BT-46: The SIRET 12345678200029 fails its Luhn check digit" in out
    assert "/buyer/identifier/value · /rsm:CrossIndustryInvoice/" in out
    assert "fix / correction:" in out
    assert out.rstrip().endswith("2 files: 1 valid, 1 invalid, 0 unreadable")


def test_only_restricts_the_layers(cli: Cli, tmp_path: Path) -> None:
    path = written(tmp_path, "bad.json", write_json(broken(example())))

    def rules(layers: str) -> list[str]:
        verdict = json.loads(cli("validate", path, "--json", "--only", layers).stdout)[0]
        return [f["rule"] for f in verdict["findings"]]

    judged = {layers: rules(layers) for layers in ("ids", "chorus", "en16931", "xsd,en16931")}
    judged["IDS, chorus"] = rules("IDS, chorus")
    assert judged["ids"] == ["ID-SIRET-LUHN", "ID-SIRET-LUHN"]
    assert judged["chorus"] == ["CPRO-NUMBER-CHARS"]
    assert judged["en16931"] == judged["xsd,en16931"] == []
    assert judged["IDS, chorus"] == ["ID-SIRET-LUHN", "ID-SIRET-LUHN", "CPRO-NUMBER-CHARS"]
    assert cli("validate", path, "--only", "en16931").returncode == 0


def test_an_unknown_layer_is_bad_usage(cli: Cli) -> None:
    result = cli("validate", str(EXAMPLES / "engagement.json"), "--only", "xsd,spelling")
    assert result.returncode == 2
    assert "'spelling'" in result.stderr and "duplicates" in result.stderr


def test_the_directory_file_brings_the_buyers_demands(cli: Cli, tmp_path: Path) -> None:
    no_service = example("service-code").model_copy(update={"buyer_reference": None})
    path = written(tmp_path, "f.json", write_json(no_service))
    assert cli("validate", path).returncode == 0  # no directory: demands unknown
    result = cli("validate", path, "--directory", directory_file(tmp_path), "--json")
    assert result.returncode == 1
    assert [f["rule"] for f in json.loads(result.stdout)[0]["findings"]] == [
        "CPRO-SERVICE-REQUIRED"
    ]


def test_a_bad_directory_file_is_bad_usage(cli: Cli, tmp_path: Path) -> None:
    bad = written(tmp_path, "buyers.json", b'{"structures": [{"siret": 1}]}')
    result = cli("validate", str(EXAMPLES / "engagement.json"), "--directory", bad)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "structures[0].siret" in result.stderr
    missing = cli("validate", str(EXAMPLES / "engagement.json"), "--directory", "nope.json")
    assert missing.returncode == 2 and "Cannot read the directory file" in missing.stderr


def test_qualification_turns_luhn_failures_into_warnings(cli: Cli, tmp_path: Path) -> None:
    invoice = example()
    assert invoice.seller is not None
    fake = PartyIdentifier(value="93125027408770", scheme="0009")  # API.md §12.2
    seller = invoice.seller.model_copy(
        update={"identifiers": (fake,), "legal_registration": fake,
                "vat_id": vat_id(fake.value), "electronic_address": None}
    )  # fmt: skip
    path = written(tmp_path, "q.json", write_json(invoice.model_copy(update={"seller": seller})))
    assert cli("validate", path).returncode == 1
    rehearsal = cli("validate", path, "--qualification", "--json")
    assert rehearsal.returncode == 0
    findings = json.loads(rehearsal.stdout)[0]["findings"]
    assert {(f["rule"], f["severity"]) for f in findings} == {
        ("ID-SIRET-LUHN", "warning"),  # BT-29 and BT-30
        ("ID-VAT-LUHN", "warning"),  # the VAT number built on the same SIREN
    }


def test_duplicates_among_the_files_of_a_run(cli: Cli, tmp_path: Path) -> None:
    first = str(EXAMPLES / "simple-invoice.json")
    again = written(tmp_path, "again.xml", write_cii(example(), Profile.EN16931))
    verdicts = json.loads(cli("validate", first, again, "--json").stdout)
    assert verdicts[0]["findings"] == []
    assert [f["rule"] for f in verdicts[1]["findings"]] == ["DUP-NUMBER"]
    assert "simple-invoice.json" in verdicts[1]["findings"][0]["message_en"]


def test_official_adds_the_official_verdict(cli: Cli, tmp_path: Path) -> None:
    path = written(tmp_path, "f.xml", write_cii(example(), Profile.EN16931))
    assert cli("validate", path, "--official").returncode == 0
    empty = written(tmp_path, "empty.xml", write_cii(Invoice(number="FA-1"), Profile.EN16931))
    result = cli("validate", empty, "--official", "--only", "en16931", "--json")
    assert result.returncode == 1
    rules = {f["rule"] for f in json.loads(result.stdout)[0]["findings"]}
    assert {"BR-03", "BR-05", "BR-06"} <= rules


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("truncated.json", b'{"number": "FA-1", "lines": [', "not valid JSON"),
        ("unknown.json", b'{"numero": "FA-1"}', "Unknown field 'numero'"),
        ("dtd.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>', "DTD"),
        ("cut.xml", write_cii(Invoice(number="FA-1"))[:200], "not well-formed"),
        ("empty.pdf", b"%PDF-1.7\n%%EOF\n", "PDF"),
        ("plain.txt", b"hello", "neither JSON, XML nor PDF"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    cli: Cli, tmp_path: Path, name: str, data: bytes, words: str
) -> None:
    result = cli("validate", written(tmp_path, name, data))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and words in result.stderr, result.stderr
    assert result.stderr.startswith(f"error: {tmp_path / name}: ")


def test_a_pdf_without_invoice_xml_and_a_truncated_pdf(cli: Cli, tmp_path: Path) -> None:
    plain = written(tmp_path, "plain.pdf", render_pdf(example()))
    result = cli("validate", plain)
    assert result.returncode == 2 and "no invoice XML" in result.stderr
    pdf = write_facturx(example(), Profile.EN16931)
    cut = written(tmp_path, "cut.pdf", pdf[: len(pdf) // 2])
    result = cli("validate", cut)
    assert result.returncode == 2 and result.stderr.count("\n") == 1


def test_the_worst_verdict_decides_the_exit_code(cli: Cli, tmp_path: Path) -> None:
    good = str(EXAMPLES / "engagement.json")
    bad = written(tmp_path, "bad.json", write_json(broken(example())))
    unreadable = written(tmp_path, "x.json", b"{")
    assert cli("validate", good, bad).returncode == 1
    result = cli("validate", good, unreadable, bad, "--json")
    assert result.returncode == 2
    verdicts = json.loads(result.stdout)
    assert [v["valid"] for v in verdicts] == [True, False, False]
    assert "error" in verdicts[1] and verdicts[1]["findings"] == []
    assert result.stderr == ""


def test_help_shows_an_example(cli: Cli) -> None:
    result = cli("validate", "--help")
    assert result.returncode == 0
    assert "Example: chorusflow validate" in result.stdout and "--directory" in result.stdout


def test_a_200_mb_file_is_refused_at_once_in_a_real_process(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: nothing is written
    result = subprocess.run(
        [sys.executable, "-m", "chorusflow", "validate", str(huge)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"CHORUSFLOW_CONFIG_DIR": str(tmp_path / "none"), "PATH": ""},
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "MiB" in result.stderr
    assert "Traceback" not in result.stderr


def test_many_files_on_a_terminal_get_a_progress_bar_then_the_verdicts(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from rich.console import Console

    from chorusflow.cli import progress, validate_cmd

    terminal = io.StringIO()
    monkeypatch.setattr(progress, "err", Console(file=terminal, force_terminal=True))
    files = [str(p) for p in sorted(EXAMPLES.glob("*.json"))]
    assert len(files) >= validate_cmd.PROGRESS_FROM
    result = cli("validate", *files)
    assert result.returncode == 0
    assert "validating" in terminal.getvalue()  # the bar ran on the (fake) terminal
    assert result.stdout.count("✔") == len(files)  # and the verdicts came after it
