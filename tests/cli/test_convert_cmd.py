"""`chorusflow convert`: checked, atomic, never over the input; every syntax to every other."""

import json
from pathlib import Path

import pytest

from chorusflow.formats.document import read_path
from chorusflow.formats.facturx import extract_xml
from chorusflow.formats.profiles import Profile, Syntax
from chorusflow.rules.facturx import check_facturx
from tests.cli.conftest import Cli
from tests.conftest import EXAMPLES


@pytest.fixture
def simple(tmp_path: Path) -> Path:
    path = tmp_path / "simple.json"
    path.write_bytes((EXAMPLES / "simple-invoice.json").read_bytes())
    return path


def test_json_to_facturx_to_ubl_to_cii_keeps_the_invoice(cli: Cli, simple: Path) -> None:
    assert cli("convert", str(simple), "--to", "facturx").returncode == 0
    pdf = simple.with_name("simple-facturx.pdf")
    assert check_facturx(pdf.read_bytes()) == []
    result = cli("convert", str(pdf), "--to", "ubl", "-o", str(simple.with_name("u.xml")))
    assert result.returncode == 0, result.stderr
    result = cli("convert", str(simple.with_name("u.xml")), "--to", "cii", "--profile", "basic")
    assert result.returncode == 0, result.stderr
    original = read_path(simple).invoice
    for name, syntax in (("u.xml", Syntax.UBL), ("u-cii.xml", Syntax.CII)):
        document = read_path(simple.with_name(name))
        assert document.syntax is syntax
        assert document.invoice.number == original.number
        assert document.invoice.totals == original.totals
    assert read_path(simple.with_name("u-cii.xml")).profile is Profile.BASIC


def test_facturx_to_facturx_keeps_the_users_pdf_and_changes_the_profile(
    cli: Cli, simple: Path
) -> None:
    cli("convert", str(simple), "--to", "facturx", "-o", str(simple.with_name("a.pdf")))
    result = cli(
        "convert",
        str(simple.with_name("a.pdf")),
        "--to",
        "facturx",
        "--profile",
        "extended",
        "-o",
        str(simple.with_name("b.pdf")),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["profile"] == "extended"
    assert read_path(simple.with_name("b.pdf")).profile is Profile.EXTENDED
    assert extract_xml(simple.with_name("b.pdf").read_bytes()).filename == "factur-x.xml"


def test_an_invalid_invoice_is_not_written_unless_forced(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"number": "X", "lines": [{"id": "1"}]}')
    result = cli("convert", str(bad), "--to", "ubl")
    assert result.returncode == 1
    assert "forbid writing it" in result.stderr and "--force" in result.stderr
    assert not tmp_path.joinpath("bad-ubl.xml").exists()  # nothing half-written
    forced = cli("convert", str(bad), "--to", "ubl", "--force", "--json")
    assert forced.returncode == 0
    assert "BR-06" in json.loads(forced.stdout)["forced"]


def test_usage_errors_exit_2(cli: Cli, simple: Path) -> None:
    cases = [
        (("--to", "ubl", "--profile", "basic"), "applies to Factur-X and CII only"),
        (("--to", "cii", "--profile", "gold"), "Unknown profile"),
        (("--to", "ubl", "--pdf", str(simple)), "--pdf applies"),
        (("--to", "json", "-o", str(simple)), "overwrite the input"),
    ]
    for args, message in cases:
        result = cli("convert", str(simple), *args)
        assert result.returncode == 2, args
        assert message in result.stderr and "Traceback" not in result.stderr
    assert cli("convert", str(simple), "--to", "pdf").returncode == 2


def test_stdout_output(cli: Cli, simple: Path) -> None:
    result = cli("convert", str(simple), "--to", "cii", "-o", "-")
    assert result.returncode == 0
    assert result.stdout.startswith("<?xml") and "CrossIndustryInvoice" in result.stdout
