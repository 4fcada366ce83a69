"""Every operation outside the swaggers answers with the envelope and its documented names."""

from __future__ import annotations

import base64
from typing import Any

from chorusflow.chorus.wire.operations import OPERATIONS
from tests.sandbox.conftest import Api
from tests.sandbox.invoices import BUYER_SERVICE, SUPPLIER, Facture, ubl

page = {"pageResultatDemandee": 1, "nbResultatsParPage": 10}


def bodies(api: Api) -> dict[str, dict[str, Any]]:
    supplier = api.party(SUPPLIER)
    buyer = api.party(BUYER_SERVICE)
    numero = api.deposit(ubl(Facture("OPS-1")), "o.xml", "IN_DP_E1_UBL_INVOICE", SUPPLIER)
    api.report(numero, SUPPLIER)
    facture_id = api.data["invoices"][0]["id"]
    return {
        "consulterCR": {"numeroFluxDepot": numero},
        "consulterCRDetaille": {"numeroFluxDepot": numero},
        "ajouterFichierDansSysteme": {
            "pieceJointeFichier": base64.b64encode(b"pj").decode(),
            "pieceJointeNom": "a.txt",
            "pieceJointeTypeMime": "text/plain",
            "pieceJointeExtension": "txt",
        },
        "detacherPieceJointe": {"idPieceJointeObjet": -1},
        "rechercherPieceJointeStructure": {
            "idStructureCPP": supplier["id_structure"],
            "parametresRecherche": page,
        },
        "rechercherPieceJointeSurMonCompte": {"parametresRecherche": page},
        "telechargerPieceJointe": {
            "objetPieceJointe": "DEMANDE_PAIEMENT",
            "demandePaiement": {"format": "PDF", "listeFacture": [{"idFacture": facture_id}]},
        },
        "recupererTypesPieceJointe": {"codeLangue": "FR", "typeObjet": "FACTURE"},
        "recupererDevises": {"codeLangue": "EN"},
        "recupererModesReglement": {},
        "recupererCadreFacturation": {"typeDemandePaiement": "FACTURE"},
        "recupererTauxTva": {"codeLangue": "FR"},
        "recupererPays": {"codeLangue": "FR"},
        "recupererMotifsExonerationTva": {"codeLangue": "FR"},
        "recupererEtatParTypeDemandePaiement": {"typeDemandePaiement": "FACTURE"},
        "recupererEtatsPossiblesPourTraitement": {"statutCourant": "MISE_A_DISPOSITION"},
        "recupererTypeDemandePaiement": {},
        "recupererTypeFactureTravaux": {},
        "recupererTypeIdentifiantStructure": {},
        "recupererModeDepot": {},
        "recupererFormatFlux": {},
        "recupererSyntaxeFlux": {"formatFlux": "IN_DP_E1_STRUCT"},
        "recupererCoordonneesBancairesValides": {"idStructure": supplier["id_structure"]},
        "recupererStructuresActivesPourFournisseur": {},
        "recupererStructuresActivesPourDestinataire": {},
        "recupererStructuresActivesPourFactureTravaux": {},
        "recupererStructuresPourUtilisateur": {"espaceFo": 0},
        "consulterInformationSIRET": {"siretStructure": SUPPLIER},
        "rechercherDestinataire": {"identifiant": BUYER_SERVICE, "parametresRecherche": page},
        "rechercherServiceExecutant": {
            "idDestinataireCPP": buyer["id_structure"],
            "parametresRecherche": page,
        },
        "telechargerAnnuaireDestinataire": {},
        "recupererMotifsRefusFactureAValider": {
            "codeCadreFacturationAValider": "A9_FACTURE_SOUSTRAITANT"
        },
        "rechercherEngagementJuridique": {
            "etatCourantEngagementJuridique": "COMMANDE",
            "parametresRecherche": page,
        },
        "recupererRattachementsMonCompteUtilisateur": {"parametresRecherche": page},
    }


def test_every_other_operation_answers_in_its_documented_names(api: Api) -> None:
    samples = bodies(api)
    others = [op for op in OPERATIONS if not op.in_swagger and op.request is not None]
    assert sorted(samples) == sorted(op.operation_id for op in others)
    refused = set()
    for op in others:
        answer = api.call(op.path, samples[op.operation_id], SUPPLIER)
        assert set(answer) <= set(op.response.model_fields), (
            op.operation_id,
            set(answer) - set(op.response.model_fields),
        )
        model = op.response.model_validate(answer)
        assert model.model_dump(exclude_none=True), op.operation_id
        if answer["codeRetour"] != 0:
            refused.add(op.operation_id)
        elif op.operation_id != "consulterCRDetaille":  # an integrated flow lists no error
            lists = [v for k, v in answer.items() if k.startswith("liste")]
            assert all(lists), (op.operation_id, answer)
    assert refused == {"consulterInformationSIRET", "detacherPieceJointe"}
    health = api.http.get("/cpro/transverses/v1/health-check", headers=api.headers(SUPPLIER))
    assert health.json() == {"body": "OK", "statusCodeValue": 200, "statusCode": "200"}


def test_referentials_carry_the_documented_values(api: Api) -> None:
    tva = api.call("/cpro/transverses/v1/recuperer/tauxtva", {}, SUPPLIER)["listeTauxTva"]
    assert {
        "codeTauxTva": "TVA1",
        "libelleTauxTva": "Art 293B(FranchiseEnBase)",
        "valeurTauxTva": 0,
    } in tva
    assert {"codeTauxTva": "TVA5", "libelleTauxTva": "Taux normal 20 %", "valeurTauxTva": 20} in tva
    types = api.call("/cpro/transverses/v1/recuperer/typeidentifiant/structure", {}, SUPPLIER)[
        "listeTypeIdentifiant"
    ]
    assert [t["typeIdentifiantStructure"] for t in types] == [
        "SIRET",
        "UE_HORS_FRANCE",
        "HORS_UE",
        "RIDET",
        "TAHITI",
        "AUTRE",
        "PARTICULIER",
    ]
    devises = api.call("/cpro/transverses/v1/recuperer/devises", {"codeLangue": "EN"}, SUPPLIER)[
        "listeDevises"
    ]
    assert {"codeDevise": "EUR", "libelleDevise": "European Euro"} in devises
    cr = api.call(
        "/cpro/transverses/v1/consulterCR",
        {"numeroFluxDepot": "CPP0011100999999999999999"},
        SUPPLIER,
    )
    assert cr["codeRetour"] == 20001 and "POQ_MSG_01.003" in cr["libelle"]
