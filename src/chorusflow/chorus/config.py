"""Configuration: a TOML file per user, environment variables over it, secrets apart.

The file (``config.toml`` in the user config directory, or ``$CHORUSFLOW_CONFIG_DIR``)::

    environment = "qualification"          # the one in use
    secrets = "file"                       # where secrets rest: keyring | file
    database = "sqlite:////home/me/.local/share/chorusflow/outbox.db"   # optional

    [http]
    connect_timeout = 10.0
    read_timeout = 60.0
    proxy = "http://proxy.example:3128"    # optional
    ca_bundle = "/etc/ssl/company-ca.pem"  # optional

    [environments.qualification]          # one table per environment used
    client_id = "..."                      # PISTE application
    login = "TECH_1_93125027408770@cpro.fr"   # Chorus Pro technical account
    token_url = "..."                      # optional: overrides the default
    api_url = "..."

    [environments.qualification.rehearsal.sirets]
    "12345678900012" = "93125027408770"

Secrets (the PISTE client secret, the technical password) never go in this file: they rest in
the OS keyring or an encrypted key file (:mod:`chorusflow.chorus.vault`). Environment
variables override the file: CHORUSFLOW_ENV, CHORUSFLOW_TOKEN_URL, CHORUSFLOW_API_URL,
CHORUSFLOW_CLIENT_ID, CHORUSFLOW_CLIENT_SECRET, CHORUSFLOW_LOGIN, CHORUSFLOW_PASSWORD,
CHORUSFLOW_DB. TOML because people edit it by hand and it takes comments.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

import platformdirs

from chorusflow.chorus._transport import HttpOptions, Timeouts
from chorusflow.chorus.credentials import Credentials, Secret
from chorusflow.chorus.environments import DEFAULTS, Endpoints, Environment, parse_environment
from chorusflow.chorus.rehearsal import Rehearsal
from chorusflow.chorus.vault import SecretStore, open_store, write_private
from chorusflow.errors import EXIT_UNREADABLE, ChorusflowError

CONFIG_FILE: Final = "config.toml"
CLIENT_SECRET: Final = "client_secret"  # noqa: S105 - the name of a secret, not one
PASSWORD: Final = "password"  # noqa: S105 - the name of a secret, not one

#: Environment variables and what they override.
ENV_VARS: Final = {
    "CHORUSFLOW_ENV": "environment",
    "CHORUSFLOW_TOKEN_URL": "token_url",
    "CHORUSFLOW_API_URL": "api_url",
    "CHORUSFLOW_CLIENT_ID": "client_id",
    "CHORUSFLOW_CLIENT_SECRET": "client_secret",
    "CHORUSFLOW_LOGIN": "login",
    "CHORUSFLOW_PASSWORD": "password",
    "CHORUSFLOW_DB": "database",
}


class ConfigurationError(ChorusflowError):
    """The configuration is missing, incomplete or unreadable (exit 2: bad usage)."""

    exit_code = EXIT_UNREADABLE


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the configuration lives: ``$CHORUSFLOW_CONFIG_DIR`` or the user config dir."""
    environ = os.environ if environ is None else environ
    override = environ.get("CHORUSFLOW_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir("chorusflow"))


def secret_name(environment: Environment, name: str) -> str:
    """The store key of one environment's secret (e.g. ``qualification/password``)."""
    return f"{environment.value}/{name}"


@dataclass(frozen=True, slots=True)
class Profile:
    """What the file says about one environment (no secrets)."""

    client_id: str | None = None
    login: str | None = None
    token_url: str | None = None
    api_url: str | None = None
    rehearsal: Rehearsal = field(default_factory=Rehearsal)


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """The configuration file as data."""

    environment: Environment | None = None
    secrets: str | None = None
    database: str | None = None
    http: HttpOptions = field(default_factory=HttpOptions)
    profiles: Mapping[Environment, Profile] = field(default_factory=dict)
    others: Mapping[str, Any] = field(default_factory=dict)
    """Tables this layer does not read (``[outbox]``, ``[hooks]``…), kept as they were so
    that ``chorusflow init`` rewriting the file loses none of them."""

    def profile(self, environment: Environment) -> Profile:
        return self.profiles.get(environment, Profile())

    def with_profile(self, environment: Environment, profile: Profile) -> ConfigFile:
        return replace(self, profiles={**self.profiles, environment: profile})


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything needed to talk to one environment, from file, variables and secrets."""

    environment: Environment
    token_url: str
    api_url: str
    credentials: Credentials
    http: HttpOptions = field(default_factory=HttpOptions)
    rehearsal: Rehearsal = field(default_factory=Rehearsal)
    database_url: str | None = None
    sources: Mapping[str, str] = field(default_factory=dict)
    """Where each value came from: ``file``, ``env``, ``default``, or the store kind."""


# --- reading --------------------------------------------------------------------------


def _str(table: Mapping[str, Any], key: str, where: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigurationError(f"In the configuration, {where}.{key} must be a string.")
    return value


def _float(table: Mapping[str, Any], key: str, default: float) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigurationError(f"In the configuration, http.{key} must be a positive number.")
    return float(value)


def _mapping(table: Any, where: str) -> dict[str, str]:
    if table is None:
        return {}
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise ConfigurationError(f"In the configuration, {where} must map strings to strings.")
    return {str(k): v for k, v in table.items()}


def _path(value: str | None) -> Path | None:
    return Path(value).expanduser() if value else None


def parse_config(text: str, origin: str = "the configuration file") -> ConfigFile:
    """Read the TOML text of a configuration file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigurationError(
            f"{origin} is not valid TOML ({error}).",
            "Fix it by hand or run chorusflow init again.",
        ) from None
    http_table = data.get("http", {})
    if not isinstance(http_table, dict):
        raise ConfigurationError(f"In {origin}, [http] must be a table.")
    default = Timeouts()
    http = HttpOptions(
        timeouts=Timeouts(
            connect=_float(http_table, "connect_timeout", default.connect),
            read=_float(http_table, "read_timeout", default.read),
            write=_float(http_table, "write_timeout", default.write),
            pool=_float(http_table, "pool_timeout", default.pool),
        ),
        proxy=_str(http_table, "proxy", "http"),
        ca_bundle=_path(_str(http_table, "ca_bundle", "http")),
        client_cert=_path(_str(http_table, "client_cert", "http")),
        client_key=_path(_str(http_table, "client_key", "http")),
        trust_env=bool(http_table.get("trust_env", True)),
    )
    profiles: dict[Environment, Profile] = {}
    envs = data.get("environments", {})
    if not isinstance(envs, dict):
        raise ConfigurationError(f"In {origin}, [environments] must be a table.")
    for name, table in envs.items():
        try:
            environment = parse_environment(name)
        except ValueError as error:
            raise ConfigurationError(f"In {origin}: {error}.") from None
        if not isinstance(table, dict):
            raise ConfigurationError(f"In {origin}, [environments.{name}] must be a table.")
        where = f"environments.{name}"
        rehearsal_table = table.get("rehearsal", {})
        if not isinstance(rehearsal_table, dict):
            raise ConfigurationError(f"In {origin}, {where}.rehearsal must be a table.")
        profiles[environment] = Profile(
            client_id=_str(table, "client_id", where),
            login=_str(table, "login", where),
            token_url=_str(table, "token_url", where),
            api_url=_str(table, "api_url", where),
            rehearsal=Rehearsal(
                sirets=_mapping(rehearsal_table.get("sirets"), f"{where}.rehearsal.sirets"),
                services=_mapping(rehearsal_table.get("services"), f"{where}.rehearsal.services"),
            ),
        )
    chosen = data.get("environment")
    try:
        current = parse_environment(chosen) if isinstance(chosen, str) else None
    except ValueError as error:
        raise ConfigurationError(f"In {origin}: {error}.") from None
    return ConfigFile(
        environment=current,
        secrets=_str(data, "secrets", "the file"),
        database=_str(data, "database", "the file"),
        http=http,
        profiles=profiles,
        others={k: v for k, v in data.items() if k not in _OWN_KEYS},
    )


_OWN_KEYS: Final = frozenset({"environment", "secrets", "database", "http", "environments"})


def read_config(directory: Path) -> ConfigFile | None:
    """The configuration file in ``directory``, or None when there is none."""
    path = directory / CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ConfigurationError(
            f"Cannot read {path}: {error.strerror or error}.", "Check its permissions."
        ) from None
    return parse_config(text, str(path))


# --- writing --------------------------------------------------------------------------

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(name: str) -> str:
    return name if _BARE_KEY.match(name) else json.dumps(name, ensure_ascii=False)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _toml(table: Mapping[str, Any], prefix: str = "") -> list[str]:
    lines: list[str] = []
    scalars = {k: v for k, v in table.items() if not isinstance(v, Mapping) and v is not None}
    subtables = {k: v for k, v in table.items() if isinstance(v, Mapping)}
    if prefix and (scalars or not subtables):
        lines.append(f"\n[{prefix}]")
    lines += [f"{_key(k)} = {_value(v)}" for k, v in scalars.items()]
    for name, sub in subtables.items():
        if sub:
            lines += _toml(sub, f"{prefix}.{_key(name)}" if prefix else _key(name))
    return lines


def render_config(config: ConfigFile) -> str:
    """The TOML text of a configuration (no secret is ever in it)."""
    http = config.http
    default = HttpOptions()
    http_table: dict[str, Any] = {
        "connect_timeout": http.timeouts.connect,
        "read_timeout": http.timeouts.read,
        "write_timeout": http.timeouts.write,
        "pool_timeout": http.timeouts.pool,
        "proxy": http.proxy,
        "ca_bundle": str(http.ca_bundle) if http.ca_bundle else None,
        "client_cert": str(http.client_cert) if http.client_cert else None,
        "client_key": str(http.client_key) if http.client_key else None,
    }
    if http.trust_env != default.trust_env:
        http_table["trust_env"] = http.trust_env
    environments: dict[str, Any] = {}
    for environment, profile in config.profiles.items():
        environments[environment.value] = {
            "client_id": profile.client_id,
            "login": profile.login,
            "token_url": profile.token_url,
            "api_url": profile.api_url,
            "rehearsal": {
                "sirets": dict(profile.rehearsal.sirets),
                "services": dict(profile.rehearsal.services),
            },
        }
    document: dict[str, Any] = {
        "environment": config.environment.value if config.environment else None,
        "secrets": config.secrets,
        "database": config.database,
        "http": http_table,
        "environments": environments,
        **{k: v for k, v in config.others.items() if k not in _OWN_KEYS},
    }
    header = (
        "# chorusflow configuration (docs/client.md). Secrets are not in this file: they rest\n"
        "# encrypted in the OS keyring or in secrets.json/secrets.key beside it.\n"
    )
    return header + "\n".join(_toml(document)).lstrip("\n") + "\n"


def write_config(directory: Path, config: ConfigFile) -> Path:
    """Write the configuration file (0600, atomically) and return its path."""
    path = directory / CONFIG_FILE
    write_private(path, render_config(config).encode("utf-8"))
    return path


# --- settings: file + variables + secrets ---------------------------------------------


def _environ_value(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name)
    return value if value else None


def load_settings(
    environ: Mapping[str, str] | None = None,
    *,
    directory: Path | None = None,
    environment: Environment | None = None,
    store: SecretStore | None = None,
) -> Settings:
    """The settings in force: variables over the file over defaults; secrets from the store.

    ``environment`` (a command's ``--env``) wins over CHORUSFLOW_ENV and the file.
    Raises :class:`ConfigurationError` naming what is missing and how to set it.
    """
    environ = os.environ if environ is None else environ
    directory = directory or config_dir(environ)
    config = read_config(directory) or ConfigFile()
    sources: dict[str, str] = {}

    def pick(var: str, from_file: str | None, name: str, default: str | None = None) -> str | None:
        from_env = _environ_value(environ, var)
        if from_env is not None:
            sources[name] = "env"
            return from_env
        if from_file is not None:
            sources[name] = "file"
            return from_file
        if default is not None:
            sources[name] = "default"
        return default

    if environment is None:
        chosen = pick(
            "CHORUSFLOW_ENV",
            config.environment.value if config.environment else None,
            "environment",
        )
        if chosen is None:
            raise ConfigurationError(
                "No environment is configured.",
                "Run chorusflow init, or set CHORUSFLOW_ENV to sandbox, qualification or "
                "production.",
            )
        try:
            environment = parse_environment(chosen)
        except ValueError as error:
            raise ConfigurationError(f"{error}.", "Set CHORUSFLOW_ENV or rerun init.") from None
    else:
        sources["environment"] = "argument"
    profile = config.profile(environment)
    defaults = DEFAULTS[environment]
    token_url = pick("CHORUSFLOW_TOKEN_URL", profile.token_url, "token_url", defaults.token_url)
    api_url = pick("CHORUSFLOW_API_URL", profile.api_url, "api_url", defaults.api_url)
    client_id = pick("CHORUSFLOW_CLIENT_ID", profile.client_id, "client_id")
    login = pick("CHORUSFLOW_LOGIN", profile.login, "login")
    secret_values: dict[str, Secret | None] = {}
    for name, var in (
        (CLIENT_SECRET, "CHORUSFLOW_CLIENT_SECRET"),
        (PASSWORD, "CHORUSFLOW_PASSWORD"),
    ):
        from_env = _environ_value(environ, var)
        if from_env is not None:
            secret_values[name] = Secret(from_env)
            sources[name] = "env"
            continue
        if store is None and config.secrets:
            store = open_store(config.secrets, directory)
        stored = store.get(secret_name(environment, name)) if store is not None else None
        if stored is not None and store is not None:
            sources[name] = store.kind
        secret_values[name] = stored
    missing = [
        label
        for label, value in (
            ("the PISTE client id (CHORUSFLOW_CLIENT_ID)", client_id),
            ("the PISTE client secret (CHORUSFLOW_CLIENT_SECRET)", secret_values[CLIENT_SECRET]),
            ("the technical account login (CHORUSFLOW_LOGIN)", login),
            ("the technical account password (CHORUSFLOW_PASSWORD)", secret_values[PASSWORD]),
        )
        if not value
    ]
    if missing:
        raise ConfigurationError(
            f"The {environment.value} configuration lacks {', '.join(missing)}.",
            f"Run chorusflow init --env {environment.value}, or set the variables named.",
        )
    client_secret, password = secret_values[CLIENT_SECRET], secret_values[PASSWORD]
    if not (client_id and login and token_url and api_url and client_secret and password):
        raise AssertionError("unreachable: missing values were reported above")
    return Settings(
        environment=environment,
        token_url=token_url,
        api_url=api_url,
        credentials=Credentials(client_id, client_secret, login, password),
        http=config.http,
        rehearsal=profile.rehearsal,
        database_url=pick("CHORUSFLOW_DB", config.database, "database"),
        sources=sources,
    )


def endpoints_for(environment: Environment, directory: Path | None = None) -> Endpoints:
    """The URLs the file gives one environment, or its defaults (no variables applied)."""
    config = read_config(directory or config_dir()) or ConfigFile()
    profile, defaults = config.profile(environment), DEFAULTS[environment]
    return Endpoints(profile.token_url or defaults.token_url, profile.api_url or defaults.api_url)
