"""PISTE and the technical account, checked on every call as the real platform does."""

from __future__ import annotations

import asyncio
import base64
import time
from pathlib import Path

import httpx

from chorusflow.sandbox.app import create_app
from chorusflow.sandbox.settings import FAST
from chorusflow.sandbox.store import Jeton, Store
from tests.sandbox.conftest import JSON, Api
from tests.sandbox.invoices import BUYER_NONE, SUPPLIER

SEARCH = "/cpro/factures/v1/rechercher/fournisseur"
STRUCTURES = "/cpro/structures/v1/rechercher"


def token_answer(api: Api, **form: str) -> httpx.Response:
    return api.http.post("/api/oauth/token", data=form)


def test_token_endpoint_speaks_oauth2_client_credentials(api: Api) -> None:
    app = api.application()
    ok = token_answer(
        api,
        grant_type="client_credentials",
        client_id=app["client_id"],
        client_secret=app["client_secret"],
        scope="openid",
    )
    assert ok.status_code == 200
    assert (
        ok.json()["token_type"] == "Bearer"
        and ok.json()["expires_in"] == 3600
        and ok.json()["scope"] == "openid"
    )
    bad = token_answer(
        api, grant_type="client_credentials", client_id=app["client_id"], client_secret="wrong"
    )
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_client"
    grant = token_answer(
        api, grant_type="password", client_id=app["client_id"], client_secret=app["client_secret"]
    )
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"
    basic = base64.b64encode(f"{app['client_id']}:{app['client_secret']}".encode()).decode()
    via_basic = api.http.post(
        "/api/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert via_basic.status_code == 200


def test_missing_unknown_and_expired_tokens_get_401(api: Api) -> None:
    account = api.account(SUPPLIER)
    for authorization in (None, "Bearer nope", "Basic abc"):
        headers = {**JSON, "cpro-account": account}
        if authorization:
            headers["Authorization"] = authorization
        answer = api.http.post(SEARCH, json={}, headers=headers)
        assert answer.status_code == 401 and answer.headers["www-authenticate"].startswith("Bearer")
    with api.sandbox.store.session() as session:
        app = api.application()
        session.add(
            Jeton(valeur="expired-token", client_id=app["client_id"], expire_a=time.time() - 1)
        )
    expired = api.http.post(
        SEARCH,
        json={},
        headers={**JSON, "cpro-account": account, "Authorization": "Bearer expired-token"},
    )
    assert expired.status_code == 401 and "expired" in expired.json()["error_description"]


def test_an_api_not_attached_to_the_application_gets_403(api: Api) -> None:
    headers = {**api.headers(SUPPLIER, full=False)}
    assert api.http.post(SEARCH, json={}, headers=headers).status_code == 403
    assert api.http.post(STRUCTURES, json={}, headers=headers).status_code == 200


def test_a_wrong_cpro_account_gets_401(api: Api) -> None:
    tech = api.party(SUPPLIER)["technical_account"]
    user = api.party(SUPPLIER)["users"][0]
    expired = api.party("73282932000074")["technical_account"]
    for value in (
        None,
        "not base64!",
        base64.b64encode(b"no-colon").decode(),
        base64.b64encode(f"{tech['login']}:wrong".encode()).decode(),
        base64.b64encode(f"{user['login']}:{user['password']}".encode()).decode(),
        base64.b64encode(f"{expired['login']}:{expired['password']}".encode()).decode(),
    ):
        headers = {**JSON, "Authorization": f"Bearer {api.token()}"}
        if value is not None:
            headers["cpro-account"] = value
        answer = api.http.post(SEARCH, json={}, headers=headers)
        assert answer.status_code == 401, value


def test_an_application_the_structure_has_not_connected_gets_401(api: Api) -> None:
    stranger = api.application(connected=False)
    assert stranger["name"] == "APP_SANDBOX_non_raccordee" and "factures" in stranger["apis"]
    assert stranger["connected_sirets"] == []
    everyone = {p["siret"] for p in api.data["suppliers"] + api.data["buyers"]}
    assert set(api.application()["connected_sirets"]) == everyone
    assert set(api.application(full=False)["connected_sirets"]) == everyone
    answer = api.http.post(SEARCH, json={}, headers=api.headers(SUPPLIER, connected=False))
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_cpro_account"
    assert "raccordement PISTE" in answer.json()["error_description"]
    assert answer.headers["www-authenticate"].startswith("Bearer")
    # the token itself is good: the health check, which carries no account, answers
    health = api.http.get(
        "/cpro/transverses/v1/health-check",
        headers={"Authorization": f"Bearer {api.token(connected=False)}"},
    )
    assert health.status_code == 200


def test_an_account_sees_its_own_structure_only(api: Api) -> None:
    mine = api.call(
        SEARCH, {"rechercheFactureParFournisseur": {"nbResultatsParPage": 500}}, SUPPLIER
    )
    other = "81234567600009"
    theirs = api.call(
        SEARCH, {"rechercheFactureParFournisseur": {"nbResultatsParPage": 500}}, other
    )
    assert mine["listeFactures"] and {f["codeFournisseur"] for f in mine["listeFactures"]} == {
        SUPPLIER
    }
    assert all(f["codeFournisseur"] == other for f in theirs.get("listeFactures", []))
    some_id = mine["listeFactures"][0]["identifiantFactureCPP"]
    for path, body in (
        ("/cpro/factures/v1/consulter/fournisseur", {"identifiantFactureCPP": some_id}),
        ("/cpro/factures/v1/consulter/historique", {"idFacture": some_id}),
        (
            "/cpro/factures/v1/telecharger/groupe",
            {"format": "PDF", "listeFacture": [{"idFacture": some_id}]},
        ),
        (SEARCH, {"idFournisseur": api.party(SUPPLIER)["id_structure"]}),
    ):
        answer = api.call(path, body, other)
        assert answer["codeRetour"] != 0 or not answer.get("listeFactures"), path
    private = api.call(STRUCTURES, {"structure": {"identifiantStructure": SUPPLIER}}, other)
    assert private.get("listeStructures", []) == []
    consult = api.call(
        "/cpro/structures/v1/consulter",
        {"idStructureCPP": api.party(SUPPLIER)["id_structure"]},
        other,
    )
    assert consult["codeRetour"] != 0
    buyer_view = api.call(
        "/cpro/factures/v1/consulter/recipiendaire",
        {"identifiantFactureCPP": some_id},
        "12345678200028",
    )
    assert buyer_view["codeRetour"] != 0, "only the invoice's own buyer sees it"
    assert (
        api.call(
            "/cpro/factures/v1/consulter/recipiendaire",
            {"identifiantFactureCPP": some_id},
            BUYER_NONE,
        )["codeRetour"]
        == 0
    )


def test_the_technical_account_learns_its_structure_and_password_expiry(api: Api) -> None:
    mine = api.call("/cpro/utilisateurs/v1/monCompte/recuperer/rattachements", {}, SUPPLIER)
    (attachment,) = mine["listeStructureRattachement"]
    assert (
        attachment["identifiantStructure"] == SUPPLIER
        and attachment["idStructure"] == api.party(SUPPLIER)["id_structure"]
    )
    soon = api.party("93125027408770")
    structure = api.call(
        "/cpro/structures/v1/consulter", {"idStructureCPP": soon["id_structure"]}, "93125027408770"
    )
    expiry = structure["informationGenerales"]["dateExpirationMotPasseCompteTech"]
    assert expiry[:10] == soon["technical_account"]["password_expires"]


def test_revoked_tokens_get_401_and_a_new_token_works(api: Api) -> None:
    assert api.http.post("/admin/tokens/revoke").json()["revoked"] >= 1
    assert api.post(SEARCH, {}, SUPPLIER).status_code == 401
    api.forget_tokens()
    assert api.post(SEARCH, {}, SUPPLIER).status_code == 200


def test_admin_endpoints_answer_loopback_callers_only(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    app = create_app(store, FAST, process=False)
    for client, expected in ((("203.0.113.5", 4000), 403), (("127.0.0.1", 4000), 200)):
        transport = httpx.ASGITransport(app=app, client=client)

        async def ask(transport: httpx.ASGITransport = transport) -> int:
            async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as http:
                return (await http.get("/admin/faults")).status_code

        assert asyncio.run(ask()) == expected
    store.close()
