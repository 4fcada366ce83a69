"""Every operation of the catalogue, through its typed method, against the sandbox; and every
request body the client wrote, checked against the official swaggers."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from chorusflow.chorus import BusinessError, ChorusClient
from chorusflow.chorus._endpoints import Endpoint, SearchEndpoint
from chorusflow.chorus._paging import paging_of
from chorusflow.chorus.wire.operations import OPERATIONS, Operation
from tests import swagger
from tests.chorus.conftest import COMMUNE, SUPPLIER, Bench, Recorder
from tests.sandbox.invoices import Facture, facturx, ubl

ENDPOINTS: dict[str, tuple[str, Endpoint[Any, Any]]] = {
    value.operation.operation_id: (name, value)
    for name, value in vars(ChorusClient).items()
    if isinstance(value, Endpoint)
}

#: Refusals the sandbox gives by design (API.md: not on qualification; no validation circuit
#: in the data set). The call still went through the gateway with a valid body.
REFUSED_BY_DESIGN = {
    "rechercherDemandePaiement": 20100,
    "consulterInformationSIRET": 20100,
    "rechercherFactureParValideur": 20000,
    "rechercherFactureATraiterParValideur": 20000,
    "consulterFactureParValideur": 20000,
    "traiterFactureAValider": 20000,
    "corrigerValideurFacture": 20010,
}


def test_every_operation_of_the_catalogue_has_one_typed_method() -> None:
    with_body = {op.operation_id for op in OPERATIONS if op.request is not None}
    assert set(ENDPOINTS) == with_body
    assert callable(ChorusClient.health_check)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
def test_searches_are_search_endpoints_with_the_item_of_their_list(op: Operation) -> None:
    if op.request is None:
        return
    endpoint = ENDPOINTS[op.operation_id][1]
    paging = paging_of(op.operation_id, op.request, op.response)
    assert isinstance(endpoint, SearchEndpoint) == (paging is not None)
    if isinstance(endpoint, SearchEndpoint):
        field = op.response.model_fields[endpoint.paging.items_field]
        assert endpoint.item.__name__ in str(field.annotation)


@dataclass
class World:
    """Clients and ids of the data set that the bodies refer to."""

    bench: Bench
    supplier: ChorusClient
    buyer: ChorusClient
    recorder: Recorder
    ids: dict[str, Any]

    def party(self, siret: str) -> dict[str, Any]:
        return self.bench.api.party(siret)


def _invoice(client: ChorusClient, status: str) -> int:
    found = client.rechercher_facture_par_fournisseur(statutCourant=[status]).listeFactures
    assert found, f"the data set has an invoice at {status}"
    value = found[0].identifiantFactureCPP
    assert value is not None
    return value


@pytest.fixture(scope="module")
def world(bench: Bench) -> World:
    recorder = Recorder()
    supplier = bench.client(SUPPLIER, transport=recorder)
    available = (
        supplier.rechercher_facture_par_fournisseur(
            statutCourant=["MISE_A_DISPOSITION"]
        ).listeFactures
        or []
    )
    assert available
    buyer_siret = available[0].codeDestinataire
    assert buyer_siret
    buyer = bench.client(buyer_siret, transport=recorder)
    ids = {
        "suspendue": _invoice(supplier, "SUSPENDUE"),
        "a_recycler": _invoice(supplier, "A_RECYCLER"),
        "rejetee": _invoice(supplier, "REJETEE"),
        "any": _invoice(supplier, "MISE_EN_PAIEMENT"),
        "received": available[0].identifiantFactureCPP,
        "buyer_siret": buyer_siret,
        "commune": bench.api.party(COMMUNE)["id_structure"],
        "supplier": bench.api.party(SUPPLIER)["id_structure"],
    }
    services = supplier.rechercher_services_structure(idStructure=ids["commune"]).listeServices
    assert services
    ids["service"] = services[0].idService
    recorder.sent.clear()
    return World(bench, supplier, buyer, recorder, ids)


def _pdf() -> str:
    return base64.b64encode(facturx(Facture("PDF-1"))).decode()


def _flow(w: World) -> str:
    if "flow" not in w.ids:
        answer = w.supplier.deposit_flow(
            ubl(Facture(f"OPS-{len(w.recorder.sent)}-{id(w)}")), "f.xml", "IN_DP_E1_UBL_INVOICE"
        )
        w.ids["flow"] = answer.numeroFluxDepot
    return str(w.ids["flow"])


def _attachment(w: World) -> int:
    answer = w.supplier.ajouter_fichier_dans_systeme(
        pieceJointeFichier=base64.b64encode(b"bon de livraison").decode(),
        pieceJointeNom="bl.txt",
        pieceJointeTypeMime="text/plain",
        pieceJointeExtension="txt",
    )
    assert answer.pieceJointeId
    return answer.pieceJointeId


SAISIE: dict[str, Any] = {
    "modeDepot": "SAISIE_API",
    "destinataire": {"codeDestinataire": "12345678200051"},
    "cadreDeFacturation": {"codeCadreFacturation": "A1_FACTURE_FOURNISSEUR"},
    "references": {"deviseFacture": "EUR", "typeFacture": "FACTURE", "typeTva": "SANS_TVA"},
    "lignePoste": [
        {
            "lignePosteNumero": 1,
            "lignePosteDenomination": "Audit",
            "lignePosteQuantite": 1,
            "lignePosteMontantUnitaireHT": 10,
            "lignePosteTauxTvaManuel": 0,
        }
    ],
    "montantTotal": {
        "montantHtTotal": 10,
        "montantTVA": 0,
        "montantTtcTotal": 10,
        "montantAPayer": 10,
    },
}

PAGE = {"nbResultatsParPage": 5, "pageResultatDemandee": 1}

#: (which client, body) per operation.
BODIES: dict[str, Callable[[World], tuple[str, dict[str, Any]]]] = {
    "deposerFluxFacture": lambda w: (
        "supplier",
        {
            "fichierFlux": base64.b64encode(ubl(Facture("OPS-FLUX"))).decode(),
            "nomFichier": "f.xml",
            "syntaxeFlux": "IN_DP_E1_UBL_INVOICE",
        },
    ),
    "deposerPdfFacture": lambda w: (
        "supplier",
        {"fichierFacture": _pdf(), "nomFichier": "f.pdf", "formatDepot": "PDF_NON_SIGNE"},
    ),
    "soumettreFacture": lambda w: (
        "supplier",
        {
            **SAISIE,
            "numeroFactureSaisi": f"OPS-S-{id(w)}",
            "fournisseur": {"idFournisseur": w.ids["supplier"]},
        },
    ),
    "consulterFactureParFournisseur": lambda w: (
        "supplier",
        {"identifiantFactureCPP": w.ids["any"]},
    ),
    "rechercherFactureParFournisseur": lambda w: (
        "supplier",
        {"statutCourant": ["MISE_EN_PAIEMENT"], "rechercheFactureParFournisseur": PAGE},
    ),
    "consulterHistoriqueFacture": lambda w: ("supplier", {"idFacture": w.ids["any"]}),
    "telechargerGroupeFacture": lambda w: (
        "supplier",
        {"format": "PDF", "listeFacture": [{"idFacture": w.ids["any"]}]},
    ),
    "completerFacture": lambda w: (
        "supplier",
        {
            "identifiantFactureCPP": w.ids["suspendue"],
            "commentaire": "BL joint",
            "pieceJointeComplementaire": [
                {
                    "pieceJointeComplementaireId": _attachment(w),
                    "pieceJointeComplementaireDesignation": "BL",
                    "pieceJointeComplementaireType": "BON_LIVRAISON",
                }
            ],
        },
    ),
    "recyclerFacture": lambda w: (
        "supplier",
        {
            "identifiantFactureCPP": w.ids["a_recycler"],
            "destinataire": {"codeDestinataire": "12345678200051"},
            "commentaire": "routage",
        },
    ),
    "corrigerValideurFacture": lambda w: ("supplier", {"idFacture": w.ids["any"]}),
    "traiterFacturesRejetees": lambda w: (
        "supplier",
        {"listeDemandePaiement": [{"idDemandePaiement": w.ids["rejetee"]}]},
    ),
    "rechercherFactureATraiterParFournisseur": lambda w: (
        "supplier",
        {"rechercheFactureATraiterParFournisseur": PAGE},
    ),
    "rechercherFactureRecipiendaire": lambda w: ("buyer", {"paramRecherche": PAGE}),
    "consulterFactureParRecipiendaire": lambda w: (
        "buyer",
        {"identifiantFactureCPP": w.ids["received"]},
    ),
    "traiterUneFactureRecue": lambda w: (
        "buyer",
        {"idFacture": w.ids["received"], "nouveauStatut": "SUSPENDUE", "motif": "Pièce manquante"},
    ),
    "rechercherFactureATraiterParRecipiendaire": lambda w: (
        "buyer",
        {"parametreRechercheFactureATraiterParRecipiendaire": PAGE},
    ),
    "rechercherDemandePaiement": lambda w: ("supplier", {"numeroFacture": "X"}),
    "rechercherFactureParValideur": lambda w: ("supplier", {"pagination": PAGE}),
    "rechercherFactureATraiterParValideur": lambda w: ("supplier", {"pagination": PAGE}),
    "consulterFactureParValideur": lambda w: ("supplier", {"identifiantFactureCPP": w.ids["any"]}),
    "traiterFactureAValider": lambda w: (
        "supplier",
        {"idFacture": w.ids["any"], "action": "VALIDATION"},
    ),
    "recupererStatutsFactureVisiblesParValideur": lambda w: ("supplier", {}),
    "rechercherStructure": lambda w: (
        "supplier",
        {"structure": {"identifiantStructure": COMMUNE, "typeIdentifiantStructure": "SIRET"}},
    ),
    "consulterStructureAvecTVAIntraCom": lambda w: (
        "supplier",
        {"idStructureCPP": w.ids["commune"], "codeLangue": "FR"},
    ),
    "rechercherServicesStructure": lambda w: (
        "supplier",
        {"idStructure": w.ids["commune"], "parametresRechercherServicesStructure": PAGE},
    ),
    "consulterServiceStructure": lambda w: (
        "supplier",
        {"idStructure": w.ids["commune"], "idService": w.ids["service"], "codeLangue": "FR"},
    ),
    "listerRattachementsStructureUtilisateur": lambda w: (
        "supplier",
        {"idStructure": w.ids["supplier"]},
    ),
    "rechercherEspaces": lambda w: ("supplier", {"structure": {"idStructure": w.ids["supplier"]}}),
    "consulterCR": lambda w: ("supplier", {"numeroFluxDepot": _flow(w)}),
    "consulterCRDetaille": lambda w: ("supplier", {"numeroFluxDepot": _flow(w)}),
    "ajouterFichierDansSysteme": lambda w: (
        "supplier",
        {
            "pieceJointeFichier": base64.b64encode(b"x").decode(),
            "pieceJointeNom": "x.txt",
            "pieceJointeTypeMime": "text/plain",
            "pieceJointeExtension": "txt",
        },
    ),
    "detacherPieceJointe": lambda w: ("supplier", {"idPieceJointeObjet": _attachment(w)}),
    "rechercherPieceJointeStructure": lambda w: (
        "supplier",
        {"idStructureCPP": w.ids["supplier"], "parametresRecherche": PAGE},
    ),
    "rechercherPieceJointeSurMonCompte": lambda w: ("supplier", {"parametresRecherche": PAGE}),
    "telechargerPieceJointe": lambda w: (
        "supplier",
        {
            "objetPieceJointe": "DEMANDE_PAIEMENT",
            "demandePaiement": {"listeFacture": [{"idFacture": w.ids["any"]}]},
        },
    ),
    "recupererTypesPieceJointe": lambda w: ("supplier", {"codeLangue": "FR"}),
    "recupererDevises": lambda w: ("supplier", {"codeLangue": "FR"}),
    "recupererModesReglement": lambda w: ("supplier", {}),
    "recupererCadreFacturation": lambda w: ("supplier", {"typeDemandePaiement": "FACTURE"}),
    "recupererTauxTva": lambda w: ("supplier", {"codeLangue": "FR"}),
    "recupererPays": lambda w: ("supplier", {"codeLangue": "FR"}),
    "recupererMotifsExonerationTva": lambda w: ("supplier", {"codeLangue": "FR"}),
    "recupererEtatParTypeDemandePaiement": lambda w: (
        "supplier",
        {"typeDemandePaiement": "FACTURE"},
    ),
    "recupererEtatsPossiblesPourTraitement": lambda w: (
        "buyer",
        {"statutCourant": "MISE_A_DISPOSITION"},
    ),
    "recupererTypeDemandePaiement": lambda w: ("supplier", {}),
    "recupererTypeFactureTravaux": lambda w: ("supplier", {}),
    "recupererTypeIdentifiantStructure": lambda w: ("supplier", {}),
    "recupererModeDepot": lambda w: ("supplier", {}),
    "recupererFormatFlux": lambda w: ("supplier", {}),
    "recupererSyntaxeFlux": lambda w: ("supplier", {"formatFlux": "IN_DP_E1_STRUCT"}),
    "recupererCoordonneesBancairesValides": lambda w: (
        "supplier",
        {"idStructure": w.ids["supplier"]},
    ),
    "recupererStructuresActivesPourFournisseur": lambda w: ("supplier", {}),
    "recupererStructuresActivesPourDestinataire": lambda w: ("buyer", {}),
    "recupererStructuresActivesPourFactureTravaux": lambda w: ("supplier", {}),
    "recupererStructuresPourUtilisateur": lambda w: ("supplier", {"espaceFo": 0}),
    "consulterInformationSIRET": lambda w: ("supplier", {"siretStructure": SUPPLIER}),
    "rechercherDestinataire": lambda w: ("supplier", {"identifiant": COMMUNE}),
    "rechercherServiceExecutant": lambda w: ("supplier", {"idDestinataireCPP": w.ids["commune"]}),
    "telechargerAnnuaireDestinataire": lambda w: ("supplier", {}),
    "recupererMotifsRefusFactureAValider": lambda w: (
        "supplier",
        {"codeCadreFacturationAValider": "A9_FACTURE_SOUSTRAITANT"},
    ),
    "rechercherEngagementJuridique": lambda w: ("supplier", {"parametresRecherche": PAGE}),
    "recupererRattachementsMonCompteUtilisateur": lambda w: (
        "supplier",
        {"parametresRecherche": PAGE},
    ),
}


def test_every_operation_has_a_body_here() -> None:
    assert set(BODIES) == set(ENDPOINTS)


@pytest.mark.parametrize("operation_id", sorted(BODIES))
def test_typed_method_round_trips(world: World, operation_id: str) -> None:
    name, endpoint = ENDPOINTS[operation_id]
    who, body = BODIES[operation_id](world)
    client = world.supplier if who == "supplier" else world.buyer
    method = getattr(client, name)
    world.recorder.sent.clear()
    if operation_id in REFUSED_BY_DESIGN:
        with pytest.raises(BusinessError) as caught:
            method(body)
        assert caught.value.code == REFUSED_BY_DESIGN[operation_id]
    else:
        answer = method(body)
        assert type(answer) is endpoint.response
        assert answer.codeRetour == 0
    sent = [s for s in world.recorder.sent if s[1] == endpoint.operation.path]
    assert sent, "the request went out"
    op = endpoint.operation
    if op.in_swagger:
        api = op.api.value
        definition = next(
            swagger.request_definition(o)
            for a, path, oid, o in swagger.operations()
            if path == op.path
        )
        for _, _, payload in sent:
            problems = swagger.errors(api, definition, payload)
            assert not problems, problems


def test_health_check_is_a_get_without_the_account(bench: Bench) -> None:
    recorder = Recorder()
    answer = bench.client(transport=recorder).health_check()
    assert answer.statusCode == "200"
    assert [(m, p) for m, p, _ in recorder.sent][-1] == ("GET", "/cpro/transverses/v1/health-check")
