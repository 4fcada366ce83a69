"""The output of validate: JSON shape for programs, grouped text for people."""

from __future__ import annotations

import io
import json

from rich.console import Console

from chorusflow.cli.validation_view import (
    Unreadable,
    exit_code,
    outcome_json,
    show,
    show_summary,
    unreadable_line,
)
from chorusflow.errors import InputError
from chorusflow.formats.profiles import Profile, Syntax
from chorusflow.rules.findings import Finding, Layer, Severity
from chorusflow.rules.validate import Report

FATAL = Finding(
    "CPRO-SERVICE-REQUIRED",
    Severity.FATAL,
    Layer.CHORUS,
    "The buyer requires a service code.",
    "Le destinataire exige un code service.",
    location="/buyer_reference",
    xpath="/rsm:CrossIndustryInvoice/ram:BuyerReference",
    fix="Set buyer_reference.",
)
WARNING = Finding("ID-VAT-SIREN", Severity.WARNING, Layer.IDS, "en [x]", "fr [x]")


def report(*findings: Finding) -> Report:
    return Report("a.xml", Syntax.CII, Profile.EN16931, findings)


def text(outcome: Report) -> str:
    buffer = io.StringIO()
    show(Console(file=buffer, width=200, color_system=None), outcome)
    return buffer.getvalue()


def test_exit_codes_per_outcome() -> None:
    assert exit_code(report()) == 0
    assert exit_code(report(WARNING)) == 0
    assert exit_code(report(FATAL, WARNING)) == 1
    assert exit_code(Unreadable("x", InputError("bad"))) == 2


def test_the_json_of_a_report_has_every_field_of_every_finding() -> None:
    value = outcome_json(report(FATAL))
    assert json.loads(json.dumps(value)) == {
        "file": "a.xml",
        "valid": False,
        "syntax": "cii",
        "profile": "en16931",
        "findings": [
            {
                "rule": "CPRO-SERVICE-REQUIRED",
                "severity": "fatal",
                "layer": "chorus",
                "message_fr": "Le destinataire exige un code service.",
                "message_en": "The buyer requires a service code.",
                "location": "/buyer_reference",
                "xpath": "/rsm:CrossIndustryInvoice/ram:BuyerReference",
                "fix": "Set buyer_reference.",
            }
        ],
    }


def test_the_json_of_an_unreadable_file_carries_the_sentence() -> None:
    value = outcome_json(Unreadable("b.pdf", InputError("No XML in it.", "Embed one.")))
    assert value == {
        "file": "b.pdf",
        "valid": False,
        "error": "No XML in it. Embed one.",
        "findings": [],
    }


def test_people_read_the_verdict_then_each_finding_in_both_languages() -> None:
    shown = text(report(FATAL, WARNING))
    lines = shown.splitlines()
    assert lines[0].startswith("✘ a.xml (CII, EN16931) — invalid / invalide (1 fatal, 1 warning)")
    assert "FATAL" in lines[1] and "CPRO-SERVICE-REQUIRED" in lines[1] and "chorus" in lines[1]
    assert "fr: Le destinataire exige un code service." in shown
    assert "en: The buyer requires a service code." in shown
    assert "/buyer_reference · /rsm:CrossIndustryInvoice/ram:BuyerReference" in shown
    assert "fix / correction: Set buyer_reference." in shown
    assert "fr [x]" in shown  # text with brackets is shown as it is, not as markup


def test_a_valid_invoice_and_an_unreadable_file() -> None:
    assert text(report()).startswith("✔ a.xml (CII, EN16931) — valid / valide")
    assert "(0 fatal, 1 warning)" in text(report(WARNING))
    unreadable = Unreadable("b.pdf", InputError("No XML in it.", "Embed one."))
    assert unreadable_line(unreadable) == "error: b.pdf: No XML in it. Embed one."


def test_the_summary_counts_each_kind() -> None:
    buffer = io.StringIO()
    outcomes = [report(), report(FATAL), Unreadable("x", InputError("bad"))]
    show_summary(Console(file=buffer, width=200, color_system=None), outcomes)
    assert buffer.getvalue().strip() == "3 files: 1 valid, 1 invalid, 1 unreadable"
