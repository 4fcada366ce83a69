"""The Chorus Pro client: PISTE OAuth2, the technical account, and every operation.

::

    with ChorusClient.from_settings(load_settings()) as client:
        deposit = client.deposit_flow(pdf_bytes, "F-2026-001.pdf", SyntaxeFlux.IN_DP_E2_CII_FACTURX)
        report = client.flow_report(deposit.numeroFluxDepot)
        for invoice in client.rechercher_facture_par_fournisseur.all(numeroFluxDepot=...):
            ...

Every operation of the catalogue is an attribute named after its operationId in snake case
(``soumettre_facture``, ``consulter_cr_detaille`` ...) that takes the request model (or a dict,
or keyword fields) and returns the answer model. Searches also have ``.all()`` and
``.pages()``. A refusal of any kind is an exception of :mod:`chorusflow.chorus.exceptions`;
an answer is returned only when ``codeRetour`` is 0.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from chorusflow.chorus import catalogue
from chorusflow.chorus._auth import DEFAULT_MARGIN, TokenSource
from chorusflow.chorus._endpoints import Endpoint, SearchEndpoint
from chorusflow.chorus._transport import HttpOptions, Transport
from chorusflow.chorus.credentials import Credentials
from chorusflow.chorus.environments import Environment
from chorusflow.chorus.exceptions import (
    ApiNotSubscribedError,
    BusinessError,
    NoResultError,
    RequestError,
    TechnicalAccountError,
    TokenError,
    UnexpectedAnswerError,
)
from chorusflow.chorus.wire import engagements as ej
from chorusflow.chorus.wire import factures as fa
from chorusflow.chorus.wire import structures as st
from chorusflow.chorus.wire import transverses as tr
from chorusflow.chorus.wire import utilisateurs as ut
from chorusflow.chorus.wire.base import WireModel, WsRetour
from chorusflow.chorus.wire.enums import SyntaxeFlux
from chorusflow.chorus.wire.operations import Api, Operation, operation

log = logging.getLogger("chorusflow.chorus")

Resp = TypeVar("Resp", bound=WireModel)

JSON_MEDIA = "application/json;charset=utf-8"

#: What to do when an API is not attached to the PISTE application (HTTP 403).
SUBSCRIBE_FIX = (
    "On piste.gouv.fr, open Applications > your application > Modifier l'application, tick "
    "the Chorus Pro API '{api}' (accept its CGU first on the application's consent page) and "
    "save; qualification and production applications are subscribed separately."
)
#: What to do when the technical account is refused (HTTP 401 with a fresh token).
ACCOUNT_FIX = (
    "Check the technical account's login and password in Chorus Pro (Raccordement EDI et API "
    "> Compte technique; in qualification, the data set's 'Changer le mot de passe d'un "
    "utilisateur de test'); its password expires, and qualification and production accounts "
    "differ."
)


class ChorusClient:
    """A connection to one Chorus Pro environment, safe to share between threads."""

    def __init__(
        self,
        *,
        token_url: str,
        api_url: str,
        credentials: Credentials,
        http: HttpOptions | None = None,
        transport: httpx.BaseTransport | None = None,
        token_margin: float = DEFAULT_MARGIN,
        environment: Environment | None = None,
    ) -> None:
        self.token_url = token_url
        self.api_url = api_url.rstrip("/")
        self.environment = environment
        self.credentials = credentials
        self._transport = Transport(http or HttpOptions(), transport)
        self.tokens = TokenSource(self._transport, token_url, credentials, margin=token_margin)
        self._cpro_account = credentials.cpro_account()

    @classmethod
    def from_settings(cls, settings: Any, *, transport: httpx.BaseTransport | None = None) -> Self:
        """A client for the environment a :class:`~chorusflow.chorus.config.Settings` names."""
        return cls(
            token_url=settings.token_url,
            api_url=settings.api_url,
            credentials=settings.credentials,
            http=settings.http,
            transport=transport,
            environment=settings.environment,
        )

    def __repr__(self) -> str:
        return (
            f"ChorusClient(api_url={self.api_url!r}, client_id={self.credentials.client_id!r}, "
            f"login={self.credentials.login!r})"
        )

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- the one generic call ---------------------------------------------------------

    def call(self, op: Operation, payload: Mapping[str, Any] | None, response: type[Resp]) -> Resp:
        """Send ``payload`` to ``op`` and read its answer as ``response``.

        The token is renewed once if the gateway refuses it (401); a second 401 with a fresh
        token is the technical account's. Any ``codeRetour`` ≠ 0, in a 200 or a 4xx, raises
        :class:`BusinessError`.
        """
        url = self.api_url + op.path
        what = f"{op.operation_id} ({op.method} {op.path})"
        for attempt in (1, 2):
            token = self.tokens.token()
            headers = {"Authorization": f"Bearer {token}", "Accept": JSON_MEDIA}
            if op.request is not None:
                headers["cpro-account"] = self._cpro_account
                headers["Content-Type"] = JSON_MEDIA
            http = self._transport.send(
                op.method,
                url,
                headers=headers,
                json_body=dict(payload or {}) if op.request is not None else None,
                what=what,
            )
            if http.status_code == 401 and attempt == 1:
                log.info("%s: token refused (401), renewing it once", op.operation_id)
                self.tokens.invalidate(token)
                continue
            return self._read(op, http, response)
        raise AssertionError("unreachable")  # pragma: no cover

    def _read(self, op: Operation, http: httpx.Response, response: type[Resp]) -> Resp:
        status = http.status_code
        if status == 401:
            if op.request is None:
                raise TokenError(
                    f"PISTE refused a token it had just issued for {op.operation_id} (HTTP 401).",
                    "Check that the PISTE application is active; try again later.",
                    status=401,
                )
            raise TechnicalAccountError(
                f"Chorus Pro refused the technical account '{self.credentials.login}' "
                f"(HTTP 401 on {op.operation_id}).",
                ACCOUNT_FIX,
                status=401,
            )
        if status == 403:
            raise ApiNotSubscribedError(
                f"The PISTE application is not allowed to call the API '{op.api.value}' "
                f"(HTTP 403 on {op.operation_id}).",
                SUBSCRIBE_FIX.format(api=_api_title(op.api)),
                api=op.api.value,
            )
        data = _json(http)
        if isinstance(data, dict) and "codeRetour" in data:
            code = _int(data.get("codeRetour"))
            libelle = str(data.get("libelle") or "")
            if status >= 400 and (code is None or code == status):
                entry = catalogue.http_entry(status)
                raise RequestError(
                    f"{op.operation_id} was refused: {entry.meaning} (HTTP {status}"
                    + (f", {libelle}" if libelle else "")
                    + ").",
                    entry.fix,
                    status=status,
                )
            if code is not None and code != 0:
                entry = catalogue.lookup(op.operation_id, code, libelle)
                kind = NoResultError if entry.no_result else BusinessError
                raise kind(
                    operation=op.operation_id,
                    code=code,
                    libelle=libelle,
                    entry=entry,
                    status=status,
                )
        if status >= 400:
            entry = catalogue.http_entry(status)
            raise RequestError(
                f"{op.operation_id} was refused: {entry.meaning} (HTTP {status}).",
                entry.fix,
                status=status,
            )
        if status != 200 or not isinstance(data, dict):
            raise UnexpectedAnswerError(
                f"{op.operation_id} answered HTTP {status} with "
                + ("no JSON object" if not isinstance(data, dict) else "an unexpected status")
                + f" ({http.headers.get('content-type', 'no content type')}).",
                "Check api_url: it must be the PISTE API host of the chosen environment.",
                status=status,
            )
        if issubclass(response, WsRetour) and "codeRetour" not in data:
            raise UnexpectedAnswerError(
                f"{op.operation_id} answered without codeRetour: not a Chorus Pro answer.",
                "Check api_url: it must be the PISTE API host of the chosen environment.",
                status=status,
            )
        try:
            return response.model_validate(data)
        except ValueError as error:
            first = str(error).splitlines()
            raise UnexpectedAnswerError(
                f"{op.operation_id} answered fields chorusflow cannot read "
                f"({first[1].strip() if len(first) > 1 else first[0]}).",
                "Please report it with the operation name; the answer was not used.",
                status=status,
            ) from None

    # --- the operations of the catalogue (one line each; see _endpoints) --------------

    # --- factures ---
    deposer_flux_facture = Endpoint(
        "deposerFluxFacture", fa.DeposerFluxFactureParam, fa.WsRetourDeposerFluxFacture
    )
    deposer_pdf_facture = Endpoint(
        "deposerPdfFacture", fa.DeposerPdfFactureParam, fa.WsRetourDeposerPdfFacture
    )
    soumettre_facture = Endpoint(
        "soumettreFacture", fa.SoumettreFactureParam, fa.WsRetourSoumettreFacture
    )
    consulter_facture_par_fournisseur = Endpoint(
        "consulterFactureParFournisseur",
        fa.ConsulterFactureParFournisseurParam,
        fa.WsRetourFacturesEmises,
    )
    rechercher_facture_par_fournisseur = SearchEndpoint(
        "rechercherFactureParFournisseur",
        fa.RechercherFactureParFournisseurParam,
        fa.WsRetourRechercherFactureParFournisseur,
        fa.RetourRechercherFactureParFournisseur,
    )
    consulter_historique_facture = Endpoint(
        "consulterHistoriqueFacture",
        fa.ConsulterHistoriqueFactureParam,
        fa.WsRetourConsulterHistoriqueFacture,
    )
    telecharger_groupe_facture = Endpoint(
        "telechargerGroupeFacture",
        fa.TelechargerGroupeFactureParam,
        fa.WsRetourTelechargerGroupeFacture,
    )
    completer_facture = Endpoint(
        "completerFacture", fa.CompleterFactureParam, fa.WsRetourCompleterFacture
    )
    recycler_facture = Endpoint(
        "recyclerFacture", fa.RecyclerFactureParam, fa.WsRetourRecyclerFacture
    )
    corriger_valideur_facture = Endpoint(
        "corrigerValideurFacture",
        fa.CorrigerValideurFactureParam,
        fa.WsRetourCorrigerValideurFacture,
    )
    traiter_factures_rejetees = Endpoint(
        "traiterFacturesRejetees", fa.TraiterFacturesRejeteesParam, WsRetour
    )
    rechercher_facture_a_traiter_par_fournisseur = SearchEndpoint(
        "rechercherFactureATraiterParFournisseur",
        fa.RechercherFactureATraiterParFournisseurParam,
        fa.WsRetourRechercherFactureATraiterParFournisseur,
        fa.FactureRechercherATraiterFournisseur,
    )
    rechercher_facture_recipiendaire = SearchEndpoint(
        "rechercherFactureRecipiendaire",
        fa.RechercherFactureRecipiendaireParam,
        fa.WsRetourRechercheFactureRecipiendaireRest,
        fa.FactureRechercheRecipiendaire,
    )
    consulter_facture_par_recipiendaire = Endpoint(
        "consulterFactureParRecipiendaire",
        fa.ConsulterFactureParRecipiendaireParam,
        fa.WsRetourFacturesRecues,
    )
    traiter_une_facture_recue = Endpoint(
        "traiterUneFactureRecue", fa.TraiterUneFactureRecueParam, fa.WsRetourTraiterFacture
    )
    rechercher_facture_a_traiter_par_recipiendaire = SearchEndpoint(
        "rechercherFactureATraiterParRecipiendaire",
        fa.RechercherFactureATraiterParRecipiendaireParam,
        fa.WsRetourRechercheFactureRecipiendaire,
        fa.FactureRechercheRecipiendaire,
    )
    rechercher_demande_paiement = Endpoint(
        "rechercherDemandePaiement",
        fa.RechercherDemandePaiementParam,
        fa.WsRetourRechercherDemandePaiement,
    )
    rechercher_facture_par_valideur = SearchEndpoint(
        "rechercherFactureParValideur",
        fa.RechercherFactureParValideurParam,
        fa.WsRetourRechercherFactureParValideur,
        fa.FactureRechercheValideur,
    )
    rechercher_facture_a_traiter_par_valideur = SearchEndpoint(
        "rechercherFactureATraiterParValideur",
        fa.RechercherFactureATraiterParValideurParam,
        fa.WsRetourRechercherFactureATraiterParValideur,
        fa.FactureRechercheValideur,
    )
    consulter_facture_par_valideur = Endpoint(
        "consulterFactureParValideur",
        fa.ConsulterFactureParValideurParam,
        fa.WsRetourFacturesEmises,
    )
    traiter_facture_a_valider = Endpoint(
        "traiterFactureAValider", fa.TraiterFactureAValiderParam, fa.WsRetourTraiterFactureAValider
    )
    recuperer_statuts_facture_visibles_par_valideur = Endpoint(
        "recupererStatutsFactureVisiblesParValideur",
        fa.RecupererStatutsFactureVisiblesParValideurParam,
        fa.WsRetourRecupererStatutsFactureVisiblesParValideur,
    )

    # --- structures ---
    rechercher_structure = SearchEndpoint(
        "rechercherStructure",
        st.RechercherStructureParam,
        st.WsRetourRechercherStructure,
        st.StructureAAfficher,
    )
    consulter_structure = Endpoint(
        "consulterStructureAvecTVAIntraCom",
        st.ConsulterStructureAvecTVAIntraComParam,
        st.WsRetourConsulterStructureTVAIntraCom,
    )
    rechercher_services_structure = SearchEndpoint(
        "rechercherServicesStructure",
        st.RechercherServicesStructureParam,
        st.WsRetourRechercherServicesStructure,
        st.ServiceExpose,
    )
    consulter_service_structure = Endpoint(
        "consulterServiceStructure",
        st.ConsulterServiceStructureParam,
        st.WsRetourConsulterServiceStructure,
    )
    lister_rattachements_structure_utilisateur = SearchEndpoint(
        "listerRattachementsStructureUtilisateur",
        st.ListerRattachementsStructureUtilisateurParam,
        st.WsRetourListerRattachementsStructureUtilisateur,
        st.ServiceOutputListerRattachementsStructureUtilisateur,
    )
    rechercher_espaces = SearchEndpoint(
        "rechercherEspaces",
        st.RechercherEspacesParam,
        st.WsRetourRechercherEspacesFo,
        st.WsRetourEspaceFoServiceSxp,
    )

    # --- transverses ---
    consulter_cr = Endpoint("consulterCR", tr.ConsulterCRParam, tr.WsRetourConsulterCR)
    consulter_cr_detaille = Endpoint(
        "consulterCRDetaille", tr.ConsulterCRDetailleParam, tr.WsRetourConsulterCRDetaille
    )
    ajouter_fichier_dans_systeme = Endpoint(
        "ajouterFichierDansSysteme",
        tr.AjouterFichierDansSystemeParam,
        tr.WsRetourAjouterFichierDansSysteme,
    )
    detacher_piece_jointe = Endpoint("detacherPieceJointe", tr.DetacherPieceJointeParam, WsRetour)
    rechercher_piece_jointe_structure = SearchEndpoint(
        "rechercherPieceJointeStructure",
        tr.RechercherPieceJointeStructureParam,
        tr.WsRetourRechercherPieceJointeStructure,
        tr.PieceJointeStructure,
    )
    rechercher_piece_jointe_sur_mon_compte = SearchEndpoint(
        "rechercherPieceJointeSurMonCompte",
        tr.RechercherPieceJointeSurMonCompteParam,
        tr.WsRetourRechercherPieceJointeSurMonCompte,
        tr.PieceJointeMonCompte,
    )
    telecharger_piece_jointe = Endpoint(
        "telechargerPieceJointe", tr.TelechargerPieceJointeParam, tr.WsRetourTelechargerPieceJointe
    )
    recuperer_types_piece_jointe = Endpoint(
        "recupererTypesPieceJointe", tr.TypePieceJointeParam, tr.WsRetourRecupererTypesPieceJointe
    )
    recuperer_devises = Endpoint(
        "recupererDevises", tr.CodeLangueParam, tr.WsRetourRecupererDevises
    )
    recuperer_modes_reglement = Endpoint(
        "recupererModesReglement", tr.SansParametre, tr.WsRetourRecupererModesReglement
    )
    recuperer_cadre_facturation = Endpoint(
        "recupererCadreFacturation",
        tr.TypeDemandePaiementParam,
        tr.WsRetourRecupererCadreFacturation,
    )
    recuperer_taux_tva = Endpoint(
        "recupererTauxTva", tr.CodeLangueParam, tr.WsRetourRecupererTauxTva
    )
    recuperer_pays = Endpoint("recupererPays", tr.CodeLangueParam, tr.WsRetourRecupererPays)
    recuperer_motifs_exoneration_tva = Endpoint(
        "recupererMotifsExonerationTva",
        tr.CodeLangueParam,
        tr.WsRetourRecupererMotifsExonerationTva,
    )
    recuperer_etat_par_type_demande_paiement = Endpoint(
        "recupererEtatParTypeDemandePaiement",
        tr.TypeDemandePaiementParam,
        tr.WsRetourRecupererEtatParTypeDemandePaiement,
    )
    recuperer_etats_possibles_pour_traitement = Endpoint(
        "recupererEtatsPossiblesPourTraitement",
        tr.RecupererEtatsPossiblesPourTraitementParam,
        tr.WsRetourRecupererEtatsPossiblesPourTraitement,
    )
    recuperer_type_demande_paiement = Endpoint(
        "recupererTypeDemandePaiement", tr.SansParametre, tr.WsRetourRecupererTypeDemandePaiement
    )
    recuperer_type_facture_travaux = Endpoint(
        "recupererTypeFactureTravaux", tr.SansParametre, tr.WsRetourRecupererTypeFactureTravaux
    )
    recuperer_type_identifiant_structure = Endpoint(
        "recupererTypeIdentifiantStructure",
        tr.SansParametre,
        tr.WsRetourRecupererTypeIdentifiantStructure,
    )
    recuperer_mode_depot = Endpoint(
        "recupererModeDepot", tr.SansParametre, tr.WsRetourRecupererModeDepot
    )
    recuperer_format_flux = Endpoint(
        "recupererFormatFlux", tr.SansParametre, tr.WsRetourRecupererFormatFlux
    )
    recuperer_syntaxe_flux = Endpoint(
        "recupererSyntaxeFlux", tr.RecupererSyntaxeFluxParam, tr.WsRetourRecupererSyntaxeFlux
    )
    recuperer_coordonnees_bancaires_valides = Endpoint(
        "recupererCoordonneesBancairesValides",
        tr.RecupererCoordonneesBancairesValidesParam,
        tr.WsRetourRecupererCoordonneesBancairesValides,
    )
    recuperer_structures_actives_pour_fournisseur = Endpoint(
        "recupererStructuresActivesPourFournisseur",
        tr.SansParametre,
        tr.WsRetourRecupererStructuresActives,
    )
    recuperer_structures_actives_pour_destinataire = Endpoint(
        "recupererStructuresActivesPourDestinataire",
        tr.SansParametre,
        tr.WsRetourRecupererStructuresActives,
    )
    recuperer_structures_actives_pour_facture_travaux = Endpoint(
        "recupererStructuresActivesPourFactureTravaux",
        tr.SansParametre,
        tr.WsRetourRecupererStructuresActives,
    )
    recuperer_structures_pour_utilisateur = Endpoint(
        "recupererStructuresPourUtilisateur",
        tr.RecupererStructuresPourUtilisateurParam,
        tr.WsRetourRecupererStructuresPourUtilisateur,
    )
    consulter_information_siret = Endpoint(
        "consulterInformationSIRET",
        tr.ConsulterInformationSiretParam,
        tr.WsRetourConsulterInformationSiret,
    )
    rechercher_destinataire = SearchEndpoint(
        "rechercherDestinataire",
        tr.RechercherDestinataireParam,
        tr.WsRetourRechercherDestinataire,
        tr.DestinataireTrouve,
    )
    rechercher_service_executant = SearchEndpoint(
        "rechercherServiceExecutant",
        tr.RechercherServiceExecutantParam,
        tr.WsRetourRechercherServiceExecutant,
        tr.ServiceExecutant,
    )
    telecharger_annuaire_destinataire = Endpoint(
        "telechargerAnnuaireDestinataire",
        tr.SansParametre,
        tr.WsRetourTelechargerAnnuaireDestinataire,
    )
    recuperer_motifs_refus_facture_a_valider = Endpoint(
        "recupererMotifsRefusFactureAValider",
        tr.RecupererMotifsRefusFactureAValiderParam,
        tr.WsRetourRecupererMotifsRefusFactureAValider,
    )

    # --- engagementsJuridiques ---
    rechercher_engagement_juridique = SearchEndpoint(
        "rechercherEngagementJuridique",
        ej.RechercherEngagementJuridiqueParam,
        ej.WsRetourRechercherEngagementJuridique,
        ej.EngagementJuridique,
    )

    # --- utilisateurs ---
    recuperer_rattachements_mon_compte_utilisateur = SearchEndpoint(
        "recupererRattachementsMonCompteUtilisateur",
        ut.RecupererRattachementsMonCompteParam,
        ut.WsRetourRecupererRattachementsMonCompte,
        ut.StructureRattachement,
    )

    # --- the one GET ------------------------------------------------------------------

    def health_check(self) -> tr.HealthCheck:
        """``GET /cpro/transverses/v1/health-check``: are the APIs available (token only)."""
        return self.call(operation("healthCheck"), None, tr.HealthCheck)

    # --- what the outbox and doctor do most, in domain words --------------------------

    def deposit_flow(
        self, content: bytes, filename: str, syntaxe: SyntaxeFlux | str
    ) -> fa.WsRetourDeposerFluxFacture:
        """Deposit one file (or tar.gz/zip batch) as a flow; the answer has numeroFluxDepot.

        The base64 has no line breaks: the platform misreads them (seeds, WINDEV).
        """
        return self.deposer_flux_facture(
            fichierFlux=base64.b64encode(content).decode("ascii"),
            nomFichier=filename,
            syntaxeFlux=SyntaxeFlux(syntaxe),
            avecSignature=False,
        )

    def flow_report(self, numero_flux_depot: str) -> tr.WsRetourConsulterCRDetaille:
        """consulterCRDetaille: the flow's state and each invoice's errors."""
        return self.consulter_cr_detaille(numeroFluxDepot=numero_flux_depot)

    def invoices_of_flow(
        self, numero_flux_depot: str
    ) -> list[fa.RetourRechercherFactureParFournisseur]:
        """Every invoice Chorus Pro integrated from a flow (all pages)."""
        return list(self.rechercher_facture_par_fournisseur.all(numeroFluxDepot=numero_flux_depot))

    def invoice_history(
        self, identifiant_facture_cpp: int
    ) -> fa.WsRetourConsulterHistoriqueFacture:
        """consulterHistoriqueFacture: current status (statutCourantCode) and history."""
        return self.consulter_historique_facture(idFacture=identifiant_facture_cpp)

    def my_structures(self) -> list[ut.StructureRattachement]:
        """The structures the technical account is attached to (its idStructure is the
        ``idFournisseur`` of soumettreFacture)."""
        return list(self.recuperer_rattachements_mon_compte_utilisateur.all())


def _api_title(api: Api) -> str:
    return {
        Api.FACTURES: "Factures",
        Api.TRANSVERSES: "Transverses",
        Api.STRUCTURES: "Structures",
        Api.UTILISATEURS: "Utilisateurs",
        Api.ENGAGEMENTS_JURIDIQUES: "Engagements juridiques",
    }[api]


def _json(http: httpx.Response) -> Any:
    try:
        return http.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
