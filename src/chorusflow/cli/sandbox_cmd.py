"""`chorusflow sandbox`: a local Chorus Pro that speaks the real API, and its data set."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

import httpx
import typer
from platformdirs import user_data_dir

from chorusflow.cli.output import out, print_json
from chorusflow.errors import ChorusflowError, InputError

sandbox_app = typer.Typer(
    help="A local Chorus Pro (PISTE OAuth2 + the Chorus Pro API) for tests and demos.",
    no_args_is_help=True,
)

DEFAULT_PORT = 8340


def default_db() -> Path:
    return Path(user_data_dir("chorusflow")) / "sandbox.db"


def _shares(text: str | None) -> dict[str, float]:
    """``a_recycler=0.1,suspendue=0.1,rejetee=0.05`` → shares of the buyer policy."""
    if not text:
        return {}
    names = {
        "a_recycler": "share_a_recycler",
        "suspendue": "share_suspendue",
        "rejetee": "share_rejetee",
    }
    shares: dict[str, float] = {}
    for part in text.split(","):
        key, _, value = part.strip().partition("=")
        try:
            share = float(value)
        except ValueError:
            share = -1.0
        if key.lower() not in names or not 0 <= share <= 1:
            raise InputError(
                f"The buyer share '{part.strip()}' is not understood.",
                "Write e.g. --shares a_recycler=0.1,suspendue=0.1,rejetee=0.05.",
            )
        shares[names[key.lower()]] = share
    if sum(shares.values()) > 1:
        raise InputError("The buyer shares add up to more than 1.")
    return shares


def _check_port(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise InputError(
                f"Cannot listen on {host}:{port}: {exc.strerror or exc}.",
                "Choose another port with --port, or stop what uses it.",
            ) from None


@sandbox_app.command("serve")
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = DEFAULT_PORT,
    db: Annotated[Path | None, typer.Option(help="SQLite database (kept across restarts).")] = None,
    faults: Annotated[
        str | None, typer.Option(help="Faults, e.g. 'latency=0.05,5xx=0.1,429=0.05,drop=0.05'.")
    ] = None,
    flow_delay: Annotated[
        float, typer.Option(help="Seconds a flow waits before it is processed.")
    ] = 2.0,
    step_delay: Annotated[
        float, typer.Option(help="Seconds between routing and payment steps.")
    ] = 1.0,
    decision_delay: Annotated[float, typer.Option(help="Seconds a buyer takes to decide.")] = 2.0,
    shares: Annotated[
        str | None,
        typer.Option(help="Buyer outcomes, e.g. 'a_recycler=0.1,suspendue=0.1,rejetee=0.05'."),
    ] = None,
    manual_buyer: Annotated[
        bool, typer.Option(help="Leave invoices to the buyer side of the API.")
    ] = False,
    seed: Annotated[int, typer.Option(help="Seed of the buyer's draws (reproducible runs).")] = 0,
    en16931: Annotated[
        str,
        typer.Option(
            help="EN 16931 check after the XSD: 'native' (as `validate`), 'official' "
            "(the official schematron) or 'xsd' (none)."
        ),
    ] = "native",
    token_lifetime: Annotated[
        int, typer.Option(help="Seconds a PISTE token lives (expires_in).")
    ] = 3600,
    base64_line_breaks: Annotated[
        bool, typer.Option(help="Accept base64 files with line breaks (the platform does not).")
    ] = False,
    business_status: Annotated[
        int, typer.Option(help="HTTP status of functional errors: 200 or 400.")
    ] = 200,
) -> None:
    """Serve a local Chorus Pro until interrupted; OpenAPI at /docs.

    Example: chorusflow sandbox serve --port 8340 --faults "5xx=0.05,429=0.05"
    then, in another terminal: chorusflow sandbox dataset --url http://127.0.0.1:8340 --json
    """
    from chorusflow.sandbox.checks import EN16931_MODES
    from chorusflow.sandbox.faults import FaultPlan
    from chorusflow.sandbox.server import serve as run
    from chorusflow.sandbox.settings import BuyerPolicy, SandboxSettings

    if en16931 not in EN16931_MODES:
        raise InputError(f"--en16931 must be one of {', '.join(EN16931_MODES)}, not '{en16931}'.")
    if business_status not in (200, 400):
        raise InputError("--business-status must be 200 or 400.")
    plan = FaultPlan.parse(faults)
    policy = BuyerPolicy(
        automatic=not manual_buyer,
        seed=seed,
        routing_delay=step_delay,
        payment_delay=step_delay,
        decision_delay=decision_delay,
        **_shares(shares),
    )
    if token_lifetime < 1:
        raise InputError("--token-lifetime must be at least 1 second.")
    settings = SandboxSettings(
        flow_delay=flow_delay,
        policy=policy,
        en16931=en16931,
        business_error_status=business_status,
        token_lifetime=token_lifetime,
        accept_base64_line_breaks=base64_line_breaks,
    )
    path = db or default_db()
    _check_port(host, port)
    url = f"http://{host}:{port}"
    out.print(f"Chorus Pro sandbox on {url} (OpenAPI at {url}/docs), database {path}")
    out.print(f"  token URL {url}/api/oauth/token, API URL {url}")
    out.print(f"  create the data set with: chorusflow sandbox dataset --url {url}")
    if plan.describe() != FaultPlan().describe():
        out.print(f"  faults: {faults}")
    run(path, settings, plan, host, port)


@sandbox_app.command("dataset")
def dataset(
    url: Annotated[
        str | None, typer.Option(help="URL of a running sandbox, e.g. http://127.0.0.1:8340.")
    ] = None,
    db: Annotated[
        Path | None, typer.Option(help="Work on this database file directly (no server).")
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the data set as JSON.")
    ] = False,
) -> None:
    """Create the test data set ("matelas de données") at once, or show the existing one.

    Example: chorusflow sandbox dataset --url http://127.0.0.1:8340 --json > dataset.json
    """
    if url is None and db is None:
        raise InputError("Say which sandbox: --url http://HOST:PORT or --db PATH.")
    if db is not None:
        from chorusflow.sandbox import dataset as matelas
        from chorusflow.sandbox.store import Store

        base = (url or f"http://127.0.0.1:{DEFAULT_PORT}").rstrip("/")
        store = Store(db)
        try:
            created = matelas.ensure(store)
            data = {"created": created, **matelas.describe(store, base + "/api/oauth/token", base)}
        finally:
            store.close()
    else:
        assert url is not None
        base = url.rstrip("/")
        try:
            answer = httpx.post(base + "/admin/dataset", timeout=30)
        except httpx.HTTPError as exc:
            raise ChorusflowError(
                f"No sandbox answers at {base} ({type(exc).__name__}).",
                "Start one with `chorusflow sandbox serve` or check the URL.",
            ) from None
        if answer.status_code != 200:
            raise ChorusflowError(
                f"The server at {base} is not a chorusflow sandbox (HTTP {answer.status_code})."
            )
        data = answer.json()
    if json_output:
        print_json(data)
        return
    _summary(data)


def _summary(data: dict[str, object]) -> None:
    from rich.table import Table

    out.print(f"token URL {data['token_url']}  API URL {data['api_url']}")
    apps = Table("PISTE application", "client_id", "APIs", "connected structures")
    for app in data["applications"]:  # type: ignore[attr-defined]
        connected = len(app.get("connected_sirets", []))
        apps.add_row(app["name"], app["client_id"], " ".join(app["apis"]), str(connected or "none"))
    out.print(apps)
    parties = Table("role")
    parties.add_column("SIRET", no_wrap=True, min_width=14)
    parties.add_column("id", no_wrap=True)
    for title in ("name", "technical account", "demands"):
        parties.add_column(title)
    for supplier in data["suppliers"]:  # type: ignore[attr-defined]
        parties.add_row(
            "supplier",
            supplier["siret"],
            str(supplier["id_structure"]),
            supplier["designation"],
            supplier["technical_account"]["login"],
            "",
        )
    for buyer in data["buyers"]:  # type: ignore[attr-defined]
        demands = [
            name
            for name, on in (
                ("service", buyer["requires_service_code"]),
                ("engagement", buyer["requires_engagement"]),
                ("service or engagement", buyer["service_or_engagement"]),
                ("INACTIVE", not buyer["active"]),
            )
            if on
        ]
        parties.add_row(
            "buyer",
            buyer["siret"],
            str(buyer["id_structure"]),
            buyer["designation"],
            buyer["technical_account"]["login"],
            ", ".join(demands) or "none",
        )
    out.print(parties)
    out.print(
        f"{len(data['engagements'])} engagements juridiques, "  # type: ignore[arg-type]
        f"{len(data['invoices'])} existing invoices; passwords and secrets: --json"  # type: ignore[arg-type]
    )


def register(app: typer.Typer) -> None:
    app.add_typer(sandbox_app, name="sandbox")
