"""PISTE OAuth2 client credentials: one token, cached, renewed before it expires.

Tokens live 3600 s (API.md §1.2). The cache renews a token ``margin`` seconds before its end
(S1 uses 240 s, S10 60 s), so that a long call never starts with a token about to die, and the
client renews once more when the gateway answers 401 anyway (a token revoked early). One lock
makes concurrent workers of one process share one token instead of each fetching its own.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from chorusflow.chorus._transport import Transport
from chorusflow.chorus.credentials import Credentials
from chorusflow.chorus.exceptions import (
    InvalidClientError,
    TokenError,
    UnexpectedAnswerError,
)

#: Renew this many seconds before expiry (shortened for tokens that live less than 2 margins).
DEFAULT_MARGIN = 60.0

INVALID_CLIENT_FIX = (
    "On piste.gouv.fr, open your application (Applications > your application > "
    "Authentification) and copy its OAuth client id and secret again; qualification "
    "(sandbox-oauth) and production (oauth) have separate applications and keys."
)


@dataclass(frozen=True, slots=True)
class _Token:
    value: str
    renew_at: float
    expires_at: float


class TokenSource:
    """Hands out a valid access token, fetching a new one when needed."""

    def __init__(
        self,
        transport: Transport,
        token_url: str,
        credentials: Credentials,
        *,
        margin: float = DEFAULT_MARGIN,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._transport = transport
        self._token_url = token_url
        self._credentials = credentials
        self._margin = margin
        self._clock = clock
        self._lock = threading.Lock()
        self._current: _Token | None = None
        #: How many tokens were fetched (observability; tests read it).
        self.fetched = 0

    def __repr__(self) -> str:
        return (
            f"TokenSource(token_url={self._token_url!r}, client_id={self._credentials.client_id!r})"
        )

    def token(self) -> str:
        """A token valid for at least the margin (fetched if there is none or it is old)."""
        with self._lock:
            current = self._current
            if current is None or self._clock() >= current.renew_at:
                current = self._fetch()
                self._current = current
            return current.value

    def invalidate(self, value: str) -> None:
        """Forget ``value`` (the gateway refused it); a newer token is kept."""
        with self._lock:
            if self._current is not None and self._current.value == value:
                self._current = None

    @property
    def expires_in(self) -> float | None:
        """Seconds the cached token still lives, or None when there is none."""
        current = self._current
        return None if current is None else current.expires_at - self._clock()

    def _fetch(self) -> _Token:
        started = self._clock()
        response = self._transport.send(
            "POST",
            self._token_url,
            form={
                "grant_type": "client_credentials",
                "client_id": self._credentials.client_id,
                "client_secret": self._credentials.client_secret.reveal(),
                "scope": "openid",
            },
            headers={"Accept": "application/json"},
            what="PISTE token request",
        )
        try:
            data = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict):
            raise UnexpectedAnswerError(
                f"The token URL {self._token_url} did not answer like PISTE "
                f"(HTTP {response.status_code}, not JSON).",
                "Check token_url: e.g. https://oauth.piste.gouv.fr/api/oauth/token in production.",
                status=response.status_code,
            )
        if response.status_code != 200 or "access_token" not in data:
            error = str(data.get("error") or f"HTTP {response.status_code}")
            if error == "invalid_client":
                raise InvalidClientError(
                    "PISTE refused the client id and secret (invalid_client).",
                    INVALID_CLIENT_FIX,
                    status=response.status_code,
                )
            description = str(data.get("error_description") or "").strip()
            raise TokenError(
                f"PISTE refused to issue a token ({error}"
                + (f": {description[:200]}" if description else "")
                + ").",
                "Check the PISTE application: its OAuth credentials, and that it is active.",
                status=response.status_code,
            )
        try:
            lifetime = float(data.get("expires_in") or 3600)
        except (TypeError, ValueError):
            lifetime = 3600.0
        margin = min(self._margin, lifetime / 2)
        self.fetched += 1
        return _Token(
            value=str(data["access_token"]),
            renew_at=started + lifetime - margin,
            expires_at=started + lifetime,
        )
