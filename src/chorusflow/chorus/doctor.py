"""Diagnosing a connection to Chorus Pro: which of its many parts is wrong, and the fix.

Chorus Pro needs two credentials that both fail with a bare 401/403 (seeds: 8sens, EasyBill,
WINDEV): a PISTE application subscribed to the right APIs, and a technical account whose
password expires. :func:`diagnose` walks the chain in the order a call goes through it, and
tells apart:

* unreachable or timing out — nothing answers at the token or API host;
* wrong PISTE credentials — the token endpoint answers ``invalid_client``;
* wrong environment — the credentials are refused here but accepted by the other PISTE
  environment's token endpoint (observable only that way: qualification and production are
  separate applications with separate keys), or the configured URLs are the other
  environment's hosts;
* API not attached — 403 on a call of that API;
* wrong technical account — 401 on a call that carries ``cpro-account`` with a fresh token
  (wrong login or password, or an application its structure has not connected: the platform
  answers both alike, so the message names both);
* technical password expiring — consulterStructure's ``dateExpirationMotPasseCompteTech``
  within 30 days (or past).

The command (``chorusflow doctor``) prints the result; this module only finds it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

import httpx

from chorusflow.chorus._auth import TokenSource
from chorusflow.chorus._transport import HttpOptions, Timeouts, Transport
from chorusflow.chorus.client import ChorusClient
from chorusflow.chorus.config import Settings
from chorusflow.chorus.environments import Endpoints, Environment, environment_of_url
from chorusflow.chorus.exceptions import (
    AmbiguousError,
    ApiNotSubscribedError,
    BusinessError,
    ChorusError,
    InvalidClientError,
    NotSentError,
    TechnicalAccountError,
    TransportError,
)
from chorusflow.chorus.wire.operations import Api

#: Warn when the technical password expires within this many days.
EXPIRY_WARNING_DAYS = 30
#: Logins of the qualification data set look like this (API.md §1.3, S5).
QUALIFICATION_LOGIN = re.compile(r"^TECH_\d+_\d{14}@cpro\.fr$", re.IGNORECASE)

PISTE_APP_PAGE = "piste.gouv.fr > Applications > your application"
TECH_ACCOUNT_MENU = "Chorus Pro > Raccordement EDI et API > Compte technique"
RACCORDEMENT_MENU = (
    "Chorus Pro > Raccordement EDI et API > Gérer mes raccordements > Déclarer un "
    "raccordement PISTE"
)


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    INFO = "info"
    SKIP = "skip"


@dataclass(frozen=True, slots=True)
class Check:
    """One link of the chain and its verdict."""

    name: str
    status: Status
    message: str
    fix: str | None = None
    diagnosis: str | None = None
    """A stable code for programs: unreachable, timeout, invalid_client, wrong_environment,
    api_not_subscribed, technical_account, password_expiring, password_expired, ..."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status.value,
            "diagnosis": self.diagnosis,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass(slots=True)
class Diagnosis:
    """The checks of one environment, in order."""

    environment: Environment
    token_url: str
    api_url: str
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no check failed or warned (INFO and SKIP do not count)."""
        return all(c.status in (Status.OK, Status.INFO, Status.SKIP) for c in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "environment": self.environment.value,
            "token_url": self.token_url,
            "api_url": self.api_url,
            "checks": [c.as_dict() for c in self.checks],
        }


def _quick(http: HttpOptions, timeout: float | None) -> HttpOptions:
    if timeout is None:
        return http
    t = http.timeouts
    return replace(
        http,
        timeouts=Timeouts(
            connect=min(t.connect, timeout),
            read=min(t.read, timeout),
            write=min(t.write, timeout),
            pool=min(t.pool, timeout),
        ),
    )


def _url_check(settings: Settings) -> Check:
    env = settings.environment
    for label, url in (("token_url", settings.token_url), ("api_url", settings.api_url)):
        owner = environment_of_url(url)
        if env is Environment.SANDBOX and owner is not None:
            return Check(
                "environment",
                Status.FAIL,
                f"The environment is 'sandbox' but {label} is a PISTE {owner.value} host ({url}).",
                f"Run chorusflow init --env {owner.value} to use PISTE, or point {label} at "
                "the local sandbox (chorusflow sandbox serve).",
                "wrong_environment",
            )
        if owner is not None and owner is not env:
            return Check(
                "environment",
                Status.FAIL,
                f"The environment is '{env.value}' but {label} is the {owner.value} host ({url}).",
                f"Remove the {label} override, or set the environment to {owner.value} "
                f"(chorusflow init --env {owner.value}).",
                "wrong_environment",
            )
    custom = env is not Environment.SANDBOX and environment_of_url(settings.api_url) is None
    return Check(
        "environment",
        Status.OK,
        f"{env.value}: {settings.api_url}" + (" (custom URL)" if custom else ""),
    )


def _transport_check(name: str, error: TransportError, where: str) -> Check:
    if isinstance(error, AmbiguousError):
        return Check(
            name,
            Status.FAIL,
            f"{where} does not answer in time: {error.message}",
            "Check the network and proxy; if the host is slow, raise http.read_timeout in "
            "the configuration.",
            "timeout",
        )
    if isinstance(error, NotSentError):
        return Check(
            name,
            Status.FAIL,
            f"{where} is unreachable: {error.message}",
            error.fix
            or "Check the URL, the network, the proxy (http.proxy) and the CA (http.ca_bundle).",
            "unreachable",
        )
    return Check(
        name,
        Status.FAIL,
        f"{where} is unavailable: {error.message}",
        "Chorus Pro or PISTE may be in maintenance: try again later.",
        "unavailable",
    )


def _probe_other(
    settings: Settings, other: Endpoints, http: HttpOptions, transport: httpx.BaseTransport | None
) -> bool:
    """Whether the other environment's token endpoint accepts these credentials."""
    probe = Transport(http, transport)
    try:
        TokenSource(probe, other.token_url, settings.credentials).token()
    except ChorusError:
        return False
    finally:
        probe.close()
    return True


def _token_check(
    settings: Settings,
    client: ChorusClient,
    other: Endpoints | None,
    http: HttpOptions,
    transport: httpx.BaseTransport | None,
) -> Check:
    env = settings.environment
    try:
        client.tokens.token()
    except TransportError as error:
        return _transport_check(
            "PISTE token", error, f"The PISTE token endpoint {client.token_url}"
        )
    except InvalidClientError:
        other_env = env.other
        if (
            other is not None
            and other_env is not None
            and _probe_other(settings, other, http, transport)
        ):
            return Check(
                "PISTE token",
                Status.FAIL,
                f"The client id '{settings.credentials.client_id}' is refused by {env.value} but "
                f"accepted by {other_env.value}: these are {other_env.value} credentials.",
                f"Either run chorusflow init --env {other_env.value}, or copy the keys of your "
                f"{env.value} application from {PISTE_APP_PAGE} > Authentification.",
                "wrong_environment",
            )
        return Check(
            "PISTE token",
            Status.FAIL,
            f"PISTE refuses the client id '{settings.credentials.client_id}' and its secret "
            "(invalid_client).",
            f"Copy the OAuth client id and secret again from {PISTE_APP_PAGE} > "
            "Authentification (regenerate them if needed), then run chorusflow init.",
            "invalid_client",
        )
    except ChorusError as error:
        return Check(
            "PISTE token",
            Status.FAIL,
            error.message,
            error.fix or "Check token_url and the PISTE application.",
            "token_error",
        )
    return Check("PISTE token", Status.OK, f"a token was issued by {client.token_url}")


def _account_check(settings: Settings) -> Check:
    login = settings.credentials.login
    hint = ""
    if settings.environment is Environment.PRODUCTION and QUALIFICATION_LOGIN.match(login):
        hint = (
            f" The login '{login}' has the form of a qualification data-set account: it may "
            "belong to the qualification environment."
        )
    return Check(
        "technical account",
        Status.FAIL,
        f"Chorus Pro refuses the technical account '{login}' (HTTP 401 with a valid token): "
        "wrong login or password, an expired password, an account of the other "
        "environment, or a PISTE application that the account's structure has not connected "
        f"(raccordement PISTE).{hint}",
        f"In {TECH_ACCOUNT_MENU}, check the login, reset the password and copy it with "
        "chorusflow init; in qualification the data set's 'Changer le mot de passe d'un "
        f"utilisateur de test' does it. In {RACCORDEMENT_MENU}, check that the structure "
        "declared this PISTE application, with its exact name.",
        "technical_account",
    )


_API_TITLES = {
    Api.FACTURES: "Factures",
    Api.TRANSVERSES: "Transverses",
    Api.STRUCTURES: "Structures",
    Api.UTILISATEURS: "Utilisateurs",
    Api.ENGAGEMENTS_JURIDIQUES: "Engagements juridiques",
}


def _probes(client: ChorusClient) -> dict[Api, Callable[[], object]]:
    """One cheap read per API (what a call of that API needs to pass the gateway)."""
    return {
        Api.TRANSVERSES: lambda: client.recuperer_devises(codeLangue="FR"),
        Api.FACTURES: lambda: client.rechercher_facture_par_fournisseur(
            rechercheFactureParFournisseur={"nbResultatsParPage": 1, "pageResultatDemandee": 1}
        ),
        Api.STRUCTURES: lambda: client.rechercher_structure(
            structure={"identifiantStructure": "00000000000000"},
            parametres={"nbResultatsParPage": 1, "pageResultatDemandee": 1},
        ),
        Api.UTILISATEURS: lambda: client.recuperer_rattachements_mon_compte_utilisateur(
            parametresRecherche={"nbResultatsParPage": 1, "pageResultatDemandee": 1}
        ),
        Api.ENGAGEMENTS_JURIDIQUES: lambda: client.rechercher_engagement_juridique(
            parametresRecherche={"nbResultatsParPage": 1, "pageResultatDemandee": 1}
        ),
    }


def _expiry_check(client: ChorusClient, now: dt.datetime, warn_days: int) -> Check:
    structures = (
        client.recuperer_rattachements_mon_compte_utilisateur(
            parametresRecherche={"nbResultatsParPage": 10, "pageResultatDemandee": 1}
        ).listeStructureRattachement
        or []
    )
    ids = [s.idStructure for s in structures if s.idStructure is not None]
    if not ids:
        return Check(
            "technical password",
            Status.WARN,
            "The technical account is attached to no structure, so its expiry cannot be read.",
            "In Chorus Pro, attach the technical account to the supplier structure.",
            "no_structure",
        )
    detail = client.consulter_structure(idStructureCPP=ids[0], codeLangue="FR")
    general = detail.informationGenerales
    expiry = general.dateExpirationMotPasseCompteTech if general else None
    siret = (general.identifiantStructure if general else None) or "?"
    if expiry is None:
        return Check(
            "technical password",
            Status.INFO,
            f"Structure {siret}: Chorus Pro gave no expiry date for the technical password.",
        )
    if not isinstance(expiry, dt.datetime):
        expiry = dt.datetime.combine(expiry, dt.time(0, 0), dt.UTC)
    if expiry.tzinfo is None:
        expiry = expiry.replace(tzinfo=dt.UTC)
    left = expiry - now
    day = expiry.date().isoformat()
    renew = (
        f"Renew it in {TECH_ACCOUNT_MENU} (a new password lasts 424 days), then run "
        "chorusflow init to store it."
    )
    if left.total_seconds() <= 0:
        return Check(
            "technical password",
            Status.FAIL,
            f"The technical password expired on {day}.",
            renew,
            "password_expired",
        )
    days = left.days
    if days < warn_days:
        return Check(
            "technical password",
            Status.WARN,
            f"The technical password expires in {days} day{'s' if days != 1 else ''} ({day}).",
            renew,
            "password_expiring",
        )
    return Check(
        "technical password",
        Status.OK,
        f"structure {siret}; the technical password expires on {day} (in {days} days)",
    )


def diagnose(
    settings: Settings,
    *,
    other: Endpoints | None = None,
    timeout: float | None = 10.0,
    warn_days: int = EXPIRY_WARNING_DAYS,
    now: dt.datetime | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Diagnosis:
    """Check the connection that ``settings`` describe; ``other`` are the endpoints of the
    environment its credentials could belong to instead (for the wrong-environment case)."""
    now = now or dt.datetime.now(dt.UTC)
    http = _quick(settings.http, timeout)
    result = Diagnosis(settings.environment, settings.token_url, settings.api_url)
    checks = result.checks
    urls = _url_check(settings)
    checks.append(urls)
    if urls.status is Status.FAIL:
        return result
    client = ChorusClient(
        token_url=settings.token_url,
        api_url=settings.api_url,
        credentials=settings.credentials,
        http=http,
        transport=transport,
        environment=settings.environment,
    )
    try:
        token = _token_check(settings, client, other, http, transport)
        checks.append(token)
        if token.status is Status.FAIL:
            return result
        account_refused = False
        for api, probe in _probes(client).items():
            title = _API_TITLES[api]
            optional = api is Api.ENGAGEMENTS_JURIDIQUES
            try:
                probe()
            except ApiNotSubscribedError:
                checks.append(
                    Check(
                        f"API {title}",
                        Status.INFO if optional else Status.FAIL,
                        f"The PISTE application is not subscribed to the API {title} (HTTP 403)"
                        + (
                            "; it is needed only to look up engagement numbers."
                            if optional
                            else "."
                        ),
                        f"In {PISTE_APP_PAGE} > Modifier l'application, tick the API "
                        f"'{title}' (accept its CGU on the consent page first) and save.",
                        "api_not_subscribed",
                    )
                )
                continue
            except TechnicalAccountError:
                account_refused = True
            except BusinessError:
                pass  # the gateway let the call through: the API is attached
            except TransportError as error:
                checks.append(
                    _transport_check(f"API {title}", error, f"The API host {settings.api_url}")
                )
                return result
            except ChorusError as error:
                checks.append(
                    Check(f"API {title}", Status.FAIL, error.message, error.fix, "api_error")
                )
                continue
            checks.append(Check(f"API {title}", Status.OK, "attached to the application"))
        if account_refused:
            checks.append(_account_check(settings))
            return result
        checks.append(
            Check("technical account", Status.OK, f"'{settings.credentials.login}' accepted")
        )
        try:
            checks.append(_expiry_check(client, now, warn_days))
        except ApiNotSubscribedError:
            checks.append(
                Check(
                    "technical password",
                    Status.SKIP,
                    "Its expiry is read through the Utilisateurs and Structures APIs, not both "
                    "attached.",
                )
            )
        except ChorusError as error:
            checks.append(
                Check("technical password", Status.WARN, error.message, error.fix, "expiry_unknown")
            )
    finally:
        client.close()
    return result
