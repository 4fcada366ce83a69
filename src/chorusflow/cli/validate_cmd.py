"""`chorusflow validate`: check invoices before Chorus Pro or the buyer rejects them."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from chorusflow.cli.buyers_option import DirectoryOption, OfflineOption, buyers_directory
from chorusflow.cli.output import err, out, print_json
from chorusflow.cli.progress import counting, shown
from chorusflow.cli.validation_view import (
    Outcome,
    Unreadable,
    exit_code,
    outcome_json,
    show,
    show_summary,
    unreadable_line,
)
from chorusflow.errors import ChorusflowError
from chorusflow.formats.document import read_path
from chorusflow.rules.findings import Layer, Severity
from chorusflow.rules.validate import Checks, Validator

#: From this many files on, a progress bar runs on standard error.
PROGRESS_FROM = 5


def parse_layers(text: str | None) -> frozenset[Layer]:
    """``--only en16931,ids`` → those layers; every layer when not given."""
    if text is None:
        return frozenset(Layer)
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    known = {layer.value: layer for layer in Layer}
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise typer.BadParameter(
            f"unknown layer {', '.join(repr(n) for n in unknown) or '(none given)'}; "
            f"choose among {', '.join(known)}",
            param_hint="--only",
        )
    return frozenset(known[name] for name in names)


def validate(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", help="Invoices: JSON, CII, UBL or Factur-X PDF."),
    ],
    official: Annotated[
        bool, typer.Option("--official", help="Also run the official XSD and schematron rules.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON array on stdout, for programs.")
    ] = False,
    only: Annotated[
        str | None,
        typer.Option(
            "--only",
            metavar="LAYERS",
            help="Comma-separated layers: xsd, en16931, facturx, ids, chorus, duplicates.",
        ),
    ] = None,
    directory: DirectoryOption = None,
    qualification: Annotated[
        bool,
        typer.Option(
            "--qualification",
            help="Rehearsal on the Chorus Pro qualification data set: a SIRET or SIREN "
            "failing the Luhn check is a warning.",
        ),
    ] = False,
    offline: OfflineOption = False,
) -> int:
    """Check invoices layer by layer and say what to fix, in French and English.

    Exit status: 0 every file valid, 1 an invoice has a fatal finding, 2 a file cannot be
    read or the command is misused (with several files, the worst).

    Example: chorusflow validate facture.pdf avoir.xml --directory acheteurs.json
    """
    layers = parse_layers(only)
    with ExitStack() as stack:
        checks = Checks(
            layers=layers,
            official=official,
            directory=buyers_directory(
                directory, offline=offline or Layer.CHORUS not in layers, stack=stack
            ),
            luhn=Severity.WARNING if qualification else Severity.FATAL,
        )
        return _run(Validator(checks), files, as_json)


def _run(validator: Validator, files: list[Path], as_json: bool) -> int:
    outcomes: list[Outcome] = []
    # With a bar on the terminal, the verdicts wait for the end rather than garble it.
    bar = shown(as_json, len(files), PROGRESS_FROM)
    live = not as_json and not bar
    with counting("validating", len(files), enabled=bar) as advance:
        for path in files:
            outcome = _judge(validator, path)
            outcomes.append(outcome)
            if live:
                _show(outcome, first=len(outcomes) == 1)
            advance(1)
    if as_json:
        print_json([outcome_json(o) for o in outcomes])
    else:
        if bar:
            for i, outcome in enumerate(outcomes):
                _show(outcome, first=i == 0)
        if len(outcomes) > 1:
            show_summary(out, outcomes)
    return max(exit_code(o) for o in outcomes)


def _judge(validator: Validator, path: Path) -> Outcome:
    """The verdict on one file, under the name the user gave it."""
    try:
        return replace(validator.validate(read_path(path)), name=str(path))
    except ChorusflowError as error:  # unreadable file, or a directory that cannot answer
        return Unreadable(str(path), error)


def _show(outcome: Outcome, *, first: bool) -> None:
    """A verdict on stdout; an unreadable file as one error line on stderr."""
    if isinstance(outcome, Unreadable):
        err.print(unreadable_line(outcome), markup=False, highlight=False)
        return
    if not first:
        out.print()
    show(out, outcome)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
