"""`chorusflow worker`: deliver and follow invoices until stopped (SIGTERM, Ctrl-C)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import typer

from chorusflow.cli.hook_options import (
    HOOK_DRAIN,
    HookCommandOption,
    HookUrlOption,
    hooks_delivered,
)
from chorusflow.cli.outbox_common import DbOption, client, context, open_store, stop_on_signals
from chorusflow.cli.outbox_view import settling
from chorusflow.cli.output import err
from chorusflow.cli.progress import following, shown
from chorusflow.errors import EXIT_OK, InputError
from chorusflow.outbox import one_account, run_workers, shown_url


def worker(
    db: DbOption = None,
    until_idle: Annotated[
        bool, typer.Option("--until-idle", help="Stop when every invoice is final or needs you.")
    ] = False,
    once: Annotated[
        bool, typer.Option("--once", help="Do what is due now, once, and stop.")
    ] = False,
    poll: Annotated[
        float | None,
        typer.Option("--poll", help="Seconds to sleep when nothing is due (default 1)."),
    ] = None,
    concurrency: Annotated[
        int, typer.Option("--concurrency", help="Workers in this process (threads).")
    ] = 1,
    hook_command: HookCommandOption = None,
    hook_url: HookUrlOption = None,
) -> int:
    """Deliver queued invoices to Chorus Pro and follow them; as many as you like may run on
    one database (PostgreSQL to spread them over machines). SIGTERM or Ctrl-C finish the
    current step and exit 0.

    Example: chorusflow worker --db postgresql://chorusflow@db/outbox --concurrency 4
    """
    if concurrency < 1:
        raise InputError("--concurrency must be at least 1.", "Give a positive number.")
    if poll is not None and poll <= 0:
        raise InputError("--poll must be a positive number of seconds.", "Give e.g. --poll 1.")
    ctx = context(required=True)
    assert ctx.settings is not None
    options = ctx.outbox.worker
    if poll is not None:
        options = replace(options, idle_poll=poll)
    store = open_store(db, ctx.settings)
    try:
        with (
            client(ctx.settings) as connection,
            stop_on_signals() as stop,
            hooks_delivered(store, hook_command, hook_url, stop, drain=HOOK_DRAIN),
            following("delivering", settling(store), enabled=shown(False)),
        ):
            where = f"{shown_url(str(store.engine.url))} → {ctx.settings.api_url}"
            err.print(f"worker on {where}", markup=False)  # after the handlers are in place
            run_workers(
                store,
                one_account(connection),
                options,
                concurrency=concurrency,
                until_idle=until_idle,
                once=once,
                stop=stop,
            )
    finally:
        store.close()
    return EXIT_OK


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
