"""The authorisation matrix: every operation × the six ways a caller may not be entitled.

Five are the gateway's (no token, expired token, an application the structure has not
connected, an API not attached to the application, a wrong cpro-account): each is refused
with its HTTP status. The sixth is another supplier's valid technical account calling with a
body that names the first supplier's objects (invoice ids and numbers, flow numbers,
attachments, structure id, SIRET, engagements): the answer is a refusal or shows none of
them, and nothing of the first supplier's changes.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from chorusflow.chorus.wire.operations import OPERATIONS, Operation
from chorusflow.sandbox import errors
from chorusflow.sandbox.store import Facture, Flux, HistoAction, HistoStatut, Jeton, PieceJointe
from tests.sandbox import test_operations, test_swagger_conformance
from tests.sandbox.conftest import JSON, Api
from tests.sandbox.invoices import BUYER_NONE, SUPPLIER, ubl
from tests.sandbox.invoices import Facture as Invoice

OTHER = "81234567600009"
CASES = (
    "no token",
    "expired token",
    "wrong application",
    "API not attached",
    "wrong cpro-account",
    "another supplier",
)
#: Cases that concern the technical account: an operation without one (the health check)
#: carries no account and no data, so they do not apply to it.
ACCOUNT_CASES = frozenset({"wrong application", "wrong cpro-account", "another supplier"})
#: (operation, case) → "refused" or "n/a", filled as the tests run; the summary completes it.
RESULTS: dict[tuple[str, str], str] = {}


# --- the first supplier's world -----------------------------------------------------------


@pytest.fixture(scope="module")
def expired(api: Api) -> str:
    value = f"matrix-expired-{uuid.uuid4().hex[:8]}"
    with api.sandbox.store.session() as session:
        session.add(
            Jeton(valeur=value, client_id=api.application()["client_id"], expire_a=time.time() - 60)
        )
    return value


@pytest.fixture(scope="module")
def world(api: Api) -> dict[str, Any]:
    """The first supplier's objects: the data set's invoices, one flow and its invoice made
    available to its buyer, an attachment, and the sample bodies of the other tests."""
    w = test_swagger_conformance.make_world(api)
    name = f"pj-{uuid.uuid4().hex[:8]}.txt"
    added = api.call(
        "/cpro/transverses/v1/ajouter/fichier",
        {
            "pieceJointeFichier": base64.b64encode(b"confidential").decode(),
            "pieceJointeNom": name,
            "pieceJointeTypeMime": "text/plain",
            "pieceJointeExtension": "txt",
        },
        SUPPLIER,
    )
    assert added["codeRetour"] == 0
    w["piece"], w["piece_name"] = added["pieceJointeId"], name
    w["by_status"] = {
        f["status"]: f["id"] for f in api.data["invoices"] if f["supplier_siret"] == SUPPLIER
    }
    w["others"] = test_operations.bodies(api)  # deposits and ends one more flow of SUPPLIER
    w["flows"] = {w["flux"], w["others"]["consulterCR"]["numeroFluxDepot"]}
    return w


def markers(api: Api, w: dict[str, Any]) -> tuple[set[str], set[int]]:
    """What only the first supplier (and its buyers) may see: text and ids."""
    supplier = api.party(SUPPLIER)
    text = {SUPPLIER, supplier["designation"], w["numero"], w["piece_name"], *w["flows"]}
    text |= {f["number"] for f in api.data["invoices"] if f["supplier_siret"] == SUPPLIER}
    text |= {e["number"] for e in api.data["engagements"] if e["supplier_siret"] == SUPPLIER}
    ids = {w["facture"], supplier["id_structure"], *w["by_status"].values()}
    return text, ids


def snapshot(api: Api, w: dict[str, Any]) -> dict[str, Any]:
    """The first supplier's invoices (those that do not move by themselves), their history,
    its attachments and flows, read in the database."""
    invoices = [*w["by_status"].values(), w["facture"]]
    with api.sandbox.store.session() as session:

        def rows(model: Any, *where: Any) -> list[tuple[Any, ...]]:
            found = session.scalars(select(model).where(*where).order_by(model.id)).all()
            columns = [
                c.key for c in model.__table__.columns if c.key not in ("fichier", "contenu")
            ]
            return [tuple(getattr(r, c) for c in columns) for r in found]

        supplier_id = api.party(SUPPLIER)["id_structure"]
        return {
            "invoices": rows(Facture, Facture.id.in_(invoices)),
            "history": rows(HistoStatut, HistoStatut.facture_id.in_(invoices)),
            "actions": rows(HistoAction, HistoAction.facture_id.in_(invoices)),
            "pieces": rows(PieceJointe, PieceJointe.structure_id == supplier_id),
            "flows": rows(Flux, Flux.numero.in_(w["flows"])),
        }


# --- one sample body per operation, naming the first supplier's objects ------------------


def samples(api: Api, w: dict[str, Any], op: Operation) -> list[dict[str, Any]]:
    """The bodies another supplier sends to ``op``: the other tests' sample, aimed at the
    invoice of the first supplier on which the action would succeed for its owner."""
    target = {
        "completerFacture": w["by_status"]["SUSPENDUE"],
        "recyclerFacture": w["by_status"]["A_RECYCLER"],
        "traiterFacturesRejetees": w["by_status"]["REJETEE"],
        "corrigerValideurFacture": w["by_status"]["DEPOSEE"],
    }.get(op.operation_id, w["facture"])
    swagger = test_swagger_conformance.bodies({**w, "facture": target})
    if op.operation_id in swagger:
        body: dict[str, Any] = swagger[op.operation_id][1]
    else:
        body = dict(w["others"][op.operation_id])
    piece, mine = w["piece"], api.party(SUPPLIER)["id_structure"]
    existing = api.data["invoices"][0]["number"]
    if op.operation_id == "deposerFluxFacture":
        # an invoice the first supplier already has, with its SIRET as seller
        body["fichierFlux"] = base64.b64encode(ubl(Invoice(existing))).decode()
    elif op.operation_id == "detacherPieceJointe":
        body = {"idPieceJointeObjet": piece}
    elif op.operation_id == "completerFacture":
        linked = {
            **body,
            "pieceJointeComplementaire": [
                {"pieceJointeComplementaireId": piece, "pieceJointeComplementaireType": "02"}
            ],
        }
        return [body, linked]
    elif op.operation_id == "recyclerFacture":
        body["destinataire"] = {"codeDestinataire": BUYER_NONE}  # no demand: would succeed
    elif op.operation_id == "soumettreFacture":
        own = {
            **body,
            "numeroFactureSaisi": existing,
            "fournisseur": {"idFournisseur": api.party(OTHER)["id_structure"]},
            "pieceJointePrincipale": {
                "pieceJointePrincipaleDesignation": "Facture",
                "pieceJointePrincipaleId": piece,
            },
        }
        return [body, own]  # as the first supplier; as itself with the first's attachment
    elif op.operation_id == "rechercherFactureParFournisseur":
        return [body, {"idFournisseur": mine, "numeroFacture": existing}]
    elif op.operation_id == "rechercherFactureRecipiendaire":
        body["listeFournisseurs"] = [{"idFournisseur": mine}]
    elif op.operation_id == "rechercherEngagementJuridique":
        return [body, {"numeroEngagementJuridique": "EJ-2026-000451"}]
    elif op.operation_id == "rechercherPieceJointeSurMonCompte":
        body["pieceJointeDesignation"] = w["piece_name"]
    return [body]


#: What the caller itself put in a file it sent, which an answer may read back to it.
OWN_FILE = {
    "deposerFluxFacture": lambda api: {SUPPLIER, api.data["invoices"][0]["number"]},
    "deposerPdfFacture": lambda api: {SUPPLIER},
}


def seen(answer: Any, text: set[str], ids: set[int]) -> set[str]:
    """The markers found in a decoded JSON answer (ids by value, text within strings)."""
    found: set[str] = set()
    if isinstance(answer, dict):
        for value in answer.values():
            found |= seen(value, text, ids)
    elif isinstance(answer, list):
        for value in answer:
            found |= seen(value, text, ids)
    elif isinstance(answer, bool):
        pass
    elif isinstance(answer, int) and answer in ids:
        found.add(str(answer))
    elif isinstance(answer, str):
        found |= {m for m in text if m in answer}
    return found


# --- the six cases ------------------------------------------------------------------------


def send(api: Api, op: Operation, headers: dict[str, str], body: Any = None) -> Any:
    if op.method == "GET":
        return api.http.get(op.path, headers=headers)
    return api.http.post(op.path, json={} if body is None else body, headers=headers)


def gateway_case(api: Api, op: Operation, case: str, expired: str) -> int | None:
    """The HTTP status of ``op`` called in a gateway ``case``; None when it does not apply."""
    if case in ACCOUNT_CASES and op.request is None:
        return None
    good = api.headers(SUPPLIER)
    headers = {**JSON, "cpro-account": good["cpro-account"]}
    if case == "expired token":
        headers["Authorization"] = f"Bearer {expired}"
    elif case == "wrong application":
        headers = api.headers(SUPPLIER, connected=False)
    elif case == "API not attached":
        headers["Authorization"] = f"Bearer {api.token_of(api.lacking(op.api.value))}"
    elif case == "wrong cpro-account":
        login = api.party(SUPPLIER)["technical_account"]["login"]
        headers = {**good, "cpro-account": base64.b64encode(f"{login}:nope".encode()).decode()}
    status: int = send(api, op, headers).status_code
    return status


EXPECTED = {
    "no token": 401,
    "expired token": 401,
    "wrong application": 401,
    "API not attached": 403,
    "wrong cpro-account": 401,
}


def another_supplier(api: Api, w: dict[str, Any], op: Operation) -> str:
    """Call ``op`` as OTHER with a body naming SUPPLIER's objects; "refused" when refused or
    blind, else an AssertionError says what leaked or changed."""
    if op.request is None:
        return "n/a"
    text, ids = markers(api, w)
    allowed = OWN_FILE.get(op.operation_id, lambda _: set[str]())(api)
    for body in samples(api, w, op):
        before = snapshot(api, w)
        response = send(api, op, api.headers(OTHER), body)
        answer = response.json()
        shown = seen(answer, text, ids) - allowed
        if response.status_code >= 400 or answer.get("codeRetour", 0) != 0:
            # a refusal may repeat what the request named, nothing more
            sent = json.dumps(body, ensure_ascii=False)
            shown = {m for m in shown if m not in sent}
        assert not shown, (op.operation_id, shown, answer)
        if op.operation_id == "deposerFluxFacture":
            report = api.report(answer["numeroFluxDepot"], OTHER)
            assert report["etatCourantDepotFlux"] == "IN_REJETE", report
            assert errors.DOUBLON.libelle not in json.dumps(report, ensure_ascii=False), (
                "the report must not tell that the first supplier has this number"
            )
            assert not seen(report, text, ids) - allowed, report
        assert snapshot(api, w) == before, f"{op.operation_id} changed the first supplier's data"
    return "refused"


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
def test_each_operation_refuses_each_case(
    api: Api, expired: str, world: dict[str, Any], op: Operation
) -> None:
    for case in CASES:
        RESULTS[(op.operation_id, case)] = outcome(api, expired, world, op, case)


def outcome(api: Api, expired: str, w: dict[str, Any], op: Operation, case: str) -> str:
    if case == "another supplier":
        return another_supplier(api, w, op)
    status = gateway_case(api, op, case, expired)
    if status is None:
        return "n/a"
    assert status == EXPECTED[case], (op.operation_id, case, status)
    return "refused"


def test_summary_every_cell_of_the_matrix_is_refused(
    api: Api, expired: str, world: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    for op in OPERATIONS:
        for case in CASES:
            if (op.operation_id, case) not in RESULTS:
                RESULTS[(op.operation_id, case)] = outcome(api, expired, world, op, case)
    refused = sum(1 for v in RESULTS.values() if v == "refused")
    not_applicable = [k for k, v in RESULTS.items() if v == "n/a"]
    without_account = [op for op in OPERATIONS if op.request is None]
    assert len(RESULTS) == len(OPERATIONS) * len(CASES)
    assert len(not_applicable) == len(without_account) * len(ACCOUNT_CASES)
    assert refused == len(OPERATIONS) * len(CASES) - len(not_applicable)
    with capsys.disabled():
        print(
            f"\nauthorisation matrix: {len(OPERATIONS)} operations × {len(CASES)} cases, "
            f"{refused} refused, {len(not_applicable)} not applicable (no account)"
        )
