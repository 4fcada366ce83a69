"""`chorusflow inspect`: syntax, profile and key fields of any invoice file."""

import json
from pathlib import Path

from chorusflow.formats.facturx import write_facturx
from chorusflow.formats.model_json import read_json
from chorusflow.formats.profiles import Profile
from tests.cli.conftest import Cli
from tests.conftest import CORPUS, EXAMPLES


def test_json_summary_of_a_facturx(cli: Cli, tmp_path: Path) -> None:
    invoice = read_json((EXAMPLES / "engagement.json").read_bytes())
    pdf = tmp_path / "facture.pdf"
    pdf.write_bytes(write_facturx(invoice, Profile.BASIC))
    result = cli("inspect", str(pdf), "--json")
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    assert (facts["syntax"], facts["profile"], facts["number"]) == (
        "facturx",
        "basic",
        "FA-2026-0005",
    )
    assert facts["buyer"]["siret"] == "12345678200036"
    assert facts["chorus_pro"]["engagement_number"] == "EJ-2026-000451"
    assert facts["chorus_pro"]["framework"] == "A1_FACTURE_FOURNISSEUR"
    assert facts["totals"]["payable"] == "900.00"


def test_human_summary_of_a_ubl_credit_note(cli: Cli) -> None:
    result = cli("inspect", str(CORPUS / "ubl" / "examples" / "ubl-tc434-creditnote1.xml"))
    assert result.returncode == 0, result.stderr
    assert "UBL 2.1" in result.stdout and "credit note" in result.stdout
    assert "BE0000000196" in result.stdout


def test_unreadable_input_is_one_line_and_exit_2(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "x.xml"
    bad.write_bytes(b"<Invoice")
    result = cli("inspect", str(bad))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "not well-formed" in result.stderr
    assert "Traceback" not in result.stderr
