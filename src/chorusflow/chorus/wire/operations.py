"""The catalogue of Chorus Pro operations: path, method, request and answer models.

One table that the client and the sandbox both read, so that a path or a model cannot differ
between them. Every operation of the two official swaggers is here (a test checks it against
them); the others come from API.md with their sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from chorusflow.chorus.wire import engagements as ej
from chorusflow.chorus.wire import factures as fa
from chorusflow.chorus.wire import structures as st
from chorusflow.chorus.wire import transverses as tr
from chorusflow.chorus.wire import utilisateurs as ut
from chorusflow.chorus.wire.base import WireModel, WsRetour


class Api(StrEnum):
    """The PISTE APIs an application subscribes to (the ``<api>`` of ``/cpro/<api>/v1/``)."""

    FACTURES = "factures"
    TRANSVERSES = "transverses"
    STRUCTURES = "structures"
    UTILISATEURS = "utilisateurs"
    ENGAGEMENTS_JURIDIQUES = "engagementsJuridiques"


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of the API."""

    operation_id: str
    api: Api
    route: str
    """Path after ``/cpro/<api>/v1/``, e.g. ``deposer/flux``."""
    request: type[WireModel] | None
    """Body model; None for the one GET (health-check)."""
    response: type[WireModel]
    in_swagger: bool = False
    """True when the operation is in one of the official swaggers (shared/chorus-pro)."""

    @property
    def path(self) -> str:
        return f"/cpro/{self.api.value}/v1/{self.route}"

    @property
    def method(self) -> str:
        return "POST" if self.request is not None else "GET"


def _factures(
    op: str, route: str, request: type[WireModel], response: type[WireModel]
) -> Operation:
    return Operation(op, Api.FACTURES, route, request, response, in_swagger=True)


def _structures(
    op: str, route: str, request: type[WireModel], response: type[WireModel]
) -> Operation:
    return Operation(op, Api.STRUCTURES, route, request, response, in_swagger=True)


def _transverses(
    op: str, route: str, request: type[WireModel] | None, response: type[WireModel]
) -> Operation:
    return Operation(op, Api.TRANSVERSES, route, request, response)


OPERATIONS: Final[tuple[Operation, ...]] = (
    # Factures: the 22 operations of the official swagger (API.md §3.0)
    _factures(
        "deposerFluxFacture",
        "deposer/flux",
        fa.DeposerFluxFactureParam,
        fa.WsRetourDeposerFluxFacture,
    ),
    _factures(
        "deposerPdfFacture", "deposer/pdf", fa.DeposerPdfFactureParam, fa.WsRetourDeposerPdfFacture
    ),
    _factures(
        "soumettreFacture", "soumettre", fa.SoumettreFactureParam, fa.WsRetourSoumettreFacture
    ),
    _factures(
        "consulterFactureParFournisseur",
        "consulter/fournisseur",
        fa.ConsulterFactureParFournisseurParam,
        fa.WsRetourFacturesEmises,
    ),
    _factures(
        "rechercherFactureParFournisseur",
        "rechercher/fournisseur",
        fa.RechercherFactureParFournisseurParam,
        fa.WsRetourRechercherFactureParFournisseur,
    ),
    _factures(
        "consulterHistoriqueFacture",
        "consulter/historique",
        fa.ConsulterHistoriqueFactureParam,
        fa.WsRetourConsulterHistoriqueFacture,
    ),
    _factures(
        "telechargerGroupeFacture",
        "telecharger/groupe",
        fa.TelechargerGroupeFactureParam,
        fa.WsRetourTelechargerGroupeFacture,
    ),
    _factures(
        "completerFacture", "completer", fa.CompleterFactureParam, fa.WsRetourCompleterFacture
    ),
    _factures("recyclerFacture", "recycler", fa.RecyclerFactureParam, fa.WsRetourRecyclerFacture),
    _factures(
        "corrigerValideurFacture",
        "corriger/valideur/facture",
        fa.CorrigerValideurFactureParam,
        fa.WsRetourCorrigerValideurFacture,
    ),
    _factures("traiterFacturesRejetees", "traiterRejet", fa.TraiterFacturesRejeteesParam, WsRetour),
    _factures(
        "rechercherFactureATraiterParFournisseur",
        "rechercher/atraiter/fournisseur",
        fa.RechercherFactureATraiterParFournisseurParam,
        fa.WsRetourRechercherFactureATraiterParFournisseur,
    ),
    _factures(
        "rechercherFactureRecipiendaire",
        "rechercher/recipiendaire",
        fa.RechercherFactureRecipiendaireParam,
        fa.WsRetourRechercheFactureRecipiendaireRest,
    ),
    _factures(
        "consulterFactureParRecipiendaire",
        "consulter/recipiendaire",
        fa.ConsulterFactureParRecipiendaireParam,
        fa.WsRetourFacturesRecues,
    ),
    _factures(
        "traiterUneFactureRecue",
        "traiter/recue",
        fa.TraiterUneFactureRecueParam,
        fa.WsRetourTraiterFacture,
    ),
    _factures(
        "rechercherFactureATraiterParRecipiendaire",
        "rechercher/atraiter/recipiendaire",
        fa.RechercherFactureATraiterParRecipiendaireParam,
        fa.WsRetourRechercheFactureRecipiendaire,
    ),
    _factures(
        "rechercherDemandePaiement",
        "rechercher/demandePaiement",
        fa.RechercherDemandePaiementParam,
        fa.WsRetourRechercherDemandePaiement,
    ),
    _factures(
        "rechercherFactureParValideur",
        "rechercher/valideur",
        fa.RechercherFactureParValideurParam,
        fa.WsRetourRechercherFactureParValideur,
    ),
    _factures(
        "rechercherFactureATraiterParValideur",
        "rechercher/aTraiter/valideur",
        fa.RechercherFactureATraiterParValideurParam,
        fa.WsRetourRechercherFactureATraiterParValideur,
    ),
    _factures(
        "consulterFactureParValideur",
        "consulter/valideur",
        fa.ConsulterFactureParValideurParam,
        fa.WsRetourFacturesEmises,
    ),
    _factures(
        "traiterFactureAValider",
        "traiter/factureAValider",
        fa.TraiterFactureAValiderParam,
        fa.WsRetourTraiterFactureAValider,
    ),
    _factures(
        "recupererStatutsFactureVisiblesParValideur",
        "recuperer/statutsFactureVisibles/valideur",
        fa.RecupererStatutsFactureVisiblesParValideurParam,
        fa.WsRetourRecupererStatutsFactureVisiblesParValideur,
    ),
    # Structures: the 6 operations of the official swagger (API.md §5)
    _structures(
        "rechercherStructure",
        "rechercher",
        st.RechercherStructureParam,
        st.WsRetourRechercherStructure,
    ),
    _structures(
        "consulterStructureAvecTVAIntraCom",
        "consulter",
        st.ConsulterStructureAvecTVAIntraComParam,
        st.WsRetourConsulterStructureTVAIntraCom,
    ),
    _structures(
        "rechercherServicesStructure",
        "rechercher/services",
        st.RechercherServicesStructureParam,
        st.WsRetourRechercherServicesStructure,
    ),
    _structures(
        "consulterServiceStructure",
        "consulter/service",
        st.ConsulterServiceStructureParam,
        st.WsRetourConsulterServiceStructure,
    ),
    _structures(
        "listerRattachementsStructureUtilisateur",
        "lister/rattachementsutilisateur",
        st.ListerRattachementsStructureUtilisateurParam,
        st.WsRetourListerRattachementsStructureUtilisateur,
    ),
    _structures(
        "rechercherEspaces",
        "rechercher/espaces",
        st.RechercherEspacesParam,
        st.WsRetourRechercherEspacesFo,
    ),
    # Transverses (API.md §4, no official swagger at hand)
    _transverses("healthCheck", "health-check", None, tr.HealthCheck),
    _transverses("consulterCR", "consulterCR", tr.ConsulterCRParam, tr.WsRetourConsulterCR),
    _transverses(
        "consulterCRDetaille",
        "consulterCRDetaille",
        tr.ConsulterCRDetailleParam,
        tr.WsRetourConsulterCRDetaille,
    ),
    _transverses(
        "ajouterFichierDansSysteme",
        "ajouter/fichier",
        tr.AjouterFichierDansSystemeParam,
        tr.WsRetourAjouterFichierDansSysteme,
    ),
    _transverses(
        "detacherPieceJointe", "detacherPieceJointe", tr.DetacherPieceJointeParam, WsRetour
    ),
    _transverses(
        "rechercherPieceJointeStructure",
        "rechercher/pj/structure",
        tr.RechercherPieceJointeStructureParam,
        tr.WsRetourRechercherPieceJointeStructure,
    ),
    _transverses(
        "rechercherPieceJointeSurMonCompte",
        "rechercher/pj/moncompte",
        tr.RechercherPieceJointeSurMonCompteParam,
        tr.WsRetourRechercherPieceJointeSurMonCompte,
    ),
    _transverses(
        "telechargerPieceJointe",
        "telecharger/pieceJointe",
        tr.TelechargerPieceJointeParam,
        tr.WsRetourTelechargerPieceJointe,
    ),
    _transverses(
        "recupererTypesPieceJointe",
        "recuperer/typespj",
        tr.TypePieceJointeParam,
        tr.WsRetourRecupererTypesPieceJointe,
    ),
    _transverses(
        "recupererDevises", "recuperer/devises", tr.CodeLangueParam, tr.WsRetourRecupererDevises
    ),
    _transverses(
        "recupererModesReglement",
        "recuperer/modereglements",
        tr.SansParametre,
        tr.WsRetourRecupererModesReglement,
    ),
    _transverses(
        "recupererCadreFacturation",
        "recuperer/cadrefacturation",
        tr.TypeDemandePaiementParam,
        tr.WsRetourRecupererCadreFacturation,
    ),
    _transverses(
        "recupererTauxTva", "recuperer/tauxtva", tr.CodeLangueParam, tr.WsRetourRecupererTauxTva
    ),
    _transverses("recupererPays", "recuperer/pays", tr.CodeLangueParam, tr.WsRetourRecupererPays),
    _transverses(
        "recupererMotifsExonerationTva",
        "recuperer/motifs/exonerationtva",
        tr.CodeLangueParam,
        tr.WsRetourRecupererMotifsExonerationTva,
    ),
    _transverses(
        "recupererEtatParTypeDemandePaiement",
        "recuperer/etat/typedp",
        tr.TypeDemandePaiementParam,
        tr.WsRetourRecupererEtatParTypeDemandePaiement,
    ),
    _transverses(
        "recupererEtatsPossiblesPourTraitement",
        "recuperer/etats/traitement",
        tr.RecupererEtatsPossiblesPourTraitementParam,
        tr.WsRetourRecupererEtatsPossiblesPourTraitement,
    ),
    _transverses(
        "recupererTypeDemandePaiement",
        "recuperer/typedp",
        tr.SansParametre,
        tr.WsRetourRecupererTypeDemandePaiement,
    ),
    _transverses(
        "recupererTypeFactureTravaux",
        "recuperer/typefacturetravaux",
        tr.SansParametre,
        tr.WsRetourRecupererTypeFactureTravaux,
    ),
    _transverses(
        "recupererTypeIdentifiantStructure",
        "recuperer/typeidentifiant/structure",
        tr.SansParametre,
        tr.WsRetourRecupererTypeIdentifiantStructure,
    ),
    _transverses(
        "recupererModeDepot", "recuperer/modedepot", tr.SansParametre, tr.WsRetourRecupererModeDepot
    ),
    _transverses(
        "recupererFormatFlux",
        "recuperer/formatflux",
        tr.SansParametre,
        tr.WsRetourRecupererFormatFlux,
    ),
    _transverses(
        "recupererSyntaxeFlux",
        "recuperer/syntaxeflux",
        tr.RecupererSyntaxeFluxParam,
        tr.WsRetourRecupererSyntaxeFlux,
    ),
    _transverses(
        "recupererCoordonneesBancairesValides",
        "recuperer/coordbanc/valides",
        tr.RecupererCoordonneesBancairesValidesParam,
        tr.WsRetourRecupererCoordonneesBancairesValides,
    ),
    _transverses(
        "recupererStructuresActivesPourFournisseur",
        "recuperer/structures/actives/fournisseur",
        tr.SansParametre,
        tr.WsRetourRecupererStructuresActives,
    ),
    _transverses(
        "recupererStructuresActivesPourDestinataire",
        "recuperer/structures/actives/destinataire",
        tr.SansParametre,
        tr.WsRetourRecupererStructuresActives,
    ),
    _transverses(
        "recupererStructuresActivesPourFactureTravaux",
        "recuperer/structures/actives/facturetravaux",
        tr.SansParametre,
        tr.WsRetourRecupererStructuresActives,
    ),
    _transverses(
        "recupererStructuresPourUtilisateur",
        "recuperer/structuresPourUtilisateur",
        tr.RecupererStructuresPourUtilisateurParam,
        tr.WsRetourRecupererStructuresPourUtilisateur,
    ),
    _transverses(
        "consulterInformationSIRET",
        "consulter/information/siret",
        tr.ConsulterInformationSiretParam,
        tr.WsRetourConsulterInformationSiret,
    ),
    _transverses(
        "rechercherDestinataire",
        "rechercher/destinataire",
        tr.RechercherDestinataireParam,
        tr.WsRetourRechercherDestinataire,
    ),
    _transverses(
        "rechercherServiceExecutant",
        "rechercher/serviceexecutant",
        tr.RechercherServiceExecutantParam,
        tr.WsRetourRechercherServiceExecutant,
    ),
    _transverses(
        "telechargerAnnuaireDestinataire",
        "telecharger/annuaire/destinataire",
        tr.SansParametre,
        tr.WsRetourTelechargerAnnuaireDestinataire,
    ),
    _transverses(
        "recupererMotifsRefusFactureAValider",
        "recuperer/motifs/refus/Facture/AValider",
        tr.RecupererMotifsRefusFactureAValiderParam,
        tr.WsRetourRecupererMotifsRefusFactureAValider,
    ),
    # Engagements juridiques (API.md §6) and Utilisateurs (§7)
    Operation(
        "rechercherEngagementJuridique",
        Api.ENGAGEMENTS_JURIDIQUES,
        "rechercher",
        ej.RechercherEngagementJuridiqueParam,
        ej.WsRetourRechercherEngagementJuridique,
    ),
    Operation(
        "recupererRattachementsMonCompteUtilisateur",
        Api.UTILISATEURS,
        "monCompte/recuperer/rattachements",
        ut.RecupererRattachementsMonCompteParam,
        ut.WsRetourRecupererRattachementsMonCompte,
    ),
)

BY_ID: Final[dict[str, Operation]] = {op.operation_id: op for op in OPERATIONS}
BY_PATH: Final[dict[str, Operation]] = {op.path: op for op in OPERATIONS}


def operation(operation_id: str) -> Operation:
    """The operation named ``operation_id`` (the swagger's operationId)."""
    return BY_ID[operation_id]
