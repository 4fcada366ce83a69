"""The Transverses API: flow reports, attachments and the referentials."""

from __future__ import annotations

import base64
import io
import json
import zipfile

from sqlalchemy import select

from chorusflow.chorus.wire import transverses as tr
from chorusflow.chorus.wire.base import WireModel, WsRetour
from chorusflow.chorus.wire.enums import StatutFacture as S
from chorusflow.chorus.wire.enums import TypeDemandePaiement
from chorusflow.sandbox import errors
from chorusflow.sandbox.auth import Caller
from chorusflow.sandbox.context import Sandbox, handles, page_of, paris
from chorusflow.sandbox.flows import decode_base64
from chorusflow.sandbox.lifecycle import BUYER_TARGETS
from chorusflow.sandbox.referentials import (
    CADRES_PAR_TYPE,
    DEVISES,
    FORMATS_FLUX,
    MODES_DEPOT,
    MODES_PAIEMENT,
    MOTIFS_EXONERATION,
    PAYS,
    SYNTAXES_PAR_FORMAT,
    TAUX_TVA,
    TYPES_DEMANDE_PAIEMENT,
    TYPES_FACTURE_TRAVAUX,
    TYPES_IDENTIFIANT,
    TYPES_PIECE_JOINTE,
)
from chorusflow.sandbox.store import Facture, Flux, PieceJointe, Structure

#: Extensions an attachment may have (API.md §4.4).
EXTENSIONS = frozenset(
    [
        "BMP",
        "HTM",
        "FAX",
        "PNG",
        "XHTML",
        "BZ2",
        "JPEG",
        "PPS",
        "XLC",
        "CSV",
        "JPG",
        "PPT",
        "PPTX",
        "XLM",
        "DOC",
        "ODP",
        "RTF",
        "XLS",
        "GIF",
        "ODS",
        "SVG",
        "XML",
        "GZ",
        "ODT",
        "TGZ",
        "XSD",
        "GZIP",
        "P7S",
        "TIF",
        "XSL",
        "HTML",
        "PDF",
        "TXT",
        "ZIP",
        "TIFF",
        "XLSX",
        "DOCX",
    ]
)


def _ok() -> dict[str, object]:
    return {"codeRetour": 0, "libelle": errors.OK.libelle}


def _english(code: str | None) -> bool:
    return (code or "FR").upper() == "EN"


@handles("healthCheck")
def health_check(sb: Sandbox, caller: Caller, body: object) -> WireModel:
    return tr.HealthCheck(body="OK", statusCodeValue=200, statusCode="200")


# --- flow reports ------------------------------------------------------------------------


def _flux(sb: Sandbox, caller: Caller, numero: str | None) -> Flux:
    if not numero:
        raise errors.DONNEE_INVALIDE.error("numeroFluxDepot est obligatoire")
    with sb.store.session() as session:
        flux = session.scalar(select(Flux).where(Flux.numero == numero))
        if flux is None or flux.structure_id != caller.structure_id:
            raise errors.FLUX_INTROUVABLE.error()
        session.expunge(flux)
        return flux


@handles("consulterCRDetaille")
def consulter_cr_detaille(
    sb: Sandbox, caller: Caller, body: tr.ConsulterCRDetailleParam
) -> WireModel:
    flux = _flux(sb, caller, body.numeroFluxDepot)
    return tr.WsRetourConsulterCRDetaille(
        **_ok(),
        codeInterfaceDepotFlux=flux.code_interface,
        dateDepotFlux=paris(flux.date_depot),
        dateHeureEtatCourantFlux=paris(flux.date_etat),
        etatCourantDepotFlux=flux.etat,
        nomFichier=f"{flux.code_interface}_CPP001_{flux.numero}",
        listeErreurDP=[tr.ErreurDP.model_validate(e) for e in json.loads(flux.erreurs_dp)],
        listeErreurTechnique=[
            tr.ErreurTechnique.model_validate(e) for e in json.loads(flux.erreurs_techniques)
        ],
    )


def _report_pdf(flux: Flux) -> bytes:
    """A one-page PDF report of the flow (the platform's fichierCR)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    lines = [
        "Compte rendu de traitement du flux (bac à sable chorusflow)",
        f"Flux : {flux.numero}",
        f"Fichier : {flux.nom_fichier}",
        f"Etat : {flux.etat}",
        f"Dépôt : {flux.date_depot.isoformat()}",
    ]
    for error in json.loads(flux.erreurs_dp) + json.loads(flux.erreurs_techniques):
        lines.append(str(error.get("libelleErreurDP") or error.get("libelleErreur"))[:300])
    for line in lines:
        text = line.encode("latin-1", "replace").decode("latin-1")
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@handles("consulterCR")
def consulter_cr(sb: Sandbox, caller: Caller, body: tr.ConsulterCRParam) -> WireModel:
    flux = _flux(sb, caller, body.numeroFluxDepot)
    return tr.WsRetourConsulterCR(
        **_ok(),
        numeroFluxDepot=flux.numero,
        dateDepotFlux=paris(flux.date_depot),
        dateHeureEtatCourantFlux=paris(flux.date_etat),
        etatCourantFlux=flux.etat,
        codeAppliPartenaire="CHORUSFLOW",
        designationPartenaire="chorusflow sandbox",
        codeInterfaceFlux=flux.code_interface,
        nomFichierFlux=flux.nom_fichier,
        fichierCR=base64.b64encode(_report_pdf(flux)).decode(),
    )


# --- attachments -------------------------------------------------------------------------


@handles("ajouterFichierDansSysteme")
def ajouter_fichier(
    sb: Sandbox, caller: Caller, body: tr.AjouterFichierDansSystemeParam
) -> WireModel:
    if not body.pieceJointeFichier or not body.pieceJointeNom or not body.pieceJointeExtension:
        raise errors.DONNEE_INVALIDE.error(
            "pieceJointeFichier, pieceJointeNom et pieceJointeExtension sont obligatoires"
        )
    if len(body.pieceJointeNom) > 50:
        raise errors.DONNEE_INVALIDE.error("pieceJointeNom dépasse 50 caractères")
    extension = body.pieceJointeExtension.lstrip(".").upper()
    if extension not in EXTENSIONS:
        raise errors.DONNEE_INVALIDE.error(f"extension {extension} non autorisée")
    data = decode_base64(body.pieceJointeFichier, sb.settings)
    if len(data) > sb.settings.max_attachment_bytes:
        raise errors.PJ_TROP_GROSSE.error()
    with sb.store.session() as session:
        piece = PieceJointe(
            utilisateur_id=caller.user_id,
            structure_id=caller.structure_id,
            nom=body.pieceJointeNom,
            type_mime=body.pieceJointeTypeMime,
            extension=extension.lower(),
            contenu=data,
        )
        session.add(piece)
        session.flush()
        return tr.WsRetourAjouterFichierDansSysteme(
            codeRetour=0, libelle="CODE PAR DEFAUT", pieceJointeId=piece.id
        )


@handles("detacherPieceJointe")
def detacher(sb: Sandbox, caller: Caller, body: tr.DetacherPieceJointeParam) -> WireModel:
    with sb.store.session() as session:
        piece = (
            session.get(PieceJointe, body.idPieceJointeObjet) if body.idPieceJointeObjet else None
        )
        if piece is None or piece.structure_id != caller.structure_id:
            raise errors.DONNEE_INVALIDE.error("pièce jointe inconnue")
        if piece.facture_id is not None:
            facture = session.get(Facture, piece.facture_id)
            if facture is not None and facture.statut != S.BROUILLON:
                raise errors.STATUT_IMPOSSIBLE.error(
                    "la pièce jointe est liée à une facture déposée"
                )
        session.delete(piece)
    return WsRetour(codeRetour=0, libelle=errors.OK.libelle)


def _pieces(
    sb: Sandbox, caller: Caller, mine: bool, body: tr.RechercherPieceJointeSurMonCompteParam
) -> tuple[list[PieceJointe], object]:
    with sb.store.session() as session:
        query = select(PieceJointe).where(PieceJointe.structure_id == caller.structure_id)
        if mine:
            query = query.where(PieceJointe.utilisateur_id == caller.user_id)
        if body.pieceJointeDesignation:
            query = query.where(PieceJointe.nom.contains(body.pieceJointeDesignation))
        found = list(session.scalars(query.order_by(PieceJointe.id)).all())
        for piece in found:
            session.expunge(piece)
    p = body.parametresRecherche
    return page_of(found, p)


def _piece_fields(piece: PieceJointe) -> dict[str, object]:
    return {
        "pieceJointeDesignation": piece.designation or piece.nom,
        "pieceJointeExtension": piece.extension,
        "pieceJointeId": piece.id,
        "pieceJointeObjetId": piece.facture_id,
        "pieceJointeTypeCode": piece.type_code,
        "pieceJointeUtilisateurId": piece.utilisateur_id,
    }


@handles("rechercherPieceJointeSurMonCompte")
def pj_mon_compte(
    sb: Sandbox, caller: Caller, body: tr.RechercherPieceJointeSurMonCompteParam
) -> WireModel:
    page, retour = _pieces(sb, caller, True, body)
    return tr.WsRetourRechercherPieceJointeSurMonCompte(
        **_ok(),
        listePiecesJointes=[tr.PieceJointeMonCompte.model_validate(_piece_fields(p)) for p in page],
        parametresRetour=retour,
    )


@handles("rechercherPieceJointeStructure")
def pj_structure(
    sb: Sandbox, caller: Caller, body: tr.RechercherPieceJointeStructureParam
) -> WireModel:
    if body.idStructureCPP is not None and body.idStructureCPP != caller.structure_id:
        raise errors.STRUCTURE_INTROUVABLE.error()
    page, retour = _pieces(sb, caller, False, body)
    with sb.store.session() as session:
        structure = session.get(Structure, caller.structure_id)
        assert structure is not None
        extra = {
            "pieceJointeStructureCode": structure.identifiant,
            "pieceJointeStructureId": structure.id,
            "pieceJointeStructureRaisonSociale": structure.designation,
        }
    return tr.WsRetourRechercherPieceJointeStructure(
        **_ok(),
        listePiecesJointes=[
            tr.PieceJointeStructure.model_validate(_piece_fields(p) | extra) for p in page
        ],
        parametresRetour=retour,
    )


@handles("telechargerPieceJointe")
def telecharger_pj(sb: Sandbox, caller: Caller, body: tr.TelechargerPieceJointeParam) -> WireModel:
    """The files of invoices (``DEMANDE_PAIEMENT``) the caller issued or received."""
    demande = body.demandePaiement
    if (
        body.objetPieceJointe is None
        or body.objetPieceJointe.value != "DEMANDE_PAIEMENT"
        or demande is None
    ):
        raise errors.DONNEE_INVALIDE.error("seul objetPieceJointe DEMANDE_PAIEMENT est servi")
    ids = [f.idFacture for f in demande.listeFacture or [] if f.idFacture is not None]
    with sb.store.session() as session:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for facture_id in ids:
                facture = session.get(Facture, facture_id)
                if facture is None or caller.structure_id not in (
                    facture.fournisseur_id,
                    facture.destinataire_id,
                ):
                    raise errors.DP_INEXISTANTE.error()
                pieces = session.scalars(
                    select(PieceJointe).where(PieceJointe.facture_id == facture.id)
                ).all()
                for piece in pieces:
                    archive.writestr(f"{facture.id}/{piece.id}_{piece.nom}", piece.contenu)
                if facture.fichier:
                    archive.writestr(
                        f"{facture.id}/{facture.nom_fichier or facture.numero}", facture.fichier
                    )
    return tr.WsRetourTelechargerPieceJointe(
        **_ok(), pieceJointe=base64.b64encode(buffer.getvalue()).decode()
    )


# --- referentials ------------------------------------------------------------------------


@handles("recupererDevises")
def devises(sb: Sandbox, caller: Caller, body: tr.CodeLangueParam) -> WireModel:
    en = _english(body.codeLangue)
    return tr.WsRetourRecupererDevises(
        **_ok(),
        listeDevises=[tr.Devise(codeDevise=c, libelleDevise=e if en else f) for c, f, e in DEVISES],
    )


@handles("recupererPays")
def pays(sb: Sandbox, caller: Caller, body: tr.CodeLangueParam) -> WireModel:
    en = _english(body.codeLangue)
    return tr.WsRetourRecupererPays(
        **_ok(),
        listePays=[tr.Pays(codePays=c, libellePays=e if en else f) for c, f, e in PAYS],
    )


@handles("recupererTauxTva")
def taux_tva(sb: Sandbox, caller: Caller, body: tr.CodeLangueParam) -> WireModel:
    return tr.WsRetourRecupererTauxTva(
        **_ok(),
        listeTauxTva=[
            tr.TauxTva(codeTauxTva=c, libelleTauxTva=lib, valeurTauxTva=v) for c, lib, v in TAUX_TVA
        ],
    )


@handles("recupererMotifsExonerationTva")
def motifs_exoneration(sb: Sandbox, caller: Caller, body: tr.CodeLangueParam) -> WireModel:
    return tr.WsRetourRecupererMotifsExonerationTva(
        **_ok(),
        listeMotifsExonerationTva=[
            tr.MotifExonerationTva(codeMotifExonerationTva=c, libelleMotifExonerationTva=lib)
            for c, lib in MOTIFS_EXONERATION
        ],
    )


@handles("recupererModesReglement")
def modes_reglement(sb: Sandbox, caller: Caller, body: tr.SansParametre) -> WireModel:
    return tr.WsRetourRecupererModesReglement(
        codeRetour=0,
        libelle=errors.OK_GCU.libelle,
        listeModePaiement=[tr.ModePaiementItem(modePaiement=m) for m in MODES_PAIEMENT],
    )


@handles("recupererCadreFacturation")
def cadres(sb: Sandbox, caller: Caller, body: tr.TypeDemandePaiementParam) -> WireModel:
    kind = (body.typeDemandePaiement or TypeDemandePaiement.FACTURE).value
    return tr.WsRetourRecupererCadreFacturation(
        **_ok(),
        listeCadreFacturation=[
            tr.CadreFacturationItem(codeCadreFacturation=c) for c in CADRES_PAR_TYPE[kind]
        ],
    )


@handles("recupererEtatParTypeDemandePaiement")
def etats_type_dp(sb: Sandbox, caller: Caller, body: tr.TypeDemandePaiementParam) -> WireModel:
    from chorusflow.sandbox.dataset import EXISTING

    return tr.WsRetourRecupererEtatParTypeDemandePaiement(
        **_ok(),
        listeEtatDemandePaiement=[
            tr.EtatDemandePaiement(etatDemandePaiement=s.value) for s in EXISTING
        ],
    )


@handles("recupererEtatsPossiblesPourTraitement")
def etats_possibles(
    sb: Sandbox, caller: Caller, body: tr.RecupererEtatsPossiblesPourTraitementParam
) -> WireModel:
    current = body.statutCourant.value if body.statutCourant else None
    targets = BUYER_TARGETS.get(current or "", ())
    return tr.WsRetourRecupererEtatsPossiblesPourTraitement(
        **_ok(),
        listeStatutsPossiblesPourTraitement=[
            tr.StatutPossiblePourTraitement(statutPossiblePourTraitement=t) for t in targets
        ],
    )


@handles("recupererTypeDemandePaiement")
def types_dp(sb: Sandbox, caller: Caller, body: tr.SansParametre) -> WireModel:
    return tr.WsRetourRecupererTypeDemandePaiement(
        **_ok(),
        listeTypeDemandePaiement=[
            tr.TypeDemandePaiementItem(typeDemandePaiement=t) for t in TYPES_DEMANDE_PAIEMENT
        ],
    )


@handles("recupererTypeFactureTravaux")
def types_travaux(sb: Sandbox, caller: Caller, body: tr.SansParametre) -> WireModel:
    return tr.WsRetourRecupererTypeFactureTravaux(
        **_ok(),
        listeTypeFactureTravaux=[
            tr.TypeFactureTravauxItem(typeFactureTravaux=t) for t in TYPES_FACTURE_TRAVAUX
        ],
    )


@handles("recupererTypeIdentifiantStructure")
def types_identifiant(sb: Sandbox, caller: Caller, body: tr.SansParametre) -> WireModel:
    return tr.WsRetourRecupererTypeIdentifiantStructure(
        **_ok(),
        listeTypeIdentifiant=[
            tr.TypeIdentifiantItem(typeIdentifiantStructure=t) for t in TYPES_IDENTIFIANT
        ],
    )


@handles("recupererModeDepot")
def modes_depot(sb: Sandbox, caller: Caller, body: tr.SansParametre) -> WireModel:
    return tr.WsRetourRecupererModeDepot(
        **_ok(),
        listeModeDepot=[tr.ModeDepotItem(modeDepot=m) for m in MODES_DEPOT],
    )


@handles("recupererFormatFlux")
def formats_flux(sb: Sandbox, caller: Caller, body: tr.SansParametre) -> WireModel:
    return tr.WsRetourRecupererFormatFlux(
        **_ok(),
        listeFormatFlux=[tr.FormatFluxItem(formatFlux=f) for f in FORMATS_FLUX],
    )


@handles("recupererSyntaxeFlux")
def syntaxes_flux(sb: Sandbox, caller: Caller, body: tr.RecupererSyntaxeFluxParam) -> WireModel:
    formats = [body.formatFlux.value] if body.formatFlux else list(SYNTAXES_PAR_FORMAT)
    seen: list[str] = []
    for fmt in formats:
        seen += [s for s in SYNTAXES_PAR_FORMAT[fmt] if s not in seen]
    return tr.WsRetourRecupererSyntaxeFlux(
        **_ok(),
        listeSyntaxeFlux=[tr.SyntaxeFluxItem(syntaxeFlux=s) for s in seen],
    )


@handles("recupererTypesPieceJointe")
def types_pj(sb: Sandbox, caller: Caller, body: tr.TypePieceJointeParam) -> WireModel:
    wanted = body.typeObjet.value if body.typeObjet else None
    return tr.WsRetourRecupererTypesPieceJointe(
        **_ok(),
        listeTypePieceJointe=[
            tr.TypePieceJointe(
                idTypePieceJointe=i, codeTypePieceJointe=c, libelleTypePieceJointe=lib, typeObjet=o
            )
            for i, c, lib, o in TYPES_PIECE_JOINTE
            if wanted is None or o == wanted
        ],
    )


@handles("recupererCoordonneesBancairesValides")
def coordonnees_bancaires(
    sb: Sandbox, caller: Caller, body: tr.RecupererCoordonneesBancairesValidesParam
) -> WireModel:
    if body.idStructure is not None and body.idStructure != caller.structure_id:
        raise errors.STRUCTURE_INTROUVABLE.error()
    return tr.WsRetourRecupererCoordonneesBancairesValides(
        codeRetour=0,
        libelle=errors.OK_GCU.libelle,
        listeCoordonneeBancaire=[
            tr.CoordonneeBancaire(
                idCoordonneeBancaire=caller.structure_id % 100_000,
                nomCoordonneeBancaire="IBAN SANDBOX",
            )
        ],
    )


def _actives(sb: Sandbox, caller: Caller, publique: bool) -> WireModel:
    with sb.store.session() as session:
        query = select(Structure).where(Structure.active.is_(True))
        query = (
            query.where(Structure.publique.is_(True))
            if publique
            else query.where(Structure.id == caller.structure_id)
        )
        found = session.scalars(query.order_by(Structure.id)).all()
        return tr.WsRetourRecupererStructuresActives(
            **_ok(),
            listeStructures=[
                tr.StructureActive(
                    idStructureCPP=s.id,
                    designationStructure=s.designation,
                    identifiant=s.identifiant,
                )
                for s in found
            ],
        )


@handles("recupererStructuresActivesPourFournisseur")
def actives_fournisseur(sb: Sandbox, caller: Caller, body: tr.SansParametre) -> WireModel:
    """The structures the account may invoice from: its own."""
    return _actives(sb, caller, False)


@handles("recupererStructuresActivesPourDestinataire")
def actives_destinataire(sb: Sandbox, caller: Caller, body: tr.SansParametre) -> WireModel:
    """The active public structures, which may receive invoices."""
    return _actives(sb, caller, True)


@handles("recupererStructuresActivesPourFactureTravaux")
def actives_travaux(sb: Sandbox, caller: Caller, body: tr.SansParametre) -> WireModel:
    return _actives(sb, caller, True)


@handles("recupererStructuresPourUtilisateur")
def structures_utilisateur(
    sb: Sandbox, caller: Caller, body: tr.RecupererStructuresPourUtilisateurParam
) -> WireModel:
    with sb.store.session() as session:
        s = session.get(Structure, caller.structure_id)
        assert s is not None
        return tr.WsRetourRecupererStructuresPourUtilisateur(
            **_ok(),
            listeStructures=[
                tr.StructurePourUtilisateur(
                    designationStructure=s.designation,
                    idStructure=s.id,
                    identifiantStructure=s.identifiant,
                    typeIdentifiantStructure=s.type_identifiant,
                )
            ],
        )


@handles("consulterInformationSIRET")
def information_siret(
    sb: Sandbox, caller: Caller, body: tr.ConsulterInformationSiretParam
) -> WireModel:
    """Does not work on qualification (API.md §4.6); nor here."""
    raise errors.NON_DISPONIBLE.error()


@handles("rechercherDestinataire")
def rechercher_destinataire(
    sb: Sandbox, caller: Caller, body: tr.RechercherDestinataireParam
) -> WireModel:
    with sb.store.session() as session:
        found = []
        for s in session.scalars(
            select(Structure).where(Structure.publique.is_(True)).order_by(Structure.id)
        ).all():
            if body.identifiant and body.identifiant not in s.identifiant:
                continue
            place = (body.nomVilleCodePostal or "").lower()
            if place and place not in f"{s.designation} {s.ville} {s.code_postal}".lower():
                continue
            found.append(s)
        p = body.parametresRecherche
        page, retour = page_of(found, p)
        return tr.WsRetourRechercherDestinataire(
            **_ok(),
            listeDestinataires=[
                tr.DestinataireTrouve(
                    idStructureCPP=s.id,
                    siret=s.identifiant,
                    nomDestinataire=s.designation,
                    adresseCodePostal=s.code_postal,
                    adresseVille=s.ville,
                )
                for s in page
            ],
            parametresRetour=retour,
        )


@handles("rechercherServiceExecutant")
def rechercher_service_executant(
    sb: Sandbox, caller: Caller, body: tr.RechercherServiceExecutantParam
) -> WireModel:
    from chorusflow.sandbox.store import Service

    with sb.store.session() as session:
        structure = (
            session.get(Structure, body.idDestinataireCPP) if body.idDestinataireCPP else None
        )
        if structure is None or not structure.publique:
            raise errors.STRUCTURE_INTROUVABLE.error()
        found = [
            v
            for v in session.scalars(
                select(Service).where(Service.structure_id == structure.id).order_by(Service.id)
            ).all()
            if (not body.codeServiceExecutant or v.code == body.codeServiceExecutant)
            and (
                not body.nomServiceExecutant
                or body.nomServiceExecutant.lower() in v.libelle.lower()
            )
            and (body.actif is None or v.active == body.actif)
        ]
        p = body.parametresRecherche
        page, retour = page_of(found, p)
        return tr.WsRetourRechercherServiceExecutant(
            **_ok(),
            listeServicesExecutants=[
                tr.ServiceExecutant(
                    idServiceExecutant=v.id,
                    codeServiceExecutant=v.code,
                    nomServiceExecutant=v.libelle,
                    actif=v.active,
                )
                for v in page
            ],
            parametresRetour=retour,
        )


@handles("telechargerAnnuaireDestinataire")
def annuaire(sb: Sandbox, caller: Caller, body: tr.SansParametre) -> WireModel:
    """The public directory as a ZIP of one CSV (SIRET;name;active;service codes)."""
    from chorusflow.sandbox.store import Service

    with sb.store.session() as session:
        rows = [
            "siret;raisonSociale;actif;codeServiceDoitEtreRenseigne;numeroEJDoitEtreRenseigne;services"
        ]
        services = session.scalars(select(Service)).all()
        for s in session.scalars(
            select(Structure).where(Structure.publique.is_(True)).order_by(Structure.id)
        ).all():
            codes = ",".join(v.code for v in services if v.structure_id == s.id and v.active)
            rows.append(
                f"{s.identifiant};{s.designation};{s.active};{s.service_obligatoire};{s.engagement_obligatoire};{codes}"
            )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("annuaire_destinataires.csv", "\n".join(rows) + "\n")
    return tr.WsRetourTelechargerAnnuaireDestinataire(
        **_ok(),
        fichierResultat=base64.b64encode(buffer.getvalue()).decode(),
    )


@handles("recupererMotifsRefusFactureAValider")
def motifs_refus(
    sb: Sandbox, caller: Caller, body: tr.RecupererMotifsRefusFactureAValiderParam
) -> WireModel:
    motifs = (
        (1, "ERREUR_MONTANT", "Montant erroné"),
        (2, "ERREUR_DESTINATAIRE", "Destinataire erroné"),
        (3, "PIECE_MANQUANTE", "Pièce justificative manquante"),
    )
    return tr.WsRetourRecupererMotifsRefusFactureAValider(
        **_ok(),
        listeMotifRefusFactureAValider=[
            tr.MotifRefus(idMotif=i, codeMotif=c, libelleMotif=lib) for i, c, lib in motifs
        ],
    )
