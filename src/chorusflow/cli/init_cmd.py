"""`chorusflow init`: write the configuration and store the secrets, by questions or flags."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from chorusflow.cli.output import out
from chorusflow.errors import EXIT_UNREADABLE, ChorusflowError


class UsageError(ChorusflowError):
    exit_code = EXIT_UNREADABLE


def _pairs(values: list[str], option: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for value in values:
        real, sep, test = value.partition("=")
        if not sep or not real.strip() or not test.strip():
            raise UsageError(f"{option} takes REAL=TEST, not '{value}'.", f"E.g. {option} A=B.")
        pairs[real.strip()] = test.strip()
    return pairs


def init(
    env: Annotated[
        str | None,
        typer.Option("--env", help="sandbox, qualification or production (asked if not given)."),
    ] = None,
    client_id: Annotated[
        str | None, typer.Option("--client-id", help="PISTE application client id.")
    ] = None,
    client_secret: Annotated[
        str | None,
        typer.Option(
            "--client-secret",
            help="PISTE client secret (prefer CHORUSFLOW_CLIENT_SECRET or the prompt: a flag "
            "shows in the process list).",
        ),
    ] = None,
    login: Annotated[
        str | None, typer.Option("--login", help="Chorus Pro technical account login.")
    ] = None,
    password: Annotated[
        str | None,
        typer.Option(
            "--password",
            help="Technical account password (prefer CHORUSFLOW_PASSWORD or the prompt).",
        ),
    ] = None,
    token_url: Annotated[
        str | None, typer.Option("--token-url", help="Override the PISTE token URL.")
    ] = None,
    api_url: Annotated[
        str | None, typer.Option("--api-url", help="Override the API base URL.")
    ] = None,
    proxy: Annotated[str | None, typer.Option("--proxy", help="HTTP(S) proxy URL.")] = None,
    ca_bundle: Annotated[
        Path | None, typer.Option("--ca-bundle", help="PEM file of CAs to trust.")
    ] = None,
    client_cert: Annotated[
        Path | None, typer.Option("--client-cert", help="PEM client certificate.")
    ] = None,
    client_key: Annotated[
        Path | None, typer.Option("--client-key", help="PEM key of the client certificate.")
    ] = None,
    connect_timeout: Annotated[
        float | None, typer.Option("--connect-timeout", help="Seconds to connect.")
    ] = None,
    read_timeout: Annotated[
        float | None, typer.Option("--read-timeout", help="Seconds to wait for an answer.")
    ] = None,
    database: Annotated[str | None, typer.Option("--database", help="Outbox database URL.")] = None,
    secrets: Annotated[
        str | None,
        typer.Option("--secrets", help="Where secrets rest: auto (default), keyring or file."),
    ] = None,
    rehearse_siret: Annotated[
        list[str] | None,
        typer.Option("--rehearse-siret", help="REAL=TEST SIRET swap (sandbox/qualification)."),
    ] = None,
    rehearse_service: Annotated[
        list[str] | None,
        typer.Option("--rehearse-service", help="REAL=TEST service code swap."),
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask: fail on a missing value instead.")
    ] = False,
) -> None:
    """Configure the connection to Chorus Pro (PISTE application + technical account).

    Example: chorusflow init --env qualification --client-id ID --login TECH_1_...@cpro.fr
    (the secrets are asked, or read from CHORUSFLOW_CLIENT_SECRET and CHORUSFLOW_PASSWORD).
    """
    from chorusflow.chorus import config as cfg
    from chorusflow.chorus._transport import Timeouts
    from chorusflow.chorus.credentials import Secret
    from chorusflow.chorus.environments import DEFAULTS, Environment, parse_environment
    from chorusflow.chorus.rehearsal import Rehearsal
    from chorusflow.chorus.vault import choose_store, open_store

    interactive = not no_input and sys.stdin.isatty()
    directory = cfg.config_dir()
    current = cfg.read_config(directory) or cfg.ConfigFile()

    def ask(label: str, default: str | None, hidden: bool = False) -> str | None:
        if not interactive:
            return default
        answer: str = typer.prompt(
            label, default=default or "", hide_input=hidden, show_default=not hidden
        )
        return answer.strip() or default

    chosen = env or ask(
        "Environment (sandbox, qualification, production)",
        current.environment.value if current.environment else "qualification",
    )
    if not chosen:
        raise UsageError("No environment given.", "Pass --env sandbox|qualification|production.")
    try:
        environment = parse_environment(chosen)
    except ValueError as error:
        raise UsageError(f"{error}.", "Pass --env sandbox|qualification|production.") from None
    profile = current.profile(environment)
    defaults = DEFAULTS[environment]
    if environment is Environment.SANDBOX and interactive and not (token_url or api_url):
        base = ask("Sandbox URL", profile.api_url or defaults.api_url)
        if base:
            api_url, token_url = base.rstrip("/"), base.rstrip("/") + "/api/oauth/token"
    environ = os.environ
    client_id = client_id or environ.get("CHORUSFLOW_CLIENT_ID") or None
    login = login or environ.get("CHORUSFLOW_LOGIN") or None
    client_id = client_id or ask("PISTE client id", profile.client_id)
    kind = secrets or current.secrets or "auto"
    store = (
        open_store(current.secrets, directory)
        if current.secrets and not secrets
        else choose_store(kind, directory)
    )
    stored_secret = store.get(cfg.secret_name(environment, cfg.CLIENT_SECRET))
    secret_text = client_secret or environ.get("CHORUSFLOW_CLIENT_SECRET") or None
    if secret_text is None and interactive:
        secret_text = ask(
            "PISTE client secret" + (" (empty: keep the stored one)" if stored_secret else ""),
            None,
            hidden=True,
        )
    login = login or ask("Technical account login", profile.login)
    stored_password = store.get(cfg.secret_name(environment, cfg.PASSWORD))
    password_text = password or environ.get("CHORUSFLOW_PASSWORD") or None
    if password_text is None and interactive:
        password_text = ask(
            "Technical account password"
            + (" (empty: keep the stored one)" if stored_password else ""),
            None,
            hidden=True,
        )
    missing = [
        flag
        for flag, value in (
            ("--client-id", client_id),
            ("--client-secret", secret_text or stored_secret),
            ("--login", login),
            ("--password", password_text or stored_password),
        )
        if not value
    ]
    if missing:
        raise UsageError(
            f"chorusflow init needs {', '.join(missing)} for {environment.value}.",
            "Pass them as flags, set CHORUSFLOW_CLIENT_SECRET / CHORUSFLOW_PASSWORD, or run "
            "it in a terminal to be asked.",
        )
    sirets = {**profile.rehearsal.sirets, **_pairs(rehearse_siret or [], "--rehearse-siret")}
    services = {
        **profile.rehearsal.services,
        **_pairs(rehearse_service or [], "--rehearse-service"),
    }
    rehearsal = Rehearsal(sirets, services)
    rehearsal.check()
    if rehearsal and not environment.rehearsal_allowed:
        raise UsageError(
            "A rehearsal mapping cannot be set for production: invoices would reach real "
            "buyers with swapped identifiers.",
            "Set it for sandbox or qualification only.",
        )
    new_profile = replace(
        profile,
        client_id=client_id,
        login=login,
        token_url=token_url or profile.token_url,
        api_url=api_url or profile.api_url,
        rehearsal=rehearsal,
    )
    timeouts = current.http.timeouts
    http = replace(
        current.http,
        timeouts=Timeouts(
            connect=connect_timeout or timeouts.connect,
            read=read_timeout or timeouts.read,
            write=timeouts.write,
            pool=timeouts.pool,
        ),
        proxy=proxy or current.http.proxy,
        ca_bundle=ca_bundle or current.http.ca_bundle,
        client_cert=client_cert or current.http.client_cert,
        client_key=client_key or current.http.client_key,
    )
    for label, path in (
        ("--ca-bundle", ca_bundle),
        ("--client-cert", client_cert),
        ("--client-key", client_key),
    ):
        if path is not None and not path.is_file():
            raise UsageError(f"{label} {path}: no such file.", "Give the path of a PEM file.")
    if secret_text:
        store.set(cfg.secret_name(environment, cfg.CLIENT_SECRET), Secret(secret_text))
    if password_text:
        store.set(cfg.secret_name(environment, cfg.PASSWORD), Secret(password_text))
    written = cfg.write_config(
        directory,
        replace(
            current.with_profile(environment, new_profile),
            environment=environment,
            secrets=store.kind,
            database=database or current.database,
            http=http,
        ),
    )
    where = (
        "the OS keyring"
        if store.kind == "keyring"
        else f"{directory / 'secrets.json'} (encrypted, 0600)"
    )
    out.print(
        f"Configuration written to {written} (environment {environment.value}).", markup=False
    )
    out.print(f"Secrets stored in {where}.", markup=False)
    out.print("Next: chorusflow doctor", markup=False)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
