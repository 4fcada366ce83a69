"""The chorus layer: talking to Chorus Pro through PISTE.

Public surface (everything else is private and may change):

* :class:`ChorusClient` — one typed method per operation, token and technical account
  handled, searches walked to the end;
* the exceptions of :mod:`chorusflow.chorus.exceptions`;
* :mod:`~chorusflow.chorus.catalogue` — what each return code means and what to change;
* :class:`Environment`, :class:`Credentials`, :class:`Secret`, :class:`HttpOptions`;
* the wire models in :mod:`chorusflow.chorus.wire`.
"""

from chorusflow.chorus import catalogue, wire
from chorusflow.chorus._transport import HttpOptions, Timeouts
from chorusflow.chorus.catalogue import CatalogueEntry
from chorusflow.chorus.client import ChorusClient
from chorusflow.chorus.credentials import Credentials, Secret
from chorusflow.chorus.environments import DEFAULTS, Endpoints, Environment
from chorusflow.chorus.exceptions import (
    AmbiguousError,
    ApiNotSubscribedError,
    AuthenticationError,
    BusinessError,
    ChorusError,
    IncompleteSearchError,
    InvalidClientError,
    NoResultError,
    NotSentError,
    RateLimitedError,
    RequestError,
    TechnicalAccountError,
    TokenError,
    TransportError,
    UnavailableError,
    UnexpectedAnswerError,
)

__all__ = [
    "DEFAULTS",
    "AmbiguousError",
    "ApiNotSubscribedError",
    "AuthenticationError",
    "BusinessError",
    "CatalogueEntry",
    "ChorusClient",
    "ChorusError",
    "Credentials",
    "Endpoints",
    "Environment",
    "HttpOptions",
    "IncompleteSearchError",
    "InvalidClientError",
    "NoResultError",
    "NotSentError",
    "RateLimitedError",
    "RequestError",
    "Secret",
    "TechnicalAccountError",
    "Timeouts",
    "TokenError",
    "TransportError",
    "UnavailableError",
    "UnexpectedAnswerError",
    "catalogue",
    "wire",
]
