"""What status-change hooks to run: the ``[hooks]`` table of ``config.toml`` and the flags.

::

    [hooks]
    command = "/usr/local/bin/on-invoice"        # or a list; JSON on stdin, CHORUSFLOW_* env
    url = "https://erp.example/chorus-events"    # or a list; JSON POSTed
    secret = "..."                               # HMAC-SHA256 key (or CHORUSFLOW_HOOK_SECRET)
    on = ["needs_user", "paid", "refused", "rejected", "A_RECYCLER"]   # default: every move
    max_attempts = 10                            # then the delivery is marked failed
    timeout = 10                                 # seconds a command or a POST may take

The secret never leaves this process except as the signature; it is not written to the
database (every worker that delivers signed webhooks needs it in its own configuration).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from chorusflow.chorus.config import CONFIG_FILE, ConfigurationError
from chorusflow.chorus.credentials import Secret

#: Environment variable that holds the webhook signing key (overrides the file).
SECRET_VARIABLE: Final = "CHORUSFLOW_HOOK_SECRET"  # noqa: S105 - a variable name
COMMAND: Final = "command"
WEBHOOK: Final = "webhook"


@dataclass(frozen=True, slots=True)
class Hook:
    """One place a status change is announced to: a command line, or a URL to POST to."""

    kind: str
    target: str

    @property
    def shown(self) -> str:
        """The target as it may be printed: a URL without credentials, query or fragment."""
        return shown_target(self.kind, self.target)


@dataclass(frozen=True, slots=True)
class HookSettings:
    """The hooks of one process and how their deliveries are retried."""

    hooks: tuple[Hook, ...] = ()
    secret: Secret | None = None
    on: frozenset[str] | None = None
    """Outbox states (``paid``) or Chorus Pro statuses (``A_RECYCLER``) that trigger the
    hooks; None: every transition."""
    max_attempts: int = 10
    timeout: float = 10.0
    backoff_base: float = 2.0
    backoff_cap: float = 3600.0
    trust_env: bool = True
    """Webhooks go through the proxy of the environment (HTTPS_PROXY, NO_PROXY)."""
    idle_poll: float = 1.0
    """Seconds a deliverer sleeps when nothing is due."""
    lease_margin: float = 30.0
    """A delivery is leased for ``timeout`` + this: a dead worker's lease expires after it."""

    def with_hooks(self, hooks: Sequence[Hook]) -> HookSettings:
        return replace(self, hooks=tuple(hooks))


def shown_target(kind: str, target: str) -> str:
    if kind != WEBHOOK:
        return target
    parts = urlsplit(target)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def command_hook(line: str) -> Hook:
    if not line.strip():
        raise ConfigurationError("A hook command is empty.", "Give the command line to run.")
    return Hook(COMMAND, line.strip())


def webhook(url: str) -> Hook:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(
            f"The hook URL '{shown_target(WEBHOOK, url)}' is not an http(s) URL.",
            "Give e.g. https://erp.example/chorus-events.",
        )
    return Hook(WEBHOOK, url.strip())


def _strings(table: Mapping[str, Any], key: str) -> list[str]:
    value = table.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ConfigurationError(
        f"In the configuration, hooks.{key} must be a string or a list of strings."
    )


def _positive(table: Mapping[str, Any], key: str) -> float | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigurationError(f"In the configuration, hooks.{key} must be a positive number.")
    return float(value)


def parse_hooks(table: Mapping[str, Any], environ: Mapping[str, str]) -> HookSettings:
    """Hook settings from a ``[hooks]`` table (and CHORUSFLOW_HOOK_SECRET)."""
    hooks = [command_hook(c) for c in _strings(table, "command")]
    hooks += [webhook(u) for u in _strings(table, "url")]
    secret_text = environ.get(SECRET_VARIABLE) or table.get("secret")
    if secret_text is not None and not isinstance(secret_text, str):
        raise ConfigurationError("In the configuration, hooks.secret must be a string.")
    on = _strings(table, "on")
    settings = HookSettings(
        hooks=tuple(hooks),
        secret=Secret(secret_text) if secret_text else None,
        on=frozenset(on) if on else None,
    )
    attempts = _positive(table, "max_attempts")
    timeout = _positive(table, "timeout")
    return replace(
        settings,
        max_attempts=int(attempts) if attempts else settings.max_attempts,
        timeout=timeout or settings.timeout,
    )


def load_hook_settings(directory: Path, environ: Mapping[str, str] | None = None) -> HookSettings:
    """The ``[hooks]`` table of the configuration in ``directory`` (none without it)."""
    environ = os.environ if environ is None else environ
    try:
        data = tomllib.loads((directory / CONFIG_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        data = {}
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigurationError(
            f"Cannot read {directory / CONFIG_FILE} ({error}).", "Fix it or run chorusflow init."
        ) from None
    table = data.get("hooks", {})
    if not isinstance(table, dict):
        raise ConfigurationError("In the configuration, [hooks] must be a table.")
    return parse_hooks(table, environ)


def flag_hooks(commands: Sequence[str] | None, urls: Sequence[str] | None) -> list[Hook]:
    """The hooks given by --hook-command and --hook-url."""
    return [command_hook(c) for c in commands or []] + [webhook(u) for u in urls or []]


__all__ = [
    "COMMAND",
    "SECRET_VARIABLE",
    "WEBHOOK",
    "Hook",
    "HookSettings",
    "command_hook",
    "flag_hooks",
    "load_hook_settings",
    "parse_hooks",
    "shown_target",
    "webhook",
]
