"""`chorusflow status`: one row per invoice of the outbox, and what to do about it."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.live import Live

from chorusflow.cli.outbox_common import DbOption, context, open_store
from chorusflow.cli.outbox_view import row_json, show, table
from chorusflow.cli.output import out, print_json
from chorusflow.errors import EXIT_OK, InputError
from chorusflow.outbox import State


def status(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the invoices as JSON.")] = False,
    watch: Annotated[
        bool, typer.Option("--watch", help="Refresh every 2 s until interrupted.")
    ] = False,
    state: Annotated[
        str | None,
        typer.Option("--state", help="Only invoices in this state (e.g. rejected, needs_user)."),
    ] = None,
) -> int:
    """Show every invoice of the outbox: state, Chorus Pro status, flow, id, error and fix.

    Example: chorusflow status --state rejected
    """
    wanted = None
    if state is not None:
        try:
            wanted = frozenset({State(state.strip().lower())})
        except ValueError:
            names = ", ".join(s.value for s in State)
            raise InputError(f"Unknown state '{state}'.", f"Use one of: {names}.") from None
    ctx = context(required=False)
    store = open_store(db, ctx.settings)
    try:
        if watch and out.is_terminal and not as_json:
            with Live(
                table(store.invoices(states=wanted)), console=out, auto_refresh=False
            ) as live:
                while True:
                    time.sleep(2)
                    live.update(table(store.invoices(states=wanted)), refresh=True)
        records = store.invoices(states=wanted)
    finally:
        store.close()
    if as_json:
        print_json([row_json(r) for r in records])
    else:
        show(out, records)
    return EXIT_OK


def register(app: typer.Typer) -> None:
    app.command("status")(status)
