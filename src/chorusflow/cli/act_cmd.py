"""`chorusflow act recycle|complete|reissue ID`: answer an invoice Chorus Pro handed back.

Exit status: 0 done (the worker follows the invoice again); 1 the invoice is not in the state
the action is for, or Chorus Pro refused the action (its fix is printed), nothing changed;
2 bad usage (unknown id, unreadable attachment, no correction given).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from chorusflow.chorus import Settings
from chorusflow.cli.outbox_common import DbOption, client, context, open_store
from chorusflow.cli.outbox_view import row_json, show
from chorusflow.cli.output import out, print_json
from chorusflow.errors import EXIT_INVALID, EXIT_OK
from chorusflow.outbox import Clients, SendOptions, State, Store, one_account
from chorusflow.outbox.actions import (
    RoutingChange,
    complete,
    read_attachment,
    recycle,
    reissue,
)

act_app = typer.Typer(
    help="Act on an invoice Chorus Pro handed back: recycle (A_RECYCLER), complete "
    "(SUSPENDUE), re-issue under a new number (REJETEE).",
    no_args_is_help=True,
)

IdArgument = Annotated[int, typer.Argument(metavar="ID", help="The invoice's # in `status`.")]
BuyerOption = Annotated[
    str | None, typer.Option("--buyer", help="Corrected recipient SIRET (14 digits).")
]
ServiceOption = Annotated[str | None, typer.Option("--service", help="Corrected service code.")]
EngagementOption = Annotated[
    str | None, typer.Option("--engagement", help="Corrected engagement (purchase order) number.")
]
ContractOption = Annotated[
    str | None, typer.Option("--contract", help="Corrected contract number.")
]
CommentOption = Annotated[
    str | None, typer.Option("--comment", help="A comment for the buyer (kept by Chorus Pro).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the invoice as JSON.")]


@contextmanager
def _acting(db: str | None) -> Iterator[tuple[Store, Clients, Settings]]:
    """The outbox and a connection to Chorus Pro, for one action."""
    settings = context(required=True).settings
    assert settings is not None
    store = open_store(db, settings)
    try:
        with client(settings) as connection:
            yield store, one_account(connection), settings
    finally:
        store.close()


def _show(store: Store, ids: list[int], as_json: bool) -> None:
    records = store.invoices(ids=ids)
    if as_json:
        print_json([row_json(r) for r in records])
    else:
        show(out, records)


@act_app.command("recycle")
def recycle_cmd(
    invoice_id: IdArgument,
    buyer: BuyerOption = None,
    service: ServiceOption = None,
    engagement: EngagementOption = None,
    contract: ContractOption = None,
    comment: CommentOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> int:
    """Recycle an A_RECYCLER invoice with corrected routing; Chorus Pro restarts it at
    DEPOSEE and the worker follows it again.

    Example: chorusflow act recycle 12 --buyer 21380185500015 --service FACTURES_PUBLIQUES
    """
    change = RoutingChange(buyer, service, engagement, contract)
    with _acting(db) as (store, clients, _):
        recycle(store, clients, invoice_id, change, comment)
        _show(store, [invoice_id], as_json)
    return EXIT_OK


@act_app.command("complete")
def complete_cmd(
    invoice_id: IdArgument,
    attach: Annotated[
        list[Path] | None,
        typer.Option("--attach", help="A file to add (repeat for several; 10 MB each)."),
    ] = None,
    comment: CommentOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> int:
    """Complete a SUSPENDUE invoice with attachments and a comment; it becomes COMPLETEE and
    the worker follows it again.

    Example: chorusflow act complete 12 --attach bon-livraison.pdf --comment "BL joint"
    """
    attachments = [read_attachment(path) for path in attach or []]
    with _acting(db) as (store, clients, _):
        complete(store, clients, invoice_id, attachments, comment)
        _show(store, [invoice_id], as_json)
    return EXIT_OK


@act_app.command("reissue")
def reissue_cmd(
    invoice_id: IdArgument,
    number: Annotated[str, typer.Option("--number", help="The new invoice number (BT-1).")],
    buyer: BuyerOption = None,
    service: ServiceOption = None,
    engagement: EngagementOption = None,
    contract: ContractOption = None,
    hold: Annotated[
        bool, typer.Option("--confirm", help="Queue it held, until `chorusflow confirm`.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> int:
    """Re-issue a REJETEE invoice under a new number: the same content (optionally with
    corrected routing), checked and queued like any other, linked to the one it replaces;
    the rejection is acknowledged on Chorus Pro.

    Example: chorusflow act reissue 12 --number F-2026-0042-B --service FACTURES_PUBLIQUES
    """
    change = RoutingChange(buyer, service, engagement, contract)
    with _acting(db) as (store, clients, settings):
        options = SendOptions(hold=hold, environment=settings.environment)
        done = reissue(store, clients, invoice_id, number, change, options)
        _show(store, [done.replaces, done.queued.invoice_id], as_json)
    return EXIT_INVALID if done.queued.state is State.INVALID else EXIT_OK


def register(app: typer.Typer) -> None:
    app.add_typer(act_app, name="act")
