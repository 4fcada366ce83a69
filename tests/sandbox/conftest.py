"""A real sandbox over loopback: uvicorn on a free port, a temporary SQLite database."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from chorusflow.sandbox.faults import FaultPlan
from chorusflow.sandbox.server import RunningSandbox, start
from chorusflow.sandbox.settings import FAST, BuyerPolicy, SandboxSettings

JSON = {"Content-Type": "application/json;charset=utf-8"}


class Api:
    """A client of the sandbox as a real integration would be: token, then calls."""

    def __init__(self, sandbox: RunningSandbox, data: dict[str, Any]) -> None:
        self.sandbox = sandbox
        self.data = data
        self.http = httpx.Client(base_url=sandbox.url, timeout=30)
        self._tokens: dict[str, str] = {}

    def application(self, full: bool = True, connected: bool = True) -> dict[str, Any]:
        """The application with every API (``full``) or the one without Factures, which the
        structures have connected (raccordement PISTE); or the one no structure connected."""
        if not connected:
            name = "APP_SANDBOX_non_raccordee"
        else:
            name = "APP_SANDBOX_chorusflow" if full else "APP_SANDBOX_sans_factures"
        return next(a for a in self.data["applications"] if a["name"].startswith(name))

    def lacking(self, api: str) -> dict[str, Any]:
        """A connected application to which ``api`` is not attached."""
        return next(
            a for a in self.data["applications"] if api not in a["apis"] and a["connected_sirets"]
        )

    def token_of(self, app: dict[str, Any]) -> str:
        """A token of ``app`` (kept for the next calls)."""
        if app["client_id"] not in self._tokens:
            answer = self.http.post(
                "/api/oauth/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": app["client_id"],
                    "client_secret": app["client_secret"],
                    "scope": "openid",
                },
            )
            answer.raise_for_status()
            self._tokens[app["client_id"]] = answer.json()["access_token"]
        return self._tokens[app["client_id"]]

    def token(self, full: bool = True, connected: bool = True) -> str:
        return self.token_of(self.application(full, connected))

    def forget_tokens(self) -> None:
        self._tokens.clear()

    def party(self, siret: str) -> dict[str, Any]:
        return next(p for p in self.data["suppliers"] + self.data["buyers"] if p["siret"] == siret)

    def account(self, siret: str) -> str:
        tech = self.party(siret)["technical_account"]
        return base64.b64encode(f"{tech['login']}:{tech['password']}".encode()).decode()

    def headers(self, siret: str, full: bool = True, connected: bool = True) -> dict[str, str]:
        return {
            **JSON,
            "Authorization": f"Bearer {self.token(full, connected)}",
            "cpro-account": self.account(siret),
        }

    def post(self, path: str, body: Any, siret: str, **kwargs: Any) -> httpx.Response:
        return self.http.post(path, json=body, headers=self.headers(siret), **kwargs)

    def call(self, path: str, body: Any, siret: str) -> dict[str, Any]:
        """A call that must succeed at the HTTP level; the decoded body."""
        response = self.post(path, body, siret)
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def deposit(self, data: bytes, name: str, syntaxe: str, siret: str) -> str:
        answer = self.call(
            "/cpro/factures/v1/deposer/flux",
            {
                "fichierFlux": base64.b64encode(data).decode(),
                "nomFichier": name,
                "syntaxeFlux": syntaxe,
            },
            siret,
        )
        assert answer["codeRetour"] == 0, answer
        numero: str = answer["numeroFluxDepot"]
        return numero

    def report(self, numero: str, siret: str, timeout: float = 60) -> dict[str, Any]:
        """consulterCRDetaille once the flow is final."""
        deadline = time.monotonic() + timeout
        while True:
            cr = self.call(
                "/cpro/transverses/v1/consulterCRDetaille", {"numeroFluxDepot": numero}, siret
            )
            if cr["etatCourantDepotFlux"] in ("IN_INTEGRE", "IN_INTEGRE_PARTIEL", "IN_REJETE"):
                return cr
            assert time.monotonic() < deadline, cr
            time.sleep(0.05)

    def invoices_of_flow(self, numero: str, siret: str) -> list[dict[str, Any]]:
        found = self.call(
            "/cpro/factures/v1/rechercher/fournisseur",
            {
                "numeroFluxDepot": numero,
                "rechercheFactureParFournisseur": {"nbResultatsParPage": 100},
            },
            siret,
        )
        items: list[dict[str, Any]] = found.get("listeFactures", [])
        return items

    def status(self, facture_id: int, siret: str) -> str:
        history = self.call(
            "/cpro/factures/v1/consulter/historique", {"idFacture": facture_id}, siret
        )
        status: str = history["statutCourantCode"]
        return status

    def wait_status(
        self, facture_id: int, siret: str, wanted: set[str], timeout: float = 30
    ) -> str:
        deadline = time.monotonic() + timeout
        while True:
            status = self.status(facture_id, siret)
            if status in wanted:
                return status
            assert time.monotonic() < deadline, status
            time.sleep(0.03)

    def close(self) -> None:
        self.http.close()


def launch(
    tmp: Path, settings: SandboxSettings = FAST, faults: FaultPlan | None = None
) -> tuple[RunningSandbox, Api]:
    sandbox = start(tmp / "sandbox.db", settings, faults)
    data = httpx.post(sandbox.url + "/admin/dataset", timeout=30).json()
    return sandbox, Api(sandbox, data)


#: The buyer acts only through the API: invoices wait at MISE_A_DISPOSITION.
MANUAL = replace(FAST, policy=replace(FAST.policy, automatic=False))


@pytest.fixture(scope="session")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One manual-buyer sandbox shared by the tests of a worker."""
    sandbox, client = launch(tmp_path_factory.mktemp("sandbox"), MANUAL)
    yield client
    client.close()
    sandbox.stop()


__all__ = ["MANUAL", "Api", "BuyerPolicy", "launch"]
