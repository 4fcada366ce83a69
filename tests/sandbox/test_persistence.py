"""A restart keeps everything: data set, tokens, flows waiting, invoices and their history."""

from __future__ import annotations

import sqlite3
import time
import uuid
from dataclasses import replace
from pathlib import Path

import httpx

from chorusflow.chorus.wire.operations import Api as ApiName
from chorusflow.sandbox.server import start
from tests.sandbox.conftest import FAST, Api
from tests.sandbox.invoices import SUPPLIER, Facture, ubl

SEARCH = "/cpro/factures/v1/rechercher/fournisseur"


def test_a_restart_keeps_everything(tmp_path: Path) -> None:
    slow = replace(FAST, flow_delay=1.0)
    first = start(tmp_path / "s.db", slow)
    data = httpx.post(first.url + "/admin/dataset", timeout=30).json()
    api = Api(first, data)
    number = f"R-{uuid.uuid4().hex[:8]}"
    numero = api.deposit(ubl(Facture(number)), "r.xml", "IN_DP_E1_UBL_INVOICE", SUPPLIER)
    token = api.token()
    first.stop()  # before the flow was processed
    api.close()

    second = start(tmp_path / "s.db", FAST)
    try:
        again = httpx.post(second.url + "/admin/dataset", timeout=30).json()
        assert again["created"] is False and again["applications"] == data["applications"]
        api = Api(second, data)
        api._tokens[api.application()["client_id"]] = token  # the token outlives the restart
        cr = api.report(numero, SUPPLIER)
        assert cr["etatCourantDepotFlux"] == "IN_INTEGRE"
        (found,) = api.invoices_of_flow(numero, SUPPLIER)
        assert found["numeroFacture"] == number
        api.wait_status(found["identifiantFactureCPP"], SUPPLIER, {"MISE_EN_PAIEMENT"})
    finally:
        second.stop()
    third = start(tmp_path / "s.db", FAST)
    try:
        api = Api(third, data)
        history = api.call(
            "/cpro/factures/v1/consulter/historique",
            {"idFacture": found["identifiantFactureCPP"]},
            SUPPLIER,
        )
        codes = [h["histoStatutCode"] for h in history["historiquesDesStatuts"]["histoStatut"]]
        assert codes[0] == "MISE_EN_PAIEMENT" and codes[-1] == "DEPOSEE" and len(codes) == 6
        assert time.time() > 0
    finally:
        third.stop()


def test_a_database_made_before_raccordements_keeps_working(tmp_path: Path) -> None:
    """A data set without raccordements (an earlier sandbox's) is connected to every
    application it had, and gains the application no structure connected."""
    api_names = [a.value for a in ApiName]
    first = start(tmp_path / "old.db", FAST)
    data = httpx.post(first.url + "/admin/dataset", timeout=30).json()
    first.stop()
    with sqlite3.connect(tmp_path / "old.db") as db:  # as an earlier sandbox left it
        db.execute("DELETE FROM raccordement")
        db.execute("DELETE FROM application WHERE nom = 'APP_SANDBOX_non_raccordee'")
    second = start(tmp_path / "old.db", FAST)
    try:
        again = httpx.post(second.url + "/admin/dataset", timeout=30).json()
        assert again["created"] is False
        before = {a["name"]: a for a in data["applications"]}
        after = {a["name"]: a for a in again["applications"]}
        assert after.keys() == before.keys()
        stranger = after.pop("APP_SANDBOX_non_raccordee")
        assert stranger["connected_sirets"] == [] and stranger["apis"] == api_names
        assert all(after[name] == before[name] for name in after), "the others are unchanged"
        api = Api(second, again)
        assert api.post(SEARCH, {}, SUPPLIER).status_code == 200
        refused = api.http.post(SEARCH, json={}, headers=api.headers(SUPPLIER, connected=False))
        assert refused.status_code == 401
        api.close()
    finally:
        second.stop()
