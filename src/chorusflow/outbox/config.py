"""The outbox's own settings: the ``[outbox]`` table of ``config.toml``.

::

    [outbox]
    format = "facturx"          # syntax a JSON invoice is sent in: facturx, ubl or cii
    batch_invoices = 50         # 1: one invoice per flow
    batch_bytes = 9000000       # bytes of files per tar.gz flow (Chorus Pro: 10 MB a file)
    settle_delay = 60           # seconds before a search that misses a deposit proves it absent
    lease = 120                 # seconds a worker's claim is held
    rate = 20                   # calls a second to Chorus Pro, all workers together (0: none)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from chorusflow.chorus.config import CONFIG_FILE, ConfigurationError
from chorusflow.formats.profiles import Syntax
from chorusflow.outbox.packing import MAX_FLOW_BYTES
from chorusflow.outbox.worker import WorkerOptions

SENT_SYNTAXES = (Syntax.FACTURX, Syntax.UBL, Syntax.CII)


@dataclass(frozen=True, slots=True)
class OutboxSettings:
    syntax: Syntax = Syntax.FACTURX
    worker: WorkerOptions = field(default_factory=WorkerOptions)


def _number(table: dict[str, Any], key: str, minimum: float) -> float | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
        raise ConfigurationError(
            f"In the configuration, outbox.{key} must be a number of at least {minimum:g}."
        )
    return float(value)


def parse_syntax(text: str) -> Syntax:
    """``facturx``, ``ubl`` or ``cii``; ConfigurationError otherwise."""
    try:
        syntax = Syntax(text.strip().lower().replace("-", ""))
    except ValueError:
        syntax = None
    if syntax not in SENT_SYNTAXES:
        raise ConfigurationError(
            f"'{text}' is not a syntax Chorus Pro takes.", "Use facturx, ubl or cii."
        )
    assert syntax is not None
    return syntax


def load_outbox_settings(directory: Path) -> OutboxSettings:
    """The ``[outbox]`` table of the configuration in ``directory`` (defaults without it)."""
    try:
        data = tomllib.loads((directory / CONFIG_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return OutboxSettings()
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigurationError(
            f"Cannot read {directory / CONFIG_FILE} ({error}).", "Fix it or run chorusflow init."
        ) from None
    table = data.get("outbox", {})
    if not isinstance(table, dict):
        raise ConfigurationError("In the configuration, [outbox] must be a table.")
    syntax = parse_syntax(str(table["format"])) if "format" in table else Syntax.FACTURX
    options = WorkerOptions()
    packing = options.packing
    count = _number(table, "batch_invoices", 1)
    size = _number(table, "batch_bytes", 1)
    if size is not None and size > MAX_FLOW_BYTES:
        raise ConfigurationError(
            f"outbox.batch_bytes is at most {MAX_FLOW_BYTES} (Chorus Pro's 10 MB per file)."
        )
    packing = replace(
        packing,
        max_invoices=int(count) if count else packing.max_invoices,
        max_bytes=int(size) if size else packing.max_bytes,
    )
    rate = _number(table, "rate", 0)
    options = replace(
        options,
        packing=packing,
        settle_delay=_number(table, "settle_delay", 0) or options.settle_delay,
        lease=_number(table, "lease", 1) or options.lease,
        rate=options.rate if rate is None else (rate or None),
    )
    return OutboxSettings(syntax, options)
