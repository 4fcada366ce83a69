"""Everything the client raises, in one hierarchy, so that callers can act on the kind.

::

    ChorusError
    ├── TransportError              the answer never came (or came from no Chorus Pro)
    │   ├── NotSentError            refused before the request left: safe to send again
    │   ├── AmbiguousError          lost after it was sent: a deposit may have landed
    │   ├── RateLimitedError        429, with the Retry-After delay
    │   └── UnavailableError        5xx or maintenance, maybe with Retry-After
    ├── AuthenticationError         PISTE or the technical account said no
    │   ├── InvalidClientError      wrong PISTE client id or secret (invalid_client)
    │   ├── TokenError              the token endpoint failed otherwise
    │   ├── ApiNotSubscribedError   403: the API is not attached to the PISTE application
    │   └── TechnicalAccountError   401 with a fresh token: cpro-account refused
    ├── BusinessError               codeRetour ≠ 0, in a 200 or in a 4xx body
    │   └── NoResultError           the search found nothing (codeRetour 20000)
    ├── RequestError                a 4xx without an envelope (400, 404, 413, 415)
    ├── UnexpectedAnswerError       an answer that is not the operation's JSON
    └── IncompleteSearchError       a paged search could not be read to the end

Messages are one sentence and a fix in the user's terms. No message, repr or attribute ever
holds a secret (client secret, technical password, token, cpro-account header).
"""

from __future__ import annotations

from chorusflow.chorus.catalogue import CatalogueEntry
from chorusflow.errors import EXIT_INVALID, ChorusflowError


class ChorusError(ChorusflowError):
    """Base of every error of the Chorus Pro client."""

    exit_code = EXIT_INVALID


# --- transport ------------------------------------------------------------------------


class TransportError(ChorusError):
    """No usable answer came back; ``may_have_arrived`` says whether Chorus Pro may have acted."""

    #: True when the request may have reached Chorus Pro (it may have been acted upon).
    may_have_arrived: bool = True
    #: Seconds to wait before trying again, when the server said so.
    retry_after: float | None = None

    def __init__(
        self, message: str, fix: str | None = None, *, retry_after: float | None = None
    ) -> None:
        super().__init__(message, fix)
        self.retry_after = retry_after


class NotSentError(TransportError):
    """The request never left: connection refused, name not resolved, TLS refused, connect
    timeout. Sending it again cannot make a duplicate."""

    may_have_arrived = False


class AmbiguousError(TransportError):
    """The request was sent and the answer was lost (read timeout, dropped connection).

    A deposit may have been committed: ask Chorus Pro what it holds before sending again
    (DESIGN.md, "Exactly once")."""


class RateLimitedError(TransportError):
    """HTTP 429: the gateway refused the call before it reached Chorus Pro."""

    may_have_arrived = False


class UnavailableError(TransportError):
    """HTTP 5xx or a maintenance page: Chorus Pro or the gateway is down for now.

    A 502/504 may come after the request was handled, so ``may_have_arrived`` stays True
    except for a 503 maintenance page."""

    def __init__(
        self,
        message: str,
        fix: str | None = None,
        *,
        status: int,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, fix, retry_after=retry_after)
        self.status = status
        self.may_have_arrived = status != 503


# --- authentication -------------------------------------------------------------------


class AuthenticationError(ChorusError):
    """PISTE or Chorus Pro refused who we are."""

    def __init__(self, message: str, fix: str | None = None, *, status: int | None = None):
        super().__init__(message, fix)
        self.status = status


class InvalidClientError(AuthenticationError):
    """The PISTE token endpoint answered invalid_client: the client id or secret is wrong, or
    belongs to the other environment (qualification and production have separate apps)."""


class TokenError(AuthenticationError):
    """The PISTE token endpoint failed for another reason (an OAuth2 error or no token)."""


class ApiNotSubscribedError(AuthenticationError):
    """HTTP 403: the PISTE application is not subscribed to this API."""

    def __init__(self, message: str, fix: str | None = None, *, api: str) -> None:
        super().__init__(message, fix, status=403)
        self.api = api


class TechnicalAccountError(AuthenticationError):
    """HTTP 401 with a freshly issued token: the cpro-account (technical account login and
    password) is refused — wrong, expired, or of the other environment."""


# --- answers --------------------------------------------------------------------------


class BusinessError(ChorusError):
    """Chorus Pro refused the call: ``codeRetour`` ≠ 0, in a 200 or in a 4xx body."""

    def __init__(
        self,
        *,
        operation: str,
        code: int,
        libelle: str,
        entry: CatalogueEntry,
        status: int,
    ) -> None:
        message = f"Chorus Pro refused {operation}: {entry.meaning} (codeRetour {code}, {libelle})"
        super().__init__(message.rstrip(), entry.fix)
        self.operation = operation
        self.code = code
        self.libelle = libelle
        self.entry = entry
        self.status = status


class NoResultError(BusinessError):
    """The search found nothing (codeRetour 20000, TRA_MSG_00.015): paged iteration treats it
    as an empty result."""


class RequestError(ChorusError):
    """A 4xx without Chorus Pro's envelope: the request itself is wrong for the gateway."""

    def __init__(self, message: str, fix: str | None = None, *, status: int) -> None:
        super().__init__(message, fix)
        self.status = status


class UnexpectedAnswerError(ChorusError):
    """The answer is not the JSON the operation returns (an HTML page, a proxy's page, a
    truncated body): often a wrong URL."""

    def __init__(self, message: str, fix: str | None = None, *, status: int) -> None:
        super().__init__(message, fix)
        self.status = status


class IncompleteSearchError(ChorusError):
    """A paged search did not return every result it announced, or hit the result cap: the
    caller would otherwise miss invoices silently."""


__all__ = [
    "AmbiguousError",
    "ApiNotSubscribedError",
    "AuthenticationError",
    "BusinessError",
    "ChorusError",
    "IncompleteSearchError",
    "InvalidClientError",
    "NoResultError",
    "NotSentError",
    "RateLimitedError",
    "RequestError",
    "TechnicalAccountError",
    "TokenError",
    "TransportError",
    "UnavailableError",
    "UnexpectedAnswerError",
]
