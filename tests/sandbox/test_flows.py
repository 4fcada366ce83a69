"""Flows end to end: deposit → report → integrated invoices → lifecycle → recycle/complete."""

from __future__ import annotations

import base64
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.sandbox.conftest import FAST, Api, BuyerPolicy, launch
from tests.sandbox.invoices import (
    BUYER_ENGAGEMENT,
    BUYER_NONE,
    BUYER_SERVICE,
    SUPPLIER,
    Facture,
    cii,
    facturx,
    tar_gz,
    ubl,
    zip_of,
)

BUYER_PATH = "/cpro/factures/v1/traiter/recue"


def number() -> str:
    return f"T-{uuid.uuid4().hex[:10]}"


@pytest.mark.parametrize(
    ("writer", "syntaxe"),
    [(ubl, "IN_DP_E1_UBL_INVOICE"), (cii, "IN_DP_E1_CII_16B"), (facturx, "IN_DP_E2_CII_FACTURX")],
)
def test_a_single_invoice_is_integrated_and_searchable(api: Api, writer: Any, syntaxe: str) -> None:
    facture = Facture(number(), service="SERVICE_DEST_SERV_OBL", buyer=BUYER_SERVICE)
    numero = api.deposit(writer(facture), f"{facture.number}.xml", syntaxe, SUPPLIER)
    assert numero.startswith("CPP001") and len(numero) == 25
    cr = api.report(numero, SUPPLIER)
    assert cr["etatCourantDepotFlux"] == "IN_INTEGRE", cr
    assert cr["nomFichier"].endswith(numero) and cr["listeErreurDP"] == []
    (found,) = api.invoices_of_flow(numero, SUPPLIER)
    assert found["numeroFacture"] == facture.number
    assert (
        found["identifiantFactureCPP"] > 0
        and found["codeServiceExecutant"] == "SERVICE_DEST_SERV_OBL"
    )
    assert found["montantTTC"] == 120 and found["codeDestinataire"] == BUYER_SERVICE
    status = api.wait_status(found["identifiantFactureCPP"], SUPPLIER, {"MISE_A_DISPOSITION"})
    assert status == "MISE_A_DISPOSITION"


def test_a_batch_is_partly_integrated_with_each_rejection_reported(api: Api) -> None:
    good, missing_service, missing_ej = number(), number(), number()
    files = {
        "a.xml": ubl(Facture(good)),
        "b.xml": ubl(Facture(missing_service, buyer=BUYER_SERVICE)),
        "c.xml": ubl(Facture(missing_ej, buyer=BUYER_ENGAGEMENT)),
    }
    numero = api.deposit(tar_gz(files), "lot.tar.gz", "IN_DP_E1_UBL_INVOICE", SUPPLIER)
    cr = api.report(numero, SUPPLIER)
    assert cr["etatCourantDepotFlux"] == "IN_INTEGRE_PARTIEL"
    errors = {e["numeroDP"]: e for e in cr["listeErreurDP"]}
    assert set(errors) == {missing_service, missing_ej}
    assert "code service" in errors[missing_service]["libelleErreurDP"]
    assert "engagement" in errors[missing_ej]["libelleErreurDP"]
    assert errors[missing_ej]["identifiantDestinataire"] == BUYER_ENGAGEMENT
    assert [f["numeroFacture"] for f in api.invoices_of_flow(numero, SUPPLIER)] == [good]


def test_a_zip_of_more_than_ten_invoices_loses_none_over_pages(api: Api) -> None:
    numbers = [number() for _ in range(12)]
    files = {f"{n}.xml": cii(Facture(n)) for n in numbers}
    numero = api.deposit(zip_of(files), "lot.zip", "IN_DP_E1_CII_16B", SUPPLIER)
    assert api.report(numero, SUPPLIER)["etatCourantDepotFlux"] == "IN_INTEGRE"
    seen = []
    for page in (1, 2, 3):
        answer = api.call(
            "/cpro/factures/v1/rechercher/fournisseur",
            {
                "numeroFluxDepot": numero,
                "rechercheFactureParFournisseur": {
                    "pageResultatDemandee": page,
                    "nbResultatsParPage": 5,
                },
            },
            SUPPLIER,
        )
        assert answer["parametresRetour"] == {
            "pageCourante": page,
            "pages": 3,
            "nbResultatsParPage": 5,
            "total": 12,
        }
        seen += [f["numeroFacture"] for f in answer["listeFactures"]]
    assert sorted(seen) == sorted(numbers)


def test_wrong_syntax_and_wrong_supplier_are_refused(api: Api) -> None:
    numero = api.deposit(cii(Facture(number())), "x.xml", "IN_DP_E1_UBL_INVOICE", SUPPLIER)
    cr = api.report(numero, SUPPLIER)
    assert cr["etatCourantDepotFlux"] == "IN_REJETE"
    assert cr["listeErreurTechnique"][0]["codeErreur"] == "ERR_SYNTAXE_002"
    other = Facture(number(), seller="81234567600009")
    cr = api.report(api.deposit(ubl(other), "y.xml", "IN_DP_E1_UBL_INVOICE", SUPPLIER), SUPPLIER)
    assert cr["etatCourantDepotFlux"] == "IN_REJETE"
    assert "fournisseur" in cr["listeErreurDP"][0]["libelleErreurDP"]


def test_unknown_and_inactive_buyers_are_rejected(api: Api) -> None:
    for buyer, words in (("99999999900018", "SIRET"), ("21690123400019", "inactive")):
        cr = api.report(
            api.deposit(
                ubl(Facture(number(), buyer=buyer)), "z.xml", "IN_DP_E1_UBL_INVOICE", SUPPLIER
            ),
            SUPPLIER,
        )
        assert cr["etatCourantDepotFlux"] == "IN_REJETE"
        assert words in cr["listeErreurDP"][0]["libelleErreurDP"]


def test_en16931_errors_reject_the_invoice_with_the_rule(api: Api) -> None:
    wrong = ubl(Facture(number())).replace(
        b'<cbc:PayableAmount currencyID="EUR">120.00', b'<cbc:PayableAmount currencyID="EUR">99.00'
    )
    cr = api.report(api.deposit(wrong, "w.xml", "IN_DP_E1_UBL_INVOICE", SUPPLIER), SUPPLIER)
    assert cr["etatCourantDepotFlux"] == "IN_REJETE"
    assert "BR-CO-16" in cr["listeErreurDP"][0]["libelleErreurDP"]


def test_xsd_errors_make_the_flow_irrecevable(api: Api) -> None:
    broken = ubl(Facture(number())).replace(
        b"<cbc:IssueDate>2026-11-07", b"<cbc:IssueDate>07/11/2026"
    )
    cr = api.report(api.deposit(broken, "b.xml", "IN_DP_E1_UBL_INVOICE", SUPPLIER), SUPPLIER)
    assert cr["etatCourantDepotFlux"] == "IN_REJETE"
    assert cr["listeErreurTechnique"][0]["codeErreur"] == "ERR_XSD_001"


def _integrate(api: Api, facture: Facture) -> int:
    numero = api.deposit(ubl(facture), "f.xml", "IN_DP_E1_UBL_INVOICE", SUPPLIER)
    assert api.report(numero, SUPPLIER)["etatCourantDepotFlux"] == "IN_INTEGRE"
    (found,) = api.invoices_of_flow(numero, SUPPLIER)
    facture_id: int = found["identifiantFactureCPP"]
    api.wait_status(facture_id, SUPPLIER, {"MISE_A_DISPOSITION"})
    return facture_id


def test_duplicates_are_rejected_unless_the_first_was_rejected(api: Api) -> None:
    facture = Facture(number())
    first = _integrate(api, facture)
    cr = api.report(api.deposit(ubl(facture), "d.xml", "IN_DP_E1_UBL_INVOICE", SUPPLIER), SUPPLIER)
    assert cr["etatCourantDepotFlux"] == "IN_REJETE"
    assert "existe déjà" in cr["listeErreurDP"][0]["libelleErreurDP"]
    answer = api.call(
        BUYER_PATH, {"idFacture": first, "nouveauStatut": "REJETEE", "motif": "Erreur"}, BUYER_NONE
    )
    assert answer["codeRetour"] == 0 and answer["nouveauStatut"] == "REJETEE"
    again = api.report(
        api.deposit(ubl(facture), "d.xml", "IN_DP_E1_UBL_INVOICE", SUPPLIER), SUPPLIER
    )
    assert again["etatCourantDepotFlux"] == "IN_INTEGRE"


def test_buyer_drives_the_lifecycle_and_history_is_kept(api: Api) -> None:
    facture_id = _integrate(api, Facture(number()))
    possible = api.call(
        "/cpro/transverses/v1/recuperer/etats/traitement",
        {"statutCourant": "MISE_A_DISPOSITION"},
        BUYER_NONE,
    )
    targets = [
        s["statutPossiblePourTraitement"] for s in possible["listeStatutsPossiblesPourTraitement"]
    ]
    assert {"SUSPENDUE", "REJETEE", "MANDATEE", "A_RECYCLER"} <= set(targets)
    refused = api.call(
        BUYER_PATH, {"idFacture": facture_id, "nouveauStatut": "SUSPENDUE"}, BUYER_NONE
    )
    assert refused["codeRetour"] != 0, "a suspension needs a motif"
    for target in ("SERVICE_FAIT", "MANDATEE", "MISE_EN_PAIEMENT"):
        extra = {"numeroDPMandat": "M-1"} if target == "MANDATEE" else {}
        done = api.call(
            BUYER_PATH, {"idFacture": facture_id, "nouveauStatut": target, **extra}, BUYER_NONE
        )
        assert done["codeRetour"] == 0, done
    history = api.call(
        "/cpro/factures/v1/consulter/historique", {"idFacture": facture_id}, SUPPLIER
    )
    codes = [h["histoStatutCode"] for h in history["historiquesDesStatuts"]["histoStatut"]]
    assert codes == [
        "MISE_EN_PAIEMENT",
        "MANDATEE",
        "SERVICE_FAIT",
        "MISE_A_DISPOSITION",
        "EN_COURS_ACHEMINEMENT",
        "DEPOSEE",
    ]
    assert history["statutCourantCode"] == "MISE_EN_PAIEMENT"
    late = api.call(
        BUYER_PATH, {"idFacture": facture_id, "nouveauStatut": "REJETEE", "motif": "x"}, BUYER_NONE
    )
    assert late["codeRetour"] != 0, "a paid invoice cannot be rejected"


def test_recycling_reroutes_and_restarts_at_deposee(api: Api) -> None:
    facture_id = _integrate(api, Facture(number()))
    api.call(
        BUYER_PATH,
        {"idFacture": facture_id, "nouveauStatut": "A_RECYCLER", "motif": "Mauvais service"},
        BUYER_NONE,
    )
    wrong = api.call(
        "/cpro/factures/v1/recycler",
        {"identifiantFactureCPP": facture_id, "destinataire": {"codeDestinataire": BUYER_SERVICE}},
        SUPPLIER,
    )
    assert wrong["codeRetour"] != 0 and "code service" in wrong["libelle"]
    done = api.call(
        "/cpro/factures/v1/recycler",
        {
            "identifiantFactureCPP": facture_id,
            "destinataire": {
                "codeDestinataire": BUYER_SERVICE,
                "codeServiceExecutant": "SERVICE_DEST_SERV_OBL",
            },
            "commentaire": "Service corrigé",
        },
        SUPPLIER,
    )
    assert done["codeRetour"] == 0 and done["statutFacture"] == "DEPOSEE"
    assert api.wait_status(facture_id, SUPPLIER, {"MISE_A_DISPOSITION"}) == "MISE_A_DISPOSITION"
    received = api.call(
        "/cpro/factures/v1/consulter/recipiendaire",
        {"identifiantFactureCPP": facture_id},
        BUYER_SERVICE,
    )
    assert received["facture"]["destinataire"]["codeServiceExecutant"] == "SERVICE_DEST_SERV_OBL"
    again = api.call("/cpro/factures/v1/recycler", {"identifiantFactureCPP": facture_id}, SUPPLIER)
    assert again["codeRetour"] != 0, "only an A_RECYCLER invoice can be recycled"


def test_completion_of_a_suspended_invoice_with_an_attachment(api: Api) -> None:
    facture_id = _integrate(api, Facture(number()))
    api.call(
        BUYER_PATH,
        {"idFacture": facture_id, "nouveauStatut": "SUSPENDUE", "motif": "Bon de livraison"},
        BUYER_NONE,
    )
    piece = api.call(
        "/cpro/transverses/v1/ajouter/fichier",
        {
            "pieceJointeFichier": base64.b64encode(b"%PDF-1.4 bon de livraison").decode(),
            "pieceJointeNom": "bl.pdf",
            "pieceJointeTypeMime": "application/pdf",
            "pieceJointeExtension": "pdf",
        },
        SUPPLIER,
    )
    assert piece["codeRetour"] == 0
    done = api.call(
        "/cpro/factures/v1/completer",
        {
            "identifiantFactureCPP": facture_id,
            "commentaire": "BL joint",
            "pieceJointeComplementaire": [
                {
                    "pieceJointeComplementaireId": piece["pieceJointeId"],
                    "pieceJointeComplementaireType": "BON_LIVRAISON",
                    "pieceJointeComplementaireDesignation": "BL",
                }
            ],
        },
        SUPPLIER,
    )
    assert done["codeRetour"] == 0
    consulted = api.call(
        "/cpro/factures/v1/consulter/fournisseur", {"identifiantFactureCPP": facture_id}, SUPPLIER
    )
    assert consulted["facture"]["statutFacture"] == "COMPLETEE"
    assert (
        consulted["facture"]["listeDesPiecesJointes"]["pieceJointe"][0]["pieceJointeId"]
        == piece["pieceJointeId"]
    )


def test_rejection_is_acknowledged_with_traiter_rejet(api: Api) -> None:
    facture_id = _integrate(api, Facture(number()))
    api.call(
        BUYER_PATH,
        {"idFacture": facture_id, "nouveauStatut": "REJETEE", "motif": "Non conforme"},
        BUYER_NONE,
    )
    assert (
        api.call(
            "/cpro/factures/v1/traiterRejet",
            {"listeDemandePaiement": [{"idDemandePaiement": facture_id}]},
            SUPPLIER,
        )["codeRetour"]
        == 0
    )
    found = api.call(
        "/cpro/factures/v1/rechercher/fournisseur",
        {"rejetTraite": True, "statutCourant": ["REJETEE"]},
        SUPPLIER,
    )
    assert facture_id in [f["identifiantFactureCPP"] for f in found["listeFactures"]]


def test_soumettre_saisie_api_creates_an_invoice_at_once(api: Api) -> None:
    id_fournisseur = api.party(SUPPLIER)["id_structure"]
    body = {
        "modeDepot": "SAISIE_API",
        "numeroFactureSaisi": number(),
        "destinataire": {"codeDestinataire": BUYER_NONE},
        "fournisseur": {"idFournisseur": id_fournisseur},
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
                "lignePosteQuantite": 2,
                "lignePosteMontantUnitaireHT": 50,
                "lignePosteTauxTvaManuel": 20,
            }
        ],
        "ligneTva": [
            {
                "ligneTvaTauxManuel": 20,
                "ligneTvaMontantBaseHtParTaux": 100,
                "ligneTvaMontantTvaParTaux": 20,
            }
        ],
        "montantTotal": {
            "montantHtTotal": 100,
            "montantTVA": 20,
            "montantTtcTotal": 120,
            "montantAPayer": 120,
        },
    }
    answer = api.call("/cpro/factures/v1/soumettre", body, SUPPLIER)
    assert answer["codeRetour"] == 0 and answer["statutFacture"] == "DEPOSEE"
    assert answer["identifiantStructure"] == SUPPLIER
    twice = api.call("/cpro/factures/v1/soumettre", body, SUPPLIER)
    assert twice["codeRetour"] == 20013, "the same number twice is a duplicate"
    other = {**body, "fournisseur": {"idFournisseur": api.party("81234567600009")["id_structure"]}}
    assert api.call("/cpro/factures/v1/soumettre", other, SUPPLIER)["codeRetour"] != 0


def test_automatic_buyer_policy_sends_shares_to_each_end(tmp_path: Path) -> None:
    from dataclasses import replace

    policy = replace(
        FAST.policy, share_a_recycler=0.25, share_suspendue=0.25, share_rejetee=0.25, seed=3
    )
    sandbox, api = launch(tmp_path, replace(FAST, policy=policy))
    try:
        numbers = [number() for _ in range(24)]
        numero = api.deposit(
            tar_gz({f"{n}.xml": ubl(Facture(n)) for n in numbers}),
            "l.tar.gz",
            "IN_DP_E1_UBL_INVOICE",
            SUPPLIER,
        )
        assert api.report(numero, SUPPLIER)["etatCourantDepotFlux"] == "IN_INTEGRE"
        ends = {"A_RECYCLER", "SUSPENDUE", "REJETEE", "MISE_EN_PAIEMENT"}
        finals = [
            api.wait_status(f["identifiantFactureCPP"], SUPPLIER, ends)
            for f in api.invoices_of_flow(numero, SUPPLIER)
        ]
        assert set(finals) == ends, finals
        assert isinstance(policy, BuyerPolicy)
    finally:
        api.close()
        sandbox.stop()


def test_a_number_already_held_or_twice_in_a_flow_is_refused_as_a_duplicate(api: Api) -> None:
    held, fresh = number(), number()
    first = api.deposit(ubl(Facture(held)), f"{held}.xml", "IN_DP_E1_UBL_INVOICE", SUPPLIER)
    assert api.report(first, SUPPLIER)["etatCourantDepotFlux"] == "IN_INTEGRE"
    files = {
        "a.xml": ubl(Facture(held)),  # held since the first flow
        "b.xml": ubl(Facture(fresh)),
        "c.xml": ubl(Facture(fresh)),  # twice in this flow: the second is refused
    }
    numero = api.deposit(tar_gz(files), "lot.tar.gz", "IN_DP_E1_UBL_INVOICE", SUPPLIER)
    cr = api.report(numero, SUPPLIER)
    assert cr["etatCourantDepotFlux"] == "IN_INTEGRE_PARTIEL"
    refused = [(e["numeroDP"], "11.040" in e["libelleErreurDP"]) for e in cr["listeErreurDP"]]
    assert sorted(refused) == sorted([(held, True), (fresh, True)])
    assert [f["numeroFacture"] for f in api.invoices_of_flow(numero, SUPPLIER)] == [fresh]
