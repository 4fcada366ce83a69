"""PISTE OAuth2 and the Chorus Pro technical account, checked on every call as they are.

* ``POST /api/oauth/token`` (client_credentials, scope openid) hands out Bearer tokens of
  3600 s; wrong client credentials get HTTP 400 ``invalid_client`` (API.md §1.2).
* Every API call needs a live Bearer token (401 otherwise), an application to which the
  API is attached (403 otherwise) and a ``cpro-account`` header, base64 of
  ``login:password`` of a technical account whose password has not expired (401 otherwise).
* The technical account's structure must have connected the token's application
  (raccordement PISTE, declared in Chorus Pro with the application's exact name): 401
  ``invalid_cpro_account`` otherwise, the account being refused through that application.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import secrets
import threading
import time
from dataclasses import dataclass

from sqlalchemy import select, update

from chorusflow.chorus.wire.piste import JetonPiste
from chorusflow.sandbox.errors import GatewayError
from chorusflow.sandbox.store import (
    Application,
    Jeton,
    Raccordement,
    Store,
    Structure,
    Utilisateur,
)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling: the technical account and the structure it acts for."""

    user_id: int
    login: str
    structure_id: int
    siret: str
    publique: bool
    role: str


@dataclass(frozen=True, slots=True)
class _Token:
    client_id: str
    expires_at: float
    apis: frozenset[str]


class Authority:
    """Issues tokens and checks credentials; caches what it read, the database is the truth."""

    def __init__(self, store: Store, token_lifetime: int) -> None:
        self.store = store
        self.token_lifetime = token_lifetime
        self._tokens: dict[str, _Token] = {}
        self._accounts: dict[str, tuple[Caller, dt.datetime]] = {}
        self._connections: frozenset[tuple[str, int]] | None = None
        self._lock = threading.Lock()

    # --- PISTE ---------------------------------------------------------------------

    def issue(
        self, grant_type: str | None, client_id: str | None, secret: str | None
    ) -> JetonPiste:
        """The token answer of PISTE, or a GatewayError with the OAuth2 error code."""
        if grant_type != "client_credentials":
            raise GatewayError(
                400, "unsupported_grant_type", "Only grant_type=client_credentials is supported."
            )
        if not client_id or not secret:
            raise GatewayError(400, "invalid_client", "client_id and client_secret are required.")
        with self.store.session() as session:
            app = session.get(Application, client_id)
            if app is None or not secrets.compare_digest(app.client_secret, secret):
                raise GatewayError(400, "invalid_client", "Client authentication failed.")
            value = secrets.token_urlsafe(32)
            expires = time.time() + self.token_lifetime
            session.add(Jeton(valeur=value, client_id=client_id, expire_a=expires))
            apis = frozenset(app.apis.split())
        with self._lock:
            self._tokens[value] = _Token(client_id, expires, apis)
        return JetonPiste(access_token=value, expires_in=self.token_lifetime, scope="openid")

    def revoke_all(self) -> int:
        """Invalidate every token handed out (a fault PISTE has on a bad day)."""
        with self.store.session() as session:
            result = session.execute(
                update(Jeton).where(Jeton.revoque.is_(False)).values(revoque=True)
            )
            count = int(getattr(result, "rowcount", 0) or 0)
        with self._lock:
            self._tokens.clear()
        return count

    def _token(self, value: str) -> _Token | None:
        with self._lock:
            cached = self._tokens.get(value)
        if cached is not None:
            return cached
        with self.store.session() as session:
            row = session.get(Jeton, value)
            if row is None or row.revoque:
                return None
            app = session.get(Application, row.client_id)
            token = _Token(row.client_id, row.expire_a, frozenset(app.apis.split() if app else ()))
        with self._lock:
            self._tokens[value] = token
        return token

    def check_bearer(self, authorization: str | None, api: str) -> str:
        """The client id behind a valid token for ``api``; GatewayError 401/403 otherwise."""
        if not authorization or not authorization.lower().startswith("bearer "):
            raise GatewayError(401, "invalid_token", "Missing Bearer token.")
        token = self._token(authorization[7:].strip())
        if token is None:
            raise GatewayError(401, "invalid_token", "Invalid access token.")
        if token.expires_at <= time.time():
            raise GatewayError(401, "invalid_token", "Access token expired.")
        if api not in token.apis:
            raise GatewayError(
                403,
                "access_denied",
                f"The API '{api}' is not attached to this application.",
            )
        return token.client_id

    # --- Chorus Pro technical account ------------------------------------------------

    def check_account(self, header: str | None) -> Caller:
        """The technical account named by ``cpro-account``; GatewayError 401 otherwise."""
        if not header:
            raise GatewayError(401, "invalid_cpro_account", "Missing cpro-account header.")
        with self._lock:
            cached = self._accounts.get(header)
        if cached is not None and cached[1] > dt.datetime.now(dt.UTC):
            return cached[0]
        try:
            text = base64.b64decode(header.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise GatewayError(
                401, "invalid_cpro_account", "cpro-account is not base64 of login:password."
            ) from None
        login, sep, password = text.partition(":")
        if not sep:
            raise GatewayError(
                401, "invalid_cpro_account", "cpro-account is not base64 of login:password."
            )
        with self.store.session() as session:
            user = session.scalar(select(Utilisateur).where(Utilisateur.login == login))
            if user is None or not secrets.compare_digest(user.password, password):
                raise GatewayError(
                    401, "invalid_cpro_account", "Wrong technical account login or password."
                )
            if not user.technique:
                raise GatewayError(
                    401, "invalid_cpro_account", "This user is not a technical account."
                )
            if user.expiration_mot_de_passe <= dt.datetime.now(dt.UTC):
                raise GatewayError(
                    401, "invalid_cpro_account", "The technical account's password has expired."
                )
            structure = session.get(Structure, user.structure_id)
            assert structure is not None
            caller = Caller(
                user_id=user.id,
                login=user.login,
                structure_id=structure.id,
                siret=structure.identifiant,
                publique=structure.publique,
                role=user.role,
            )
            expiry = user.expiration_mot_de_passe
        with self._lock:
            self._accounts[header] = (caller, expiry)
        return caller

    def check_connection(self, client_id: str, caller: Caller) -> None:
        """Refuse (401) a technical account whose structure has not connected the token's
        PISTE application: the real platform accepts an account only through an application
        its structure declared (raccordement PISTE)."""
        with self._lock:
            connections = self._connections
        if connections is None:
            with self.store.session() as session:
                rows = session.execute(select(Raccordement.client_id, Raccordement.structure_id))
                connections = frozenset((row[0], row[1]) for row in rows)
            with self._lock:
                self._connections = connections
        if (client_id, caller.structure_id) not in connections:
            raise GatewayError(
                401,
                "invalid_cpro_account",
                f"The structure {caller.siret} of this technical account has not connected "
                "this PISTE application (Raccordement EDI et API > Déclarer un raccordement "
                "PISTE).",
            )

    def forget_accounts(self) -> None:
        """Drop cached accounts and raccordements (after the data set changed)."""
        with self._lock:
            self._accounts.clear()
            self._connections = None
