"""What send, confirm, status and worker share: the database, the settings, the connection."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

import typer

from chorusflow.chorus import ChorusClient, Settings, config_dir, load_settings
from chorusflow.outbox import Store, database_url, default_database_url
from chorusflow.outbox.config import OutboxSettings, load_outbox_settings
from chorusflow.outbox.hook_config import load_hook_settings
from chorusflow.outbox.hooks import install

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="The outbox database: a URL (sqlite:///PATH, postgresql://USER@HOST/DB) or a "
        "file path. Default: CHORUSFLOW_DB, the configuration's database, or outbox.db in the "
        "user data directory.",
    ),
]


@dataclass(frozen=True, slots=True)
class Context:
    settings: Settings | None
    outbox: OutboxSettings


def context(*, required: bool) -> Context:
    """The configuration in force; without one, only what needs no connection works."""
    from chorusflow.chorus import ConfigurationError

    outbox = load_outbox_settings(config_dir())
    try:
        return Context(load_settings(), outbox)
    except ConfigurationError:
        if required:
            raise
        return Context(None, outbox)


def open_store(db: str | None, settings: Settings | None) -> Store:
    """The outbox, recording the deliveries of the configuration's [hooks] with each move."""
    if db:
        store = Store.open(database_url(db))
    elif settings is not None and settings.database_url:
        store = Store.open(database_url(settings.database_url))
    else:
        store = Store.open(default_database_url())
    install(store, load_hook_settings(config_dir()))
    return store


def client(settings: Settings) -> ChorusClient:
    return ChorusClient.from_settings(settings)


@contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """SIGTERM and SIGINT set the event: the current step ends, then the worker exits."""
    stop = threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, lambda _s, _f: stop.set())
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
