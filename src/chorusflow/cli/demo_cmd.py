"""`chorusflow demo`: the main job on one machine, end to end, in well under a minute.

It starts the sandbox (a local Chorus Pro) on a free port with a temporary database and short
delays, creates its data set, writes a configuration for it, sends the bundled examples
(converted to Factur-X, UBL and CII in turn) through the outbox, follows every invoice to
payment or to the point where the supplier must act, prints the table and says where to look.
"""

from __future__ import annotations

import tempfile
import time
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import httpx
import typer

from chorusflow.chorus import ChorusClient, Credentials, HttpOptions, Secret
from chorusflow.chorus.config import ConfigFile, Profile, secret_name, write_config
from chorusflow.chorus.environments import Environment
from chorusflow.chorus.vault import FileStore
from chorusflow.cli.outbox_view import row_json, show
from chorusflow.cli.output import err, out, print_json
from chorusflow.errors import EXIT_INVALID, EXIT_OK, ChorusflowError
from chorusflow.formats.profiles import Syntax
from chorusflow.outbox import (
    Packing,
    SendOptions,
    State,
    Store,
    Worker,
    WorkerOptions,
    enqueue,
)

if TYPE_CHECKING:  # the sandbox is imported when the demo runs: every command starts faster
    from chorusflow.sandbox.server import RunningSandbox
    from chorusflow.sandbox.settings import BuyerPolicy

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def demo_policy() -> BuyerPolicy:
    """The buyer sends some invoices back, suspends or rejects some, so the table shows them."""
    from chorusflow.sandbox.settings import FAST

    return replace(
        FAST.policy, share_a_recycler=0.1, share_suspendue=0.1, share_rejetee=0.1, seed=4
    )


#: Delays of a sandbox processing flows in 50 ms.
DEMO_WORKER = WorkerOptions(
    packing=Packing(max_invoices=10),
    lease=10.0,
    settle_delay=1.0,
    rate=None,
    backoff_base=0.05,
    backoff_cap=0.5,
    flow_poll=0.05,
    flow_poll_cap=0.3,
    lifecycle_poll=0.05,
    lifecycle_poll_cap=0.3,
    idle_poll=0.03,
)
SYNTAXES = (Syntax.FACTURX, Syntax.UBL, Syntax.CII)
TIME_LIMIT = 50.0


def _dataset(sandbox: RunningSandbox) -> dict[str, Any]:
    answer = httpx.post(sandbox.url + "/admin/dataset", timeout=30)
    answer.raise_for_status()
    data: dict[str, Any] = answer.json()
    return data


def _accounts(data: dict[str, Any], stack: ExitStack) -> dict[str, ChorusClient]:
    app = next(a for a in data["applications"] if "factures" in a["apis"])
    clients = {}
    for supplier in data["suppliers"]:
        tech = supplier["technical_account"]
        credentials = Credentials(
            app["client_id"], Secret(app["client_secret"]), tech["login"], Secret(tech["password"])
        )
        clients[supplier["siret"]] = stack.enter_context(
            ChorusClient(
                token_url=data["token_url"],
                api_url=data["api_url"],
                credentials=credentials,
                http=HttpOptions(trust_env=False),
                environment=Environment.SANDBOX,
            )
        )
    return clients


def _configure(directory: Path, data: dict[str, Any], db_url: str) -> None:
    """A configuration for the first supplier's account, so `status` and `worker` work after."""
    app = next(a for a in data["applications"] if "factures" in a["apis"])
    supplier = data["suppliers"][0]
    profile = Profile(
        client_id=app["client_id"],
        login=supplier["technical_account"]["login"],
        token_url=data["token_url"],
        api_url=data["api_url"],
    )
    config = ConfigFile(environment=Environment.SANDBOX, secrets="file", database=db_url)
    write_config(directory, config.with_profile(Environment.SANDBOX, profile))
    secrets = FileStore(directory)
    secrets.set(secret_name(Environment.SANDBOX, "client_secret"), Secret(app["client_secret"]))
    secrets.set(
        secret_name(Environment.SANDBOX, "password"),
        Secret(supplier["technical_account"]["password"]),
    )


def demo(
    keep: Annotated[
        Path | None,
        typer.Option(
            "--keep",
            help="Keep the sandbox database, the outbox and the configuration in this directory.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the invoices as JSON.")] = False,
) -> int:
    """Run the whole job on this machine: a local Chorus Pro, the examples sent, followed.

    Example: chorusflow demo --keep demo-run
    """
    examples = sorted(EXAMPLES.glob("*.json"))
    if not examples:
        raise ChorusflowError(f"No examples found in {EXAMPLES}.", "Run the demo from a clone.")
    started = time.monotonic()
    with ExitStack() as stack:
        if keep is None:
            directory = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="chorusflow-demo-"))
            )
        else:
            directory = keep.resolve()
            directory.mkdir(parents=True, exist_ok=True)

        def say(text: str) -> None:
            if not as_json:
                err.print(text, markup=False)

        from chorusflow.sandbox.server import start
        from chorusflow.sandbox.settings import FAST

        sandbox = start(directory / "sandbox.db", FAST.with_(policy=demo_policy()))
        stack.callback(sandbox.stop)
        say(f"sandbox (a local Chorus Pro) on {sandbox.url}")
        data = _dataset(sandbox)
        db_url = f"sqlite:///{directory / 'outbox.db'}"
        _configure(directory, data, db_url)
        clients = _accounts(data, stack)
        store = Store.open(db_url)
        stack.callback(store.close)
        ids = []
        for rank, path in enumerate(examples):
            syntax = SYNTAXES[rank % len(SYNTAXES)]
            options = SendOptions(syntax=syntax, environment=Environment.SANDBOX)
            for item in enqueue(store, [path], options):
                ids.append(item.invoice_id)
                say(f"queued {path.name} as {syntax.value}: {item.state.value}")
        say("delivering and following (flows, then each invoice's lifecycle) ...")
        worker = Worker(store, lambda siret: clients[siret], DEMO_WORKER, only=ids)
        deadline = time.monotonic() + TIME_LIMIT
        while time.monotonic() < deadline and worker.pending():
            if not worker.step():
                time.sleep(DEMO_WORKER.idle_poll)
        records = store.invoices(ids=ids)
        if as_json:
            print_json([row_json(r) for r in records])
        else:
            show(out, records)
            elapsed = time.monotonic() - started
            out.print(f"\ndone in {elapsed:.1f} s.", markup=False)
            if keep is not None:
                out.print(
                    f"Look next: CHORUSFLOW_CONFIG_DIR={directory} chorusflow status\n"
                    f"  (the outbox {directory / 'outbox.db'}; each row's history is in its "
                    "transitions table)\n"
                    f"  chorusflow sandbox serve --db {directory / 'sandbox.db'}   # the sandbox "
                    "again, with its invoices",
                    markup=False,
                )
            else:
                out.print(
                    "Look next: `chorusflow demo --keep DIR` keeps the outbox, the sandbox and "
                    "the configuration; docs/outbox.md explains each state; `chorusflow send "
                    "--help` sends your own invoices.",
                    markup=False,
                )
    invalid = any(r.state is State.INVALID for r in records)
    return EXIT_INVALID if invalid else EXIT_OK


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


__all__ = ["demo", "demo_policy", "register"]
