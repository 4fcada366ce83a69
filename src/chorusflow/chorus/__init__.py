"""The chorus layer: talking to Chorus Pro through PISTE.

Public surface (everything else is private and may change):

* :class:`ChorusClient` — one typed method per operation, token and technical account
  handled, searches walked to the end;
* the exceptions of :mod:`chorusflow.chorus.exceptions`;
* :mod:`~chorusflow.chorus.catalogue` — what each return code means and what to change;
* :class:`Environment`, :class:`Credentials`, :class:`Secret`, :class:`HttpOptions`;
* configuration: :func:`load_settings` (file + CHORUSFLOW_* variables + encrypted secrets),
  :class:`Settings`, :class:`ConfigurationError`; the secret stores of
  :mod:`~chorusflow.chorus.vault`;
* :class:`ChorusDirectory` — what a buyer demands (the rules layer's ``Directory``);
* :func:`rehearse` and :class:`Rehearsal` — real invoices sent to the test data set;
* :func:`~chorusflow.chorus.doctor.diagnose` — what is wrong with a connection;
* the wire models in :mod:`chorusflow.chorus.wire`.
"""

from chorusflow.chorus import catalogue, wire
from chorusflow.chorus._transport import HttpOptions, Timeouts
from chorusflow.chorus.catalogue import CatalogueEntry
from chorusflow.chorus.client import ChorusClient
from chorusflow.chorus.config import (
    ConfigurationError,
    Settings,
    config_dir,
    load_settings,
)
from chorusflow.chorus.credentials import Credentials, Secret
from chorusflow.chorus.directory import ChorusDirectory
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
from chorusflow.chorus.rehearsal import Rehearsal, RehearsalRefusedError, rehearse

__all__ = [
    "DEFAULTS",
    "AmbiguousError",
    "ApiNotSubscribedError",
    "AuthenticationError",
    "BusinessError",
    "CatalogueEntry",
    "ChorusClient",
    "ChorusDirectory",
    "ChorusError",
    "ConfigurationError",
    "Credentials",
    "Endpoints",
    "Environment",
    "HttpOptions",
    "IncompleteSearchError",
    "InvalidClientError",
    "NoResultError",
    "NotSentError",
    "RateLimitedError",
    "Rehearsal",
    "RehearsalRefusedError",
    "RequestError",
    "Secret",
    "Settings",
    "TechnicalAccountError",
    "Timeouts",
    "TokenError",
    "TransportError",
    "UnavailableError",
    "UnexpectedAnswerError",
    "catalogue",
    "config_dir",
    "load_settings",
    "rehearse",
    "wire",
]
