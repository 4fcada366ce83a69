"""Wire models of the Chorus Pro Transverses API (flow reports, attachments, referentials).

No official swagger of this API was available: paths, field names and shapes come from
API.md §4 with their sources (S2, S3, S5, S7, S8, S10). Where a name is an inference, the
field says so.
"""

from __future__ import annotations

from pydantic import Field

from chorusflow.chorus.wire.base import (
    Horodatage,
    Nombre,
    ParametresRecherche,
    ParametresRetour,
    WireModel,
    WsRetour,
    lenient,
)
from chorusflow.chorus.wire.enums import (
    CadreFacturation,
    EtatFlux,
    FormatFlux,
    ModeDepot,
    ObjetPieceJointe,
    StatutFacture,
    SyntaxeFlux,
    TypeDemandePaiement,
    TypeFactureTravaux,
    TypeIdentifiant,
    TypeObjetPieceJointe,
)

# --- health-check (GET) ---------------------------------------------------------------


class HealthCheck(WireModel):
    """Answer of ``GET /cpro/transverses/v1/health-check``: the APIs are available."""

    body: str | None = None
    statusCodeValue: int | None = None
    statusCode: str | None = None


# --- flow reports ---------------------------------------------------------------------


class ConsulterCRParam(WireModel):
    """Request of ``consulterCR``: the report of a deposited flow."""

    numeroFluxDepot: str | None = Field(default=None, description="Numéro du flux déposé.")
    dateDepot: Horodatage | None = None
    syntaxeFlux: SyntaxeFlux | None = None


class WsRetourConsulterCR(WsRetour):
    """Answer of ``consulterCR``: state of the flow and its report as a PDF (``fichierCR``)."""

    numeroFluxDepot: str | None = None
    dateDepotFlux: Horodatage | None = None
    dateHeureEtatCourantFlux: Horodatage | None = None
    etatCourantFlux: EtatFlux | str | None = lenient()
    codeAppliPartenaire: str | None = None
    designationPartenaire: str | None = None
    codeInterfaceFlux: str | None = None
    nomFichierFlux: str | None = None
    fichierCR: str | None = Field(default=None, description="Compte rendu PDF en base 64.")


class ConsulterCRDetailleParam(WireModel):
    """Request of ``consulterCRDetaille``: the detailed report of a flow deposited by API."""

    numeroFluxDepot: str | None = None
    syntaxeFlux: SyntaxeFlux | None = None


class ErreurDP(WireModel):
    """One rejected invoice of a flow (``listeErreurDP``); several errors are joined by ``|``."""

    identifiantDestinataire: str | None = None
    identifiantFournisseur: str | None = None
    libelleErreurDP: str | None = None
    numeroDP: str | None = Field(default=None, description="Numéro de la facture rejetée.")


class ErreurTechnique(WireModel):
    """A reason the whole flow was refused (``listeErreurTechnique``), e.g. ``ERR_XSD_001``."""

    codeErreur: str | None = None
    libelleErreur: str | None = None
    natureErreur: str | None = None


class WsRetourConsulterCRDetaille(WsRetour):
    """Answer of ``consulterCRDetaille``; note ``etatCourantDepotFlux`` and no numeroFluxDepot."""

    codeInterfaceDepotFlux: str | None = None
    dateDepotFlux: Horodatage | None = None
    dateHeureEtatCourantFlux: Horodatage | None = None
    etatCourantDepotFlux: EtatFlux | str | None = lenient()
    nomFichier: str | None = None
    listeErreurDP: list[ErreurDP] | None = None
    listeErreurTechnique: list[ErreurTechnique] | None = None


# --- attachments ----------------------------------------------------------------------


class AjouterFichierDansSystemeParam(WireModel):
    """Request of ``ajouterFichierDansSysteme``: upload an attachment (10 Mo at most)."""

    idUtilisateurCourant: int | None = None
    pieceJointeFichier: str | None = Field(default=None, description="Fichier en base 64.")
    pieceJointeNom: str | None = Field(default=None, description="Nom, 50 caractères au plus.")
    pieceJointeTypeMime: str | None = None
    pieceJointeExtension: str | None = Field(default=None, description="Extension, ex. pdf.")


class WsRetourAjouterFichierDansSysteme(WsRetour):
    """Answer of ``ajouterFichierDansSysteme``: the id to use as pieceJointe*Id."""

    pieceJointeId: int | None = None


class DetacherPieceJointeParam(WireModel):
    """Request of ``detacherPieceJointe``: detach an uploaded attachment."""

    idPieceJointeObjet: int | None = None


class RechercherPieceJointeSurMonCompteParam(WireModel):
    """Request of ``rechercherPieceJointeSurMonCompte``."""

    codeLangue: str | None = None
    pieceJointeDesignation: str | None = None
    pieceJointeTypeId: int | None = None
    parametresRecherche: ParametresRecherche | None = None


class PieceJointeMonCompte(WireModel):
    """An attachment of the current user's account."""

    pieceJointeDesignation: str | None = None
    pieceJointeExtension: str | None = None
    pieceJointeId: int | None = None
    pieceJointeObjetId: int | None = None
    pieceJointeTypeCode: str | None = None
    pieceJointeTypeLibelle: str | None = None
    pieceJointeUtilisateurId: int | None = None


class WsRetourRechercherPieceJointeSurMonCompte(WsRetour):
    """Answer of ``rechercherPieceJointeSurMonCompte``."""

    listePiecesJointes: list[PieceJointeMonCompte] | None = None
    parametresRetour: ParametresRetour | None = None


class RechercherPieceJointeStructureParam(RechercherPieceJointeSurMonCompteParam):
    """Request of ``rechercherPieceJointeStructure``: attachments of one structure."""

    idStructureCPP: int | None = None


class PieceJointeStructure(PieceJointeMonCompte):
    """An attachment of a structure."""

    pieceJointeStructureCode: str | None = None
    pieceJointeStructureId: int | None = None
    pieceJointeStructureRaisonSociale: str | None = None


class WsRetourRechercherPieceJointeStructure(WsRetour):
    """Answer of ``rechercherPieceJointeStructure``."""

    listePiecesJointes: list[PieceJointeStructure] | None = None
    parametresRetour: ParametresRetour | None = None


class IdFacture(WireModel):
    """One invoice of a download request."""

    idFacture: int | None = None


class DemandePaiementPieceJointe(WireModel):
    """Which invoices' files to download (telechargerPieceJointe ``demandePaiement``)."""

    avecPiecesJointesComplementaires: str | None = None
    format: str | None = None
    listeFacture: list[IdFacture] | None = None


class EngagementJuridiquePieceJointe(WireModel):
    """Which engagement's attachment to download."""

    numeroEngagementJuridique: str | None = None


class TelechargerPieceJointeParam(WireModel):
    """Request of ``telechargerPieceJointe``."""

    objetPieceJointe: ObjetPieceJointe | None = None
    demandePaiement: DemandePaiementPieceJointe | None = None
    engagementJuridique: EngagementJuridiquePieceJointe | None = None
    sollicitation: dict[str, object] | None = None
    structure: dict[str, object] | None = None


class WsRetourTelechargerPieceJointe(WsRetour):
    """Answer of ``telechargerPieceJointe``: the file in base 64."""

    pieceJointe: str | None = None


# --- referentials ---------------------------------------------------------------------


class CodeLangueParam(WireModel):
    """Request of the referentials that take only a language (``FR`` or ``EN``)."""

    codeLangue: str | None = None


class SansParametre(WireModel):
    """Request of the referentials that take nothing (send ``{}``)."""


class TypeDemandePaiementParam(WireModel):
    """Request of the referentials that depend on a kind of payment request."""

    typeDemandePaiement: TypeDemandePaiement | None = None


class Devise(WireModel):
    codeDevise: str | None = None
    libelleDevise: str | None = None


class WsRetourRecupererDevises(WsRetour):
    """Answer of ``recupererDevises``."""

    listeDevises: list[Devise] | None = None


class ModePaiementItem(WireModel):
    modePaiement: str | None = None


class WsRetourRecupererModesReglement(WsRetour):
    """Answer of ``recupererModesReglement``."""

    listeModePaiement: list[ModePaiementItem] | None = None


class CadreFacturationItem(WireModel):
    codeCadreFacturation: CadreFacturation | str | None = lenient()


class WsRetourRecupererCadreFacturation(WsRetour):
    """Answer of ``recupererCadreFacturation``."""

    listeCadreFacturation: list[CadreFacturationItem] | None = None


class TauxTva(WireModel):
    """A VAT rate of the referential, e.g. ``TVA1`` "Art 293B(FranchiseEnBase)" 0."""

    codeTauxTva: str | None = None
    libelleTauxTva: str | None = None
    valeurTauxTva: Nombre | None = None


class WsRetourRecupererTauxTva(WsRetour):
    """Answer of ``recupererTauxTva``."""

    listeTauxTva: list[TauxTva] | None = None


class Pays(WireModel):
    codePays: str | None = None
    libellePays: str | None = None


class WsRetourRecupererPays(WsRetour):
    """Answer of ``recupererPays`` (ISO 3166 codes)."""

    listePays: list[Pays] | None = None


class MotifExonerationTva(WireModel):
    codeMotifExonerationTva: str | None = None
    libelleMotifExonerationTva: str | None = None


class WsRetourRecupererMotifsExonerationTva(WsRetour):
    """Answer of ``recupererMotifsExonerationTva``."""

    listeMotifsExonerationTva: list[MotifExonerationTva] | None = None


class EtatDemandePaiement(WireModel):
    etatDemandePaiement: StatutFacture | str | None = lenient()


class WsRetourRecupererEtatParTypeDemandePaiement(WsRetour):
    """Answer of ``recupererEtatParTypeDemandePaiement``."""

    listeEtatDemandePaiement: list[EtatDemandePaiement] | None = None


class RecupererEtatsPossiblesPourTraitementParam(WireModel):
    """Request of ``recupererEtatsPossiblesPourTraitement``: where can a buyer move it?"""

    statutCourant: StatutFacture | None = None


class StatutPossiblePourTraitement(WireModel):
    statutPossiblePourTraitement: StatutFacture | str | None = lenient()


class WsRetourRecupererEtatsPossiblesPourTraitement(WsRetour):
    """Answer of ``recupererEtatsPossiblesPourTraitement``."""

    listeStatutsPossiblesPourTraitement: list[StatutPossiblePourTraitement] | None = None


class TypeDemandePaiementItem(WireModel):
    typeDemandePaiement: TypeDemandePaiement | str | None = lenient()


class WsRetourRecupererTypeDemandePaiement(WsRetour):
    """Answer of ``recupererTypeDemandePaiement``."""

    listeTypeDemandePaiement: list[TypeDemandePaiementItem] | None = None


class TypeFactureTravauxItem(WireModel):
    typeFactureTravaux: TypeFactureTravaux | str | None = lenient()


class WsRetourRecupererTypeFactureTravaux(WsRetour):
    """Answer of ``recupererTypeFactureTravaux``."""

    listeTypeFactureTravaux: list[TypeFactureTravauxItem] | None = None


class TypeIdentifiantItem(WireModel):
    typeIdentifiantStructure: TypeIdentifiant | str | None = lenient()


class WsRetourRecupererTypeIdentifiantStructure(WsRetour):
    """Answer of ``recupererTypeIdentifiantStructure``."""

    listeTypeIdentifiant: list[TypeIdentifiantItem] | None = None


class ModeDepotItem(WireModel):
    modeDepot: ModeDepot | str | None = lenient()


class WsRetourRecupererModeDepot(WsRetour):
    """Answer of ``recupererModeDepot``."""

    listeModeDepot: list[ModeDepotItem] | None = None


class FormatFluxItem(WireModel):
    formatFlux: FormatFlux | str | None = lenient()


class WsRetourRecupererFormatFlux(WsRetour):
    """Answer of ``recupererFormatFlux``."""

    listeFormatFlux: list[FormatFluxItem] | None = None


class RecupererSyntaxeFluxParam(WireModel):
    """Request of ``recupererSyntaxeFlux``."""

    formatFlux: FormatFlux | None = None


class SyntaxeFluxItem(WireModel):
    syntaxeFlux: SyntaxeFlux | str | None = lenient()


class WsRetourRecupererSyntaxeFlux(WsRetour):
    """Answer of ``recupererSyntaxeFlux`` (list name inferred: no source shows it)."""

    listeSyntaxeFlux: list[SyntaxeFluxItem] | None = None


class TypePieceJointeParam(WireModel):
    """Request of ``recupererTypesPieceJointe``."""

    codeLangue: str | None = None
    typeObjet: TypeObjetPieceJointe | None = None


class TypePieceJointe(WireModel):
    codeTypePieceJointe: str | None = None
    idTypePieceJointe: int | None = None
    libelleTypePieceJointe: str | None = None
    typeObjet: TypeObjetPieceJointe | str | None = lenient()


class WsRetourRecupererTypesPieceJointe(WsRetour):
    """Answer of ``recupererTypesPieceJointe``."""

    listeTypePieceJointe: list[TypePieceJointe] | None = None


class RecupererCoordonneesBancairesValidesParam(WireModel):
    """Request of ``recupererCoordonneesBancairesValides``."""

    idStructure: int | None = None


class CoordonneeBancaire(WireModel):
    """Bank details of a structure; the id goes in codeCoordonneesBancairesFournisseur."""

    idCoordonneeBancaire: int | None = None
    nomCoordonneeBancaire: str | None = None


class WsRetourRecupererCoordonneesBancairesValides(WsRetour):
    """Answer of ``recupererCoordonneesBancairesValides``."""

    listeCoordonneeBancaire: list[CoordonneeBancaire] | None = None


class StructureActive(WireModel):
    """An active structure the user may invoice from or to."""

    idStructureCPP: int | None = None
    designationStructure: str | None = None
    identifiant: str | None = None


class WsRetourRecupererStructuresActives(WsRetour):
    """Answer of ``recupererStructuresActivesPour{Fournisseur,Destinataire,FactureTravaux}``."""

    listeStructures: list[StructureActive] | None = None


class RecupererStructuresPourUtilisateurParam(WireModel):
    """Request of ``recupererStructuresPourUtilisateur``."""

    espaceFo: int | None = None


class StructurePourUtilisateur(WireModel):
    designationStructure: str | None = None
    idStructure: int | None = None
    identifiantStructure: str | None = None
    typeIdentifiantStructure: TypeIdentifiant | str | None = lenient()


class WsRetourRecupererStructuresPourUtilisateur(WsRetour):
    """Answer of ``recupererStructuresPourUtilisateur``."""

    listeStructures: list[StructurePourUtilisateur] | None = None


class ConsulterInformationSiretParam(WireModel):
    """Request of ``consulterInformationSIRET`` (does not work in qualification)."""

    siretStructure: str | None = None


class WsRetourConsulterInformationSiret(WsRetour):
    """Answer of ``consulterInformationSIRET``: the directory's data on a SIRET."""

    siret: str | None = None
    siren: str | None = None
    raisonSociale: str | None = None
    adresse: str | None = None
    estActif: bool | None = None
    siege: bool | None = None


class RechercherDestinataireParam(WireModel):
    """Request of ``rechercherDestinataire``: public recipients by identifier or place."""

    identifiant: str | None = None
    nomVilleCodePostal: str | None = None
    typeStructure: str | None = None
    parametresRecherche: ParametresRecherche | None = None


class DestinataireTrouve(WireModel):
    idStructureCPP: int | None = None
    siret: str | None = None
    nomDestinataire: str | None = None
    adresseCodePostal: str | None = None
    adresseVille: str | None = None


class WsRetourRechercherDestinataire(WsRetour):
    """Answer of ``rechercherDestinataire``."""

    listeDestinataires: list[DestinataireTrouve] | None = None
    parametresRetour: ParametresRetour | None = None


class RechercherServiceExecutantParam(WireModel):
    """Request of ``rechercherServiceExecutant``: services of a recipient."""

    idDestinataireCPP: int | None = None
    codeServiceExecutant: str | None = None
    nomServiceExecutant: str | None = None
    actif: bool | None = None
    parametresRecherche: ParametresRecherche | None = None


class ServiceExecutant(WireModel):
    """A recipient's service (item names inferred from the request's)."""

    idServiceExecutant: int | None = None
    codeServiceExecutant: str | None = None
    nomServiceExecutant: str | None = None
    actif: bool | None = None


class WsRetourRechercherServiceExecutant(WsRetour):
    """Answer of ``rechercherServiceExecutant`` (list name inferred)."""

    listeServicesExecutants: list[ServiceExecutant] | None = None
    parametresRetour: ParametresRetour | None = None


class WsRetourTelechargerAnnuaireDestinataire(WsRetour):
    """Answer of ``telechargerAnnuaireDestinataire``: the public directory, a ZIP in base 64."""

    fichierResultat: str | None = None


class RecupererMotifsRefusFactureAValiderParam(WireModel):
    """Request of ``recupererMotifsRefusFactureAValider``."""

    codeCadreFacturationAValider: str | None = None


class MotifRefus(WireModel):
    idMotif: int | None = None
    codeMotif: str | None = None
    libelleMotif: str | None = None


class WsRetourRecupererMotifsRefusFactureAValider(WsRetour):
    """Answer of ``recupererMotifsRefusFactureAValider``."""

    listeMotifRefusFactureAValider: list[MotifRefus] | None = None
