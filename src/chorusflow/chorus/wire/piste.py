"""Wire models of the PISTE OAuth2 token endpoint (API.md §1.2).

``POST <token url>`` with the form ``grant_type=client_credentials``, ``client_id``,
``client_secret``, ``scope=openid``; the answer is a Bearer token of 3600 s. Wrong client
credentials get HTTP 400 with ``error`` = ``invalid_client``.
"""

from __future__ import annotations

from pydantic import Field

from chorusflow.chorus.wire.base import WireModel


class DemandeJeton(WireModel):
    """The form of a token request (sent as application/x-www-form-urlencoded)."""

    grant_type: str = "client_credentials"
    client_id: str
    client_secret: str
    scope: str = "openid"


class JetonPiste(WireModel):
    """A PISTE access token."""

    access_token: str
    token_type: str = "Bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int = Field(default=3600, description="Lifetime in seconds.")
    scope: str | None = "openid"


class ErreurOAuth(WireModel):
    """An OAuth2 error answer (token endpoint, or the gateway refusing a call)."""

    error: str
    error_description: str | None = None
