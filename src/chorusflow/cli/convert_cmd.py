"""`chorusflow convert IN --to facturx|ubl|cii|json`: one invoice, another syntax.

The invoice is checked before it is written (EN 16931, :func:`chorusflow.rules.produce`):
a file Chorus Pro would reject is not made unless ``--force`` says so. The output is written
atomically and never over the input.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from chorusflow.cli.output import err, print_json
from chorusflow.errors import InputError
from chorusflow.formats.document import Document, read_path
from chorusflow.formats.files import read_input, write_output
from chorusflow.formats.profiles import Profile, Syntax
from chorusflow.rules.produce import write_checked


class Target(StrEnum):
    FACTURX = "facturx"
    UBL = "ubl"
    CII = "cii"
    JSON = "json"


_SUFFIXES = {Target.FACTURX: ".pdf", Target.UBL: ".xml", Target.CII: ".xml", Target.JSON: ".json"}
_PROFILED = frozenset({Target.FACTURX, Target.CII})


def _profile(target: Target, text: str | None) -> Profile | None:
    if text is None:
        return Profile.EN16931 if target in _PROFILED else None
    if target not in _PROFILED:
        raise InputError(
            f"--profile applies to Factur-X and CII only, not to {target.value}.",
            "Leave --profile out, or convert --to facturx or --to cii.",
        )
    try:
        return Profile.parse(text)
    except ValueError:
        names = ", ".join(p.value for p in Profile)
        raise InputError(f"Unknown profile '{text}'.", f"Use one of: {names}.") from None


def _output(source: Path, target: Target, output: Path | None) -> Path:
    path = output or source.with_name(f"{source.stem}-{target.value}{_SUFFIXES[target]}")
    if path.resolve() == source.resolve():
        raise InputError(
            f"The output would overwrite the input {source.name}.",
            "Choose another file with -o.",
        )
    return path


def _visual(document: Document, target: Target, pdf: Path | None) -> bytes | None:
    """The PDF to embed into: the one given, or the input's own when it is a Factur-X."""
    if pdf is not None:
        return read_input(pdf)
    if target is Target.FACTURX and document.syntax is Syntax.FACTURX:
        return document.data
    return None


def convert(
    source: Annotated[
        Path, typer.Argument(metavar="IN", help="A JSON, CII, UBL or Factur-X file.")
    ],
    to: Annotated[Target, typer.Option("--to", help="The syntax to write.")],
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            help="Factur-X/CII profile: minimum, basicwl, basic, en16931 (default), extended.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Where to write ('-' for stdout). Default: beside IN, named IN-<syntax>.<ext>.",
        ),
    ] = None,
    pdf: Annotated[
        Path | None,
        typer.Option("--pdf", help="Your own PDF to embed the XML into (Factur-X only)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Write even when the invoice breaks fatal rules.")
    ] = False,
    json: Annotated[bool, typer.Option("--json", help="Say what was written, as JSON.")] = False,
) -> None:
    """Convert an invoice to Factur-X, UBL, CII or chorusflow JSON, after checking it.

    Example: chorusflow convert examples/simple-invoice.json --to facturx -o facture.pdf
    """
    level = _profile(to, profile)
    if pdf is not None and to is not Target.FACTURX:
        raise InputError("--pdf applies to --to facturx only.", "Leave --pdf out.")
    document = read_path(source)
    syntax = Syntax(to.value)
    produced = write_checked(
        document.invoice, syntax, level, force=force, pdf=_visual(document, to, pdf)
    )
    data = produced.data
    warnings = sorted({f.rule for f in produced.findings if not f.fatal})
    forced = sorted({f.rule for f in produced.findings if f.fatal})
    if output is not None and str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        written = "-"
    else:
        path = _output(source, to, output)
        write_output(path, data)
        written = str(path)
    if json:
        print_json(
            {
                "input": str(source),
                "output": written,
                "syntax": to.value,
                "profile": level.value if level else None,
                "bytes": len(data),
                "warnings": warnings,
                "forced": forced,
            }
        )
    elif written != "-":
        label = to.value + (f" ({level.xmp_level})" if level else "")
        notes = []
        if forced:
            notes.append(f"written despite {', '.join(forced)} (--force)")
        if warnings:
            notes.append(f"{len(warnings)} warning(s): {', '.join(warnings)}")
        tail = f"; {'; '.join(notes)}; see `chorusflow validate {written}`" if notes else ""
        err.print(f"wrote {written} — {label}, {len(data):,} bytes{tail}", markup=False)


def register(app: typer.Typer) -> None:
    app.command("convert")(convert)
