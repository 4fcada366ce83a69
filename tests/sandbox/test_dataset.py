"""The data set: its JSON shape, the shared qualification structures, and the examples route."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chorusflow.cli.main import run as chorusflow
from chorusflow.formats.model_json import read_json
from chorusflow.model import routing
from chorusflow.rules.chorus import routing_findings
from chorusflow.sandbox.dataset import EXISTING
from chorusflow.sandbox.directory import buyer_entry
from tests.conftest import example_paths
from tests.sandbox.conftest import Api


def test_json_shape_is_the_one_the_issue_specifies(api: Api) -> None:
    data = api.data
    assert (
        data["token_url"] == api.sandbox.url + "/api/oauth/token"
        and data["api_url"] == api.sandbox.url
    )
    assert all({"client_id", "client_secret"} <= set(a) for a in data["applications"])
    for supplier in data["suppliers"]:
        assert {"siret", "id_structure"} <= set(supplier)
        assert {"login", "password", "password_expires"} <= set(supplier["technical_account"])
    for buyer in data["buyers"]:
        assert {
            "siret",
            "id_structure",
            "requires_service_code",
            "requires_engagement",
            "active",
            "services",
        } <= set(buyer)
        assert all({"code", "active"} <= set(s) for s in buyer["services"])
    assert all({"number", "buyer_siret"} <= set(e) for e in data["engagements"])


def test_shared_qualification_structures_and_their_demands(api: Api) -> None:
    buyers = {b["siret"]: b for b in api.data["buyers"]}
    codes = {siret: {s["code"] for s in b["services"]} for siret, b in buyers.items()}
    assert "SFACETAT" in codes["11000201100044"]
    assert (
        buyers["12345678200028"]["requires_service_code"]
        and "SERVICE_DEST_SERV_OBL" in codes["12345678200028"]
    )
    assert buyers["12345678200036"]["requires_engagement"]
    assert (
        buyers["12345678200044"]["service_or_engagement"]
        and "SERVICE_DEST_EJ_OU_SERV_OBL" in codes["12345678200044"]
    )
    none = buyers["12345678200051"]
    assert not (
        none["requires_service_code"]
        or none["requires_engagement"]
        or none["service_or_engagement"]
    )
    assert any(not b["active"] for b in buyers.values()), "an inactive structure"
    assert any(not s["active"] for b in buyers.values() for s in b["services"]), (
        "an inactive service"
    )
    assert any(s["requires_engagement"] for b in buyers.values() for s in b["services"])
    assert any(
        e["number"] == "EJ-2026-000451" and e["buyer_siret"] == "12345678200036"
        for e in api.data["engagements"]
    )


def test_existing_invoices_cover_every_status_a_supplier_sees(api: Api) -> None:
    assert {i["status"] for i in api.data["invoices"]} == {s.value for s in EXISTING}
    supplier = api.data["invoices"][0]["supplier_siret"]
    for invoice in api.data["invoices"]:
        assert api.status(invoice["id"], supplier) == invoice["status"]


def test_bundled_examples_route_in_the_sandbox(api: Api) -> None:
    sirets = {s["siret"] for s in api.data["suppliers"]}
    paths = example_paths()
    assert paths
    with api.sandbox.store.session() as session:
        for path in paths:
            invoice = read_json(path.read_bytes())
            route = routing(invoice)
            assert route.seller_siret in sirets, path.name
            assert routing_findings(invoice, buyer_entry(session, route.buyer_siret)) == [], (
                path.name
            )


def test_the_engagements_search_finds_the_buyers_commitments(api: Api) -> None:
    found = api.call(
        "/cpro/engagementsJuridiques/v1/rechercher",
        {"numeroEngagementJuridique": "EJ-2026-000451"},
        "90123456700005",
    )
    (engagement,) = found["listeEngagementJuridique"]
    assert (
        engagement["identifiantStructureReceptrice"] == "90123456700005"
        and engagement["libelleEtatCourantEJ"] == "COMMANDE"
    )
    other = api.call(
        "/cpro/engagementsJuridiques/v1/rechercher",
        {"numeroEngagementJuridique": "EJ-2026-000451"},
        "85412369200006",
    )
    assert other.get("listeEngagementJuridique", []) == []


def test_dataset_command_on_a_database_file_is_stable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "d.db"
    outputs = []
    for _ in range(2):
        with pytest.raises(SystemExit) as done:
            chorusflow(["sandbox", "dataset", "--db", str(db), "--json"])
        assert done.value.code == 0
        outputs.append(json.loads(capsys.readouterr().out))
    first, second = outputs
    assert first["created"] is True and second["created"] is False
    first.pop("created"), second.pop("created")
    assert first == second
    assert first["token_url"] == "http://127.0.0.1:8340/api/oauth/token"
