"""How ``chorusflow validate`` shows its verdicts: grouped by invoice for people, JSON for programs.

Each finding says its rule, severity and layer, the message in French and in English, where
it is (the field of the invoice as a JSON pointer, and the XPath in the file) and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.markup import escape

from chorusflow.errors import EXIT_INVALID, EXIT_OK, EXIT_UNREADABLE, ChorusflowError
from chorusflow.rules.findings import Finding, Severity
from chorusflow.rules.validate import Report


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A file that could not be read, and why (one sentence and the fix)."""

    name: str
    error: ChorusflowError


Outcome = Report | Unreadable


def exit_code(outcome: Outcome) -> int:
    """0 valid, 1 invalid, 2 unreadable."""
    if isinstance(outcome, Unreadable):
        return EXIT_UNREADABLE
    return EXIT_OK if outcome.valid else EXIT_INVALID


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "layer": finding.layer.value,
        "message_fr": finding.message_fr,
        "message_en": finding.message_en,
        "location": finding.location,
        "xpath": finding.xpath,
        "fix": finding.fix,
    }


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    """One file's verdict as the ``--json`` output gives it."""
    if isinstance(outcome, Unreadable):
        error = outcome.error
        return {
            "file": outcome.name,
            "valid": False,
            "error": error.message + (f" {error.fix}" if error.fix else ""),
            "findings": [],
        }
    return {
        "file": outcome.name,
        "valid": outcome.valid,
        "syntax": outcome.syntax.value,
        "profile": outcome.profile.value if outcome.profile else None,
        "findings": [finding_json(f) for f in outcome.findings],
    }


def _count(findings: tuple[Finding, ...], severity: Severity) -> int:
    return sum(1 for f in findings if f.severity is severity)


def unreadable_line(outcome: Unreadable) -> str:
    """The one line (for standard error) saying why a file could not be judged."""
    error = outcome.error
    return f"error: {outcome.name}: {error.message}" + (f" {error.fix}" if error.fix else "")


def _headline(outcome: Report) -> str:
    kind = outcome.syntax.value.upper() + (
        f", {outcome.profile.value.upper()}" if outcome.profile else ""
    )
    fatal = _count(outcome.findings, Severity.FATAL)
    warnings = _count(outcome.findings, Severity.WARNING)
    tally = f"{fatal} fatal, {warnings} warning{'s' if warnings != 1 else ''}"
    if outcome.valid:
        mark = "[bold green]✔"
        verdict = "valid / valide" + (f" ({tally})" if warnings else "")
    else:
        mark, verdict = "[bold red]✘", f"invalid / invalide ({tally})"
    return f"{mark} {escape(outcome.name)}[/] [dim]({kind})[/] — {verdict}"


def _finding_lines(finding: Finding) -> list[str]:
    colour = "red" if finding.fatal else "yellow"
    lines = [
        f"  [{colour}]{finding.severity.value.upper():7}[/] [bold]{escape(finding.rule)}[/] "
        f"[dim]{finding.layer.value}[/]",
        f"    fr: {escape(finding.message_fr)}",
    ]
    if finding.message_en != finding.message_fr:
        lines.append(f"    en: {escape(finding.message_en)}")
    where = " · ".join(escape(w) for w in (finding.location, finding.xpath) if w)
    if where:
        lines.append(f"    [dim]where / où:[/] {where}")
    if finding.fix:
        lines.append(f"    [dim]fix / correction:[/] {escape(finding.fix)}")
    return lines


def show(console: Console, outcome: Report) -> None:
    """One invoice's verdict, then its findings, for a person."""
    console.print(_headline(outcome))
    for finding in outcome.findings:
        for line in _finding_lines(finding):
            console.print(line)


def show_summary(console: Console, outcomes: list[Outcome]) -> None:
    """A closing line when several files were judged."""
    valid = sum(1 for o in outcomes if exit_code(o) == EXIT_OK)
    invalid = sum(1 for o in outcomes if exit_code(o) == EXIT_INVALID)
    unreadable = len(outcomes) - valid - invalid
    console.print(
        f"\n{len(outcomes)} files: {valid} valid, {invalid} invalid, {unreadable} unreadable"
    )
