"""A real sandbox over loopback for the client's tests, and clients bound to its accounts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from chorusflow.chorus import ChorusClient, Credentials, HttpOptions, Secret
from tests.sandbox.conftest import MANUAL, Api, launch

SUPPLIER = "90123456700005"
OTHER_SUPPLIER = "81234567600009"
EXPIRING_SUPPLIER = "93125027408770"
EXPIRED_SUPPLIER = "73282932000074"
BUYER_EJ = "12345678200036"
COMMUNE = "21380185500015"

#: No proxy from the environment: the tests talk to loopback only.
LOCAL = HttpOptions(trust_env=False)


class Recorder(httpx.HTTPTransport):
    """A real HTTP transport that also keeps every request it sent (method, path, JSON)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, str, Any]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body: Any = None
        content = request.read()
        if content and request.headers.get("content-type", "").startswith("application/json"):
            body = json.loads(content)
        self.sent.append((request.method, request.url.path, body))
        return super().handle_request(request)


@dataclass
class Bench:
    """The sandbox, its data set and a way to make clients for its accounts."""

    api: Api
    clients: list[ChorusClient] = field(default_factory=list)

    @property
    def data(self) -> dict[str, Any]:
        return self.api.data

    @property
    def url(self) -> str:
        return self.api.sandbox.url

    def credentials(
        self, siret: str = SUPPLIER, *, full: bool = True, connected: bool = True
    ) -> Credentials:
        app = self.api.application(full, connected)
        tech = self.api.party(siret)["technical_account"]
        return Credentials(
            app["client_id"], Secret(app["client_secret"]), tech["login"], Secret(tech["password"])
        )

    def client(
        self,
        siret: str = SUPPLIER,
        *,
        full: bool = True,
        credentials: Credentials | None = None,
        http: HttpOptions = LOCAL,
        transport: httpx.BaseTransport | None = None,
        api_url: str | None = None,
    ) -> ChorusClient:
        client = ChorusClient(
            token_url=self.data["token_url"],
            api_url=api_url or self.data["api_url"],
            credentials=credentials or self.credentials(siret, full=full),
            http=http,
            transport=transport,
        )
        self.clients.append(client)
        return client

    def faults(self, spec: str) -> None:
        answer = httpx.put(self.url + "/admin/faults", content=spec, timeout=10)
        assert answer.status_code == 200, answer.text

    def revoke_tokens(self) -> int:
        answer = httpx.post(self.url + "/admin/tokens/revoke", timeout=10)
        revoked: int = answer.json()["revoked"]
        return revoked

    def close(self) -> None:
        for client in self.clients:
            client.close()
        self.clients.clear()


def start_bench(tmp: Path, **changes: Any) -> tuple[Callable[[], None], Bench]:
    settings = MANUAL.with_(**changes) if changes else MANUAL
    sandbox, api = launch(tmp, settings)
    bench = Bench(api)

    def stop() -> None:
        bench.close()
        api.close()
        sandbox.stop()

    return stop, bench


@pytest.fixture(scope="session")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    """One manual-buyer sandbox shared by the client tests of a worker (no faults on it)."""
    stop, shared = start_bench(tmp_path_factory.mktemp("chorus"))
    yield shared
    stop()


@pytest.fixture
def supplier(bench: Bench) -> Iterator[ChorusClient]:
    client = bench.client(SUPPLIER)
    yield client
    client.close()
