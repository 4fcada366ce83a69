"""The three places chorusflow talks to, and their addresses.

``qualification`` and ``production`` are PISTE's two gateways (API.md §1.1). ``sandbox`` is the
local Chorus Pro (``chorusflow sandbox serve``). Every URL can be overridden in the
configuration: Chorus Pro has moved hosts before (certificate → PISTE in 2020,
``*.aife.economie.gouv.fr`` → ``*.piste.gouv.fr`` in 2023), and integrations that hard-coded
them broke.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Environment(StrEnum):
    """Where invoices go."""

    SANDBOX = "sandbox"
    QUALIFICATION = "qualification"
    PRODUCTION = "production"

    @property
    def rehearsal_allowed(self) -> bool:
        """Whether SIRETs may be swapped for test ones (never in production)."""
        return self is not Environment.PRODUCTION

    @property
    def other(self) -> Environment | None:
        """The PISTE environment a credential of this one is most often confused with."""
        if self is Environment.QUALIFICATION:
            return Environment.PRODUCTION
        if self is Environment.PRODUCTION:
            return Environment.QUALIFICATION
        return None


@dataclass(frozen=True, slots=True)
class Endpoints:
    """The PISTE OAuth2 token URL and the API base URL of one environment."""

    token_url: str
    api_url: str


#: The sandbox's default address (``chorusflow sandbox serve`` listens there).
SANDBOX_URL: Final = "http://127.0.0.1:8340"

DEFAULTS: Final[dict[Environment, Endpoints]] = {
    Environment.SANDBOX: Endpoints(SANDBOX_URL + "/api/oauth/token", SANDBOX_URL),
    Environment.QUALIFICATION: Endpoints(
        "https://sandbox-oauth.piste.gouv.fr/api/oauth/token", "https://sandbox-api.piste.gouv.fr"
    ),
    Environment.PRODUCTION: Endpoints(
        "https://oauth.piste.gouv.fr/api/oauth/token", "https://api.piste.gouv.fr"
    ),
}

#: Hosts that identify a PISTE environment, current and historical (API.md §1.1).
KNOWN_HOSTS: Final[dict[str, Environment]] = {
    "sandbox-oauth.piste.gouv.fr": Environment.QUALIFICATION,
    "sandbox-api.piste.gouv.fr": Environment.QUALIFICATION,
    "oauth.piste.gouv.fr": Environment.PRODUCTION,
    "api.piste.gouv.fr": Environment.PRODUCTION,
    "sandbox-oauth.aife.economie.gouv.fr": Environment.QUALIFICATION,
    "sandbox-api.aife.economie.gouv.fr": Environment.QUALIFICATION,
    "oauth.aife.economie.gouv.fr": Environment.PRODUCTION,
    "api.aife.economie.gouv.fr": Environment.PRODUCTION,
}


def environment_of_url(url: str) -> Environment | None:
    """The PISTE environment a URL's host belongs to, or None for any other host."""
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    return KNOWN_HOSTS.get(host)


def parse_environment(value: str) -> Environment:
    """An environment from its name (case-insensitive); ValueError names the valid ones."""
    try:
        return Environment(value.strip().lower())
    except ValueError:
        names = ", ".join(e.value for e in Environment)
        raise ValueError(f"'{value}' is not an environment (expected one of: {names})") from None
