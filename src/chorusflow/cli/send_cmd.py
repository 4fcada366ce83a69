"""`chorusflow send FILE...` and `chorusflow confirm`: check invoices, queue them, deliver.

Every file is read and checked before anything is queued: a file that cannot be read stops
the command (exit 2) with nothing written; an invoice that fails the checks is recorded
``invalid`` and never leaves the machine (exit 1).
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer

from chorusflow.cli.buyers_option import DirectoryOption, OfflineOption, buyers_directory
from chorusflow.cli.hook_options import (
    HOOK_DRAIN,
    HookCommandOption,
    HookUrlOption,
    hooks_delivered,
)
from chorusflow.cli.outbox_common import DbOption, client, context, open_store, stop_on_signals
from chorusflow.cli.outbox_view import MAX_ROWS, row_json, settling, show
from chorusflow.cli.output import err, out, print_json
from chorusflow.cli.progress import counting, following, shown
from chorusflow.errors import EXIT_INVALID, EXIT_OK
from chorusflow.outbox import FAILED, SendOptions, State, confirm, enqueue, one_account, run_workers
from chorusflow.outbox.buyers import QueueingDirectory
from chorusflow.outbox.config import parse_syntax
from chorusflow.outbox.enqueue import Queued


def _findings(item: Queued) -> None:
    for finding in (f for f in item.findings if f.fatal):
        where = f" at {finding.location}" if finding.location else ""
        fix = f" Fix: {finding.fix}" if finding.fix else ""
        err.print(f"  {finding.rule}{where}: {finding.message_en}{fix}", markup=False)


def send(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE...", help="JSON, Factur-X, UBL or CII invoices.")
    ],
    wait: Annotated[
        bool,
        typer.Option(
            "--wait",
            help="Deliver now and follow every invoice to its end (or until it needs you).",
        ),
    ] = False,
    hold: Annotated[
        bool,
        typer.Option(
            "--confirm", help="Queue them held: nothing leaves until `chorusflow confirm`."
        ),
    ] = False,
    syntax: Annotated[
        str | None,
        typer.Option(
            "--format", help="Syntax a JSON invoice is sent in: facturx (default), ubl or cii."
        ),
    ] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the invoices as JSON.")] = False,
    hook_command: HookCommandOption = None,
    hook_url: HookUrlOption = None,
    directory: DirectoryOption = None,
    offline: OfflineOption = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            min=1,
            help="Processes that prepare the files (default: the CPU count).",
        ),
    ] = None,
) -> int:
    """Check invoices and queue them for Chorus Pro; with --wait, deliver and follow them.

    The buyers' demands (service code, engagement number) are checked against --directory
    FILE, or Chorus Pro's directory when a connection is configured; if it does not answer,
    the invoices are queued all the same (the flow report will judge those demands).

    Exit status: 0 every invoice queued (or, with --wait, integrated and followed); 1 one is
    invalid, rejected or refused; 2 a file cannot be read (nothing is queued then).

    Example: chorusflow send facture.json avoir.pdf --wait
    """
    ctx = context(required=wait)
    settings = ctx.settings
    store = open_store(db, settings)
    try:
        with ExitStack() as stack:
            buyers = buyers_directory(
                directory, offline=offline or settings is None, stack=stack, settings=settings
            )
            options = SendOptions(
                syntax=parse_syntax(syntax) if syntax else ctx.outbox.syntax,
                hold=hold,
                rehearsal=settings.rehearsal if settings else SendOptions().rehearsal,
                environment=settings.environment if settings else None,
                directory=buyers
                if directory is not None or buyers is None
                else QueueingDirectory(buyers),
            )
            with counting("checking", len(files), enabled=shown(as_json, len(files), 2)) as tick:
                queued = enqueue(store, files, options, jobs=jobs, progress=tick)
        if isinstance(options.directory, QueueingDirectory) and options.directory.failure:
            err.print(
                f"Chorus Pro's directory did not answer ({options.directory.failure.rstrip('.')}): "
                "the buyers' demands were not checked; the flow reports will judge them.",
                markup=False,
            )
        for item in queued:
            if item.state is State.INVALID:
                err.print(f"{item.source}: invalid, not queued for Chorus Pro:", markup=False)
                _findings(item)
        ids = [q.invoice_id for q in queued]
        movable = [q.invoice_id for q in queued if q.state is State.CHECKED]
        if wait and movable and settings is not None:
            with (
                client(settings) as connection,
                stop_on_signals() as stop,
                hooks_delivered(store, hook_command, hook_url, stop, drain=HOOK_DRAIN),
                following("delivering", settling(store, movable), enabled=shown(as_json)),
            ):
                run_workers(
                    store,
                    one_account(connection),
                    ctx.outbox.worker,
                    until_idle=True,
                    stop=stop,
                    only=movable,
                )
        records = store.invoices(ids=ids)
    finally:
        store.close()
    if as_json:
        print_json([row_json(r) for r in records])
    else:
        show(out, records, limit=MAX_ROWS)
    return EXIT_INVALID if any(r.state in FAILED for r in records) else EXIT_OK


def confirm_cmd(
    ids: Annotated[
        list[int] | None,
        typer.Argument(
            metavar="[ID...]", help="Invoices to release (their # in chorusflow status)."
        ),
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Release every held invoice.")] = False,
    db: DbOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the released ids as JSON.")
    ] = False,
) -> int:
    """Release invoices queued with `send --confirm`, so that workers deliver them.

    Example: chorusflow confirm 12 13   or   chorusflow confirm --all
    """
    from chorusflow.errors import InputError

    if not ids and not every:
        raise InputError("Say which invoices to release.", "Give their ids, or --all.")
    ctx = context(required=False)
    store = open_store(db, ctx.settings)
    try:
        released = confirm(store, None if every else ids)
    finally:
        store.close()
    if as_json:
        print_json({"released": released})
    else:
        out.print(f"released {len(released)} invoice(s) to the workers", markup=False)
    return EXIT_OK


def register(app: typer.Typer) -> None:
    app.command("send")(send)
    app.command("confirm")(confirm_cmd)
