"""A restart keeps everything: data set, tokens, flows waiting, invoices and their history."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from pathlib import Path

import httpx

from chorusflow.sandbox.server import start
from tests.sandbox.conftest import FAST, Api
from tests.sandbox.invoices import SUPPLIER, Facture, ubl


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
