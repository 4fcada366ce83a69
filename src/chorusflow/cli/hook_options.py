"""The --hook-command / --hook-url flags of `worker` and `send --wait`, and their deliverer."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from chorusflow.chorus import config_dir
from chorusflow.outbox import Store
from chorusflow.outbox.hook_config import flag_hooks, load_hook_settings
from chorusflow.outbox.hooks import delivering, install

#: Seconds `worker --until-idle` / `--once` and `send --wait` go on delivering hooks that
#: fall due once the invoices are settled.
HOOK_DRAIN = 30.0

HookCommandOption = Annotated[
    list[str] | None,
    typer.Option(
        "--hook-command",
        help="Run this command on each status change (the invoice's JSON on stdin); repeatable.",
    ),
]
HookUrlOption = Annotated[
    list[str] | None,
    typer.Option(
        "--hook-url",
        help="POST the invoice's JSON to this URL on each status change (signed with "
        "CHORUSFLOW_HOOK_SECRET or [hooks] secret); repeatable.",
    ),
]


@contextmanager
def hooks_delivered(
    store: Store,
    commands: list[str] | None,
    urls: list[str] | None,
    stop: threading.Event,
    *,
    drain: float = 0.0,
) -> Iterator[None]:
    """Record the flags' hooks with each move and deliver every pending hook meanwhile."""
    settings = load_hook_settings(config_dir())
    extra = flag_hooks(commands, urls)
    install(store, settings.with_hooks(extra))
    with delivering(store, settings, stop, drain=drain):
        yield
