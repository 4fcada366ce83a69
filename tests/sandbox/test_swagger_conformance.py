"""Every operation of the official swaggers, called on the sandbox with a request that the
swagger's schema accepts, answers a body that the swagger's schema accepts."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import pytest

from tests.sandbox.conftest import Api
from tests.sandbox.invoices import BUYER_SERVICE, SUPPLIER, Facture, facturx, ubl
from tests.swagger import errors, operations, request_definition, response_definition

SERVICE = "SERVICE_DEST_SERV_OBL"


@pytest.fixture(scope="module")
def world(api: Api) -> dict[str, Any]:
    return make_world(api)


def make_world(api: Api) -> dict[str, Any]:
    """An integrated invoice from SUPPLIER to BUYER_SERVICE, made available to it, and the
    ids around it."""
    number = f"C-{uuid.uuid4().hex[:8]}"
    numero = api.deposit(
        ubl(Facture(number, buyer=BUYER_SERVICE, service=SERVICE)),
        "c.xml",
        "IN_DP_E1_UBL_INVOICE",
        SUPPLIER,
    )
    assert api.report(numero, SUPPLIER)["etatCourantDepotFlux"] == "IN_INTEGRE"
    (found,) = api.invoices_of_flow(numero, SUPPLIER)
    facture_id = found["identifiantFactureCPP"]
    api.wait_status(facture_id, SUPPLIER, {"MISE_A_DISPOSITION"})
    buyer = api.party(BUYER_SERVICE)
    return {
        "facture": facture_id,
        "numero": number,
        "flux": numero,
        "supplier_id": api.party(SUPPLIER)["id_structure"],
        "buyer_id": buyer["id_structure"],
        "service_id": buyer["services"][0]["id_service"],
    }


def bodies(w: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """operationId → (the account calling, a request body)."""
    pdf = base64.b64encode(
        facturx(
            Facture(
                f"P-{uuid.uuid4().hex[:8]}", buyer=BUYER_SERVICE, service=SERVICE, engagement="EJ-1"
            )
        )
    ).decode()
    page = {"pageResultatDemandee": 1, "nbResultatsParPage": 10, "triSens": "Descendant"}
    return {
        "deposerFluxFacture": (
            SUPPLIER,
            {
                "idUtilisateurCourant": 0,
                "fichierFlux": base64.b64encode(ubl(Facture(f"D-{uuid.uuid4().hex[:8]}"))).decode(),
                "nomFichier": "f.xml",
                "syntaxeFlux": "IN_DP_E1_UBL_INVOICE",
                "avecSignature": False,
            },
        ),
        "deposerPdfFacture": (
            SUPPLIER,
            {"fichierFacture": pdf, "nomFichier": "f.pdf", "formatDepot": "PDF_NON_SIGNE"},
        ),
        "soumettreFacture": (
            SUPPLIER,
            {
                "modeDepot": "SAISIE_API",
                "numeroFactureSaisi": f"S-{uuid.uuid4().hex[:8]}",
                "destinataire": {
                    "codeDestinataire": BUYER_SERVICE,
                    "codeServiceExecutant": SERVICE,
                },
                "fournisseur": {"idFournisseur": w["supplier_id"]},
                "cadreDeFacturation": {"codeCadreFacturation": "A1_FACTURE_FOURNISSEUR"},
                "references": {
                    "deviseFacture": "EUR",
                    "typeFacture": "FACTURE",
                    "typeTva": "TVA_SUR_DEBIT",
                    "modePaiement": "VIREMENT",
                },
                "lignePoste": [
                    {
                        "lignePosteNumero": 1,
                        "lignePosteDenomination": "Lampe",
                        "lignePosteQuantite": 1,
                        "lignePosteMontantUnitaireHT": 10,
                        "lignePosteTauxTva": "TVA5",
                    }
                ],
                "ligneTva": [
                    {
                        "ligneTvaTaux": "TVA5",
                        "ligneTvaMontantBaseHtParTaux": 10,
                        "ligneTvaMontantTvaParTaux": 2,
                    }
                ],
                "montantTotal": {
                    "montantHtTotal": 10,
                    "montantTVA": 2,
                    "montantTtcTotal": 12,
                    "montantAPayer": 12,
                },
                "pieceJointePrincipale": {
                    "pieceJointePrincipaleDesignation": "Facture",
                    "pieceJointePrincipaleId": 0,
                },
            },
        ),
        "consulterFactureParFournisseur": (
            SUPPLIER,
            {"identifiantFactureCPP": w["facture"], "codeLangue": "FR"},
        ),
        "rechercherFactureParFournisseur": (
            SUPPLIER,
            {
                "numeroFluxDepot": w["flux"],
                "rechercheFactureParFournisseur": {**page, "triColonne": "NumeroFacture"},
            },
        ),
        "consulterHistoriqueFacture": (
            SUPPLIER,
            {"idFacture": w["facture"], "nbResultatsMaximum": 50},
        ),
        "telechargerGroupeFacture": (
            BUYER_SERVICE,
            {
                "format": "PIVOT",
                "avecPiecesJointesComplementaires": "NON",
                "listeFacture": [{"idFacture": w["facture"]}],
            },
        ),
        "completerFacture": (SUPPLIER, {"identifiantFactureCPP": w["facture"], "commentaire": "x"}),
        "recyclerFacture": (
            SUPPLIER,
            {
                "identifiantFactureCPP": w["facture"],
                "destinataire": {"codeDestinataire": BUYER_SERVICE},
            },
        ),
        "corrigerValideurFacture": (
            SUPPLIER,
            {"idFacture": w["facture"], "idStructure": w["supplier_id"]},
        ),
        "traiterFacturesRejetees": (
            SUPPLIER,
            {"listeDemandePaiement": [{"idDemandePaiement": w["facture"]}]},
        ),
        "rechercherFactureATraiterParFournisseur": (
            SUPPLIER,
            {
                "masquerRejetee": False,
                "rechercheFactureATraiterParFournisseur": {
                    "pageResultatDemandee": 1,
                    "nbResultatsParPage": 5,
                },
            },
        ),
        "rechercherFactureRecipiendaire": (
            BUYER_SERVICE,
            {
                "typeDemandePaiement": "FACTURE",
                "statutCourant": ["MISE_A_DISPOSITION"],
                "paramRecherche": {**page, "triColonne": "NumeroFacture"},
            },
        ),
        "consulterFactureParRecipiendaire": (
            BUYER_SERVICE,
            {"identifiantFactureCPP": w["facture"]},
        ),
        "traiterUneFactureRecue": (
            BUYER_SERVICE,
            {"idFacture": w["facture"], "nouveauStatut": "SERVICE_FAIT"},
        ),
        "rechercherFactureATraiterParRecipiendaire": (
            BUYER_SERVICE,
            {
                "idStructure": w["buyer_id"],
                "parametreRechercheFactureATraiterParRecipiendaire": {
                    "pageResultatDemandee": 1,
                    "nbResultatsParPage": 10,
                },
            },
        ),
        "rechercherDemandePaiement": (SUPPLIER, {"roleUtilisateur": "FOURNISSEUR"}),
        "rechercherFactureParValideur": (SUPPLIER, {"pagination": {"pageResultatDemandee": 1}}),
        "rechercherFactureATraiterParValideur": (SUPPLIER, {"idStructure": w["supplier_id"]}),
        "consulterFactureParValideur": (SUPPLIER, {"identifiantFactureCPP": w["facture"]}),
        "traiterFactureAValider": (SUPPLIER, {"idFacture": w["facture"], "action": "VALIDATION"}),
        "recupererStatutsFactureVisiblesParValideur": (SUPPLIER, {"idUtilisateurCourant": 0}),
        "rechercherStructure": (
            SUPPLIER,
            {
                "structure": {
                    "identifiantStructure": BUYER_SERVICE,
                    "typeIdentifiantStructure": "SIRET",
                },
                "restreindreStructuresPrivees": True,
                "parametres": {
                    "nbResultatsParPage": 10,
                    "pageResultatDemandee": 1,
                    "triColonne": "IdentifiantStructure",
                    "triSens": "Ascendant",
                },
            },
        ),
        "consulterStructureAvecTVAIntraCom": (
            SUPPLIER,
            {"idStructureCPP": w["buyer_id"], "codeLangue": "FR"},
        ),
        "rechercherServicesStructure": (
            SUPPLIER,
            {
                "idStructure": w["buyer_id"],
                "parametresRechercherServicesStructure": {
                    "nbResultatsParPage": 100,
                    "pageResultatDemandee": 1,
                },
            },
        ),
        "consulterServiceStructure": (
            SUPPLIER,
            {"idStructure": w["buyer_id"], "idService": w["service_id"], "codeLangue": "FR"},
        ),
        "listerRattachementsStructureUtilisateur": (SUPPLIER, {"idStructure": w["supplier_id"]}),
        "rechercherEspaces": (
            SUPPLIER,
            {
                "structure": {"idStructure": w["supplier_id"]},
                "parametresRechercherEspaces": {
                    "nbResultatsParPage": 10,
                    "pageResultatDemandee": 1,
                },
            },
        ),
    }


ORDER = [
    # the buyer moves the invoice before the supplier-side actions that depend on it
    "deposerFluxFacture",
    "deposerPdfFacture",
    "soumettreFacture",
    "consulterFactureParFournisseur",
    "rechercherFactureParFournisseur",
    "consulterHistoriqueFacture",
    "telechargerGroupeFacture",
    "rechercherFactureRecipiendaire",
    "consulterFactureParRecipiendaire",
    "rechercherFactureATraiterParRecipiendaire",
    "traiterUneFactureRecue",
    "completerFacture",
    "recyclerFacture",
    "corrigerValideurFacture",
    "traiterFacturesRejetees",
    "rechercherFactureATraiterParFournisseur",
    "rechercherDemandePaiement",
    "rechercherFactureParValideur",
    "rechercherFactureATraiterParValideur",
    "consulterFactureParValideur",
    "traiterFactureAValider",
    "recupererStatutsFactureVisiblesParValideur",
    "rechercherStructure",
    "consulterStructureAvecTVAIntraCom",
    "rechercherServicesStructure",
    "consulterServiceStructure",
    "listerRattachementsStructureUtilisateur",
    "rechercherEspaces",
]


def test_every_swagger_operation_is_served_and_conforms(api: Api, world: dict[str, Any]) -> None:
    catalogue = {op_id: (swagger_api, path, op) for swagger_api, path, op_id, op in operations()}
    assert sorted(ORDER) == sorted(catalogue), "the test covers every swagger operation"
    samples = bodies(world)
    refused = set()
    for op_id in ORDER:
        swagger_api, path, op = catalogue[op_id]
        siret, body = samples[op_id]
        assert errors(swagger_api, request_definition(op), body) == [], f"{op_id} request"
        response = api.post(path, body, siret)
        assert response.status_code == 200, f"{op_id}: {response.status_code} {response.text}"
        answer = response.json()
        assert errors(swagger_api, response_definition(op), answer) == [], f"{op_id}: {answer}"
        if answer.get("codeRetour", 0) != 0:
            refused.add(op_id)
    # no validation circuit in the data set, no payment-request search in qualification, and
    # the invoice (now SERVICE_FAIT) is neither suspended, to recycle nor rejected
    assert refused == {
        "rechercherDemandePaiement",
        "rechercherFactureParValideur",
        "rechercherFactureATraiterParValideur",
        "consulterFactureParValideur",
        "traiterFactureAValider",
        "corrigerValideurFacture",
        "completerFacture",
        "recyclerFacture",
        "traiterFacturesRejetees",
    }


def test_pdf_deposit_answers_every_field_the_swagger_requires(api: Api) -> None:
    pdf = facturx(
        Facture(
            f"P-{uuid.uuid4().hex[:8]}", buyer=BUYER_SERVICE, service=SERVICE, engagement="EJ-9"
        )
    )
    answer = api.call(
        "/cpro/factures/v1/deposer/pdf",
        {
            "fichierFacture": base64.b64encode(pdf).decode(),
            "nomFichier": "f.pdf",
            "formatDepot": "PDF_NON_SIGNE",
        },
        SUPPLIER,
    )
    assert answer["codeDestinataire"] == BUYER_SERVICE and answer["codeServiceExecutant"] == SERVICE
    assert answer["numeroBonCommande"] == "EJ-9" and answer["montantAPayer"] == 120
    assert errors("factures", "WsRetourDeposerPdfFacture", answer) == []
    body = {
        "modeDepot": "DEPOT_PDF_API",
        "numeroFactureSaisi": answer["numeroFacture"],
        "dateFacture": "2026-11-07",
        "destinataire": {"codeDestinataire": BUYER_SERVICE, "codeServiceExecutant": SERVICE},
        "fournisseur": {"idFournisseur": api.party(SUPPLIER)["id_structure"]},
        "cadreDeFacturation": {"codeCadreFacturation": "A1_FACTURE_FOURNISSEUR"},
        "references": {
            "deviseFacture": "EUR",
            "typeFacture": "FACTURE",
            "typeTva": "TVA_SUR_DEBIT",
            "modePaiement": "VIREMENT",
        },
        "montantTotal": {
            "montantHtTotal": 100,
            "montantTVA": 20,
            "montantTtcTotal": 120,
            "montantAPayer": 120,
        },
        "pieceJointePrincipale": [
            {
                "pieceJointePrincipaleDesignation": "Facture",
                "pieceJointePrincipaleId": answer["pieceJointeId"],
            }
        ],
    }
    submitted = api.call("/cpro/factures/v1/soumettre", body, SUPPLIER)
    assert submitted["codeRetour"] == 0 and submitted["numeroFacture"] == answer["numeroFacture"]
    assert errors("factures", "WsRetourSoumettreFacture", submitted) == []
