"""`chorusflow doctor`: test the connection to Chorus Pro and say what is wrong."""

from __future__ import annotations

from typing import Annotated

import typer

from chorusflow.cli.output import out, print_json
from chorusflow.errors import EXIT_INVALID, EXIT_OK

_MARKS = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL", "info": "info", "skip": "skip"}


def doctor(
    env: Annotated[
        str | None,
        typer.Option("--env", help="Check this environment instead of the configured one."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="One JSON object on stdout.")] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds per call at most.")
    ] = 10.0,
    warn_days: Annotated[
        int,
        typer.Option("--warn-days", min=0, help="Warn when the technical password expires sooner."),
    ] = 30,
) -> int:
    """Check the PISTE application, its API subscriptions and the technical account.

    Exit 0 when all is well, 1 when a check fails or warns, 2 when the configuration is
    missing or wrong. Example: chorusflow doctor --json
    """
    from chorusflow.chorus.config import endpoints_for, load_settings
    from chorusflow.chorus.doctor import diagnose
    from chorusflow.chorus.environments import parse_environment

    forced = None
    if env is not None:
        try:
            forced = parse_environment(env)
        except ValueError as error:
            raise typer.BadParameter(str(error), param_hint="--env") from None
    settings = load_settings(environment=forced)
    other_env = settings.environment.other
    other = endpoints_for(other_env) if other_env is not None else None
    result = diagnose(settings, other=other, timeout=timeout, warn_days=warn_days)
    if json_output:
        print_json(result.as_dict())
    else:
        out.print(
            f"chorusflow doctor — {result.environment.value} ({result.api_url})", markup=False
        )
        for check in result.checks:
            out.print(
                f"  {_MARKS[check.status.value]}  {check.name}: {check.message}", markup=False
            )
            if check.fix and check.status.value in ("fail", "warn", "info"):
                out.print(f"        fix: {check.fix}", markup=False)
        out.print("All checks passed." if result.ok else "Some checks failed.", markup=False)
    return EXIT_OK if result.ok else EXIT_INVALID


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
