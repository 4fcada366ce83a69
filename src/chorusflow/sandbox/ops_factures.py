"""The Factures API: supplier deposits and follow-up, buyer processing, validator stubs."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import io
import json
import time
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Float, Select, cast, func, select
from sqlalchemy.orm import Session

from chorusflow.chorus.wire import factures as fa
from chorusflow.chorus.wire.base import ParametresRetour, WireModel, WsRetour
from chorusflow.chorus.wire.enums import StatutFacture as S
from chorusflow.errors import InputError
from chorusflow.model import Buyer, Invoice, PartyIdentifier
from chorusflow.rules.chorus import routing_findings
from chorusflow.sandbox import errors, flows
from chorusflow.sandbox.auth import Caller
from chorusflow.sandbox.checks import libelle
from chorusflow.sandbox.context import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    Sandbox,
    handles,
    page_of,
    paginate,
    paris,
)
from chorusflow.sandbox.directory import buyer_entry
from chorusflow.sandbox.lifecycle import BUYER_TARGETS, MOTIF_REQUIRED, now, set_status
from chorusflow.sandbox.reading import read_invoice_file
from chorusflow.sandbox.store import Facture, HistoAction, PieceJointe, Service, Structure
from chorusflow.sandbox.views import (
    Directory,
    facture_emise,
    facture_recue,
    historique,
    item_fournisseur,
    item_recipiendaire,
)

MB = 1024 * 1024
MAX_DOWNLOAD = 120 * MB


def _own(session: Session, caller: Caller, facture_id: int | None, *, buyer: bool) -> Facture:
    """The invoice if the caller's structure issued it (or received it); 20000 otherwise."""
    facture = session.get(Facture, facture_id) if facture_id is not None else None
    owner = (
        None if facture is None else (facture.destinataire_id if buyer else facture.fournisseur_id)
    )
    if facture is None or owner != caller.structure_id:
        raise errors.DP_INEXISTANTE.error()
    return facture


def _visible(session: Session, caller: Caller, facture_id: int | None) -> Facture:
    facture = session.get(Facture, facture_id) if facture_id is not None else None
    if facture is None or caller.structure_id not in (
        facture.fournisseur_id,
        facture.destinataire_id,
    ):
        raise errors.DP_INEXISTANTE.error()
    return facture


# --- deposits -------------------------------------------------------------------------


@handles("deposerFluxFacture")
def deposer_flux(sb: Sandbox, caller: Caller, body: fa.DeposerFluxFactureParam) -> WireModel:
    with sb.store.session() as session:
        flux = flows.deposit(
            session, caller, sb.settings, body.fichierFlux, body.nomFichier, body.syntaxeFlux
        )
        echo = None if "PDFARCHIVE" in flux.syntaxe else flux.syntaxe
        return fa.WsRetourDeposerFluxFacture(
            codeRetour=0,
            libelle=errors.OK.libelle,
            numeroFluxDepot=flux.numero,
            dateDepot=paris(flux.date_depot),
            syntaxeFlux=echo,
        )


@handles("deposerPdfFacture")
def deposer_pdf(sb: Sandbox, caller: Caller, body: fa.DeposerPdfFactureParam) -> WireModel:
    """Store the PDF and "read" it: a Factur-X PDF gives its data, any other PDF nothing."""
    if not body.fichierFacture or not body.nomFichier:
        raise errors.DONNEE_INVALIDE.error("fichierFacture et nomFichier sont obligatoires")
    data = flows.decode_base64(body.fichierFacture, sb.settings)
    if len(data) > sb.settings.max_pdf_bytes:
        raise errors.CproError(413, "Le fichier PDF ne doit pas dépasser 10 Mo", status=413)
    if data[:5] != b"%PDF-":
        raise errors.DONNEE_INVALIDE.error("le fichier n'est pas un PDF")
    extension = body.nomFichier.rsplit(".", 1)[-1].lower() if "." in body.nomFichier else "pdf"
    answer = fa.WsRetourDeposerPdfFacture(codeRetour=0, libelle="CODE PAR DEFAUT")
    try:
        invoice = read_invoice_file(data).invoice
    except InputError:
        invoice = None
    with sb.store.session() as session:
        piece = PieceJointe(
            utilisateur_id=caller.user_id,
            structure_id=caller.structure_id,
            nom=body.nomFichier[:200],
            type_mime="application/pdf",
            extension=extension,
            contenu=data,
            principale=True,
        )
        session.add(piece)
        session.flush()
        answer.pieceJointeId = piece.id
    if invoice is not None:
        from chorusflow.model import routing

        route = routing(invoice)
        totals = invoice.totals
        answer.numeroFacture = invoice.number
        answer.dateFacture = invoice.issue_date
        answer.codeDestinataire = route.buyer_siret
        answer.codeServiceExecutant = route.service_code
        answer.codeFournisseur = route.seller_siret
        answer.codeDeviseFacture = str(invoice.currency) if invoice.currency else None
        answer.typeFacture = "AVOIR" if invoice.is_credit_note else "FACTURE"
        answer.numeroBonCommande = route.engagement_number
        # TVA sur les encaissements when BT-8 says VAT is due on payment (code 72)
        on_payment = invoice.tax_point_date_code == "72"
        answer.typeTva = "TVA_SUR_ENCAISSEMENT" if on_payment else "TVA_SUR_DEBIT"
        if totals is not None and not totals.tax_total:
            answer.typeTva = "EXONERATION"
        if totals is not None:
            answer.montantHtTotal = totals.tax_exclusive
            answer.montantTVA = totals.tax_total
            answer.montantTtcAvantRemiseGlobalTTC = totals.tax_inclusive
            answer.montantAPayer = totals.payable
    return answer


def _routing_errors(
    session: Session, siret: str | None, service: str | None, ej: str | None
) -> str | None:
    invoice = Invoice(
        buyer=Buyer(identifier=PartyIdentifier(value=siret, scheme="0009")) if siret else None,
        buyer_reference=service or None,
        purchase_order_reference=ej or None,
    )
    findings = routing_findings(invoice, buyer_entry(session, siret))
    return libelle(findings) if findings else None


def _service_id(session: Session, buyer_id: int, code: str | None) -> int | None:
    if not code:
        return None
    return session.scalar(
        select(Service.id).where(Service.structure_id == buyer_id, Service.code == code)
    )


@handles("soumettreFacture")
def soumettre(sb: Sandbox, caller: Caller, body: fa.SoumettreFactureParam) -> WireModel:
    """Create an invoice from JSON (SAISIE_API) or from an uploaded PDF (DEPOT_PDF_*)."""
    mode = body.modeDepot
    if mode is None:
        raise errors.DONNEE_INVALIDE.error("modeDepot est obligatoire")
    destinataire, references = body.destinataire, body.references
    if destinataire is None or not destinataire.codeDestinataire:
        raise errors.DONNEE_INVALIDE.error("destinataire.codeDestinataire est obligatoire")
    if body.fournisseur is None or body.fournisseur.idFournisseur is None:
        raise errors.DONNEE_INVALIDE.error("fournisseur.idFournisseur est obligatoire")
    if body.cadreDeFacturation is None or body.cadreDeFacturation.codeCadreFacturation is None:
        raise errors.DONNEE_INVALIDE.error(
            "cadreDeFacturation.codeCadreFacturation est obligatoire"
        )
    if body.fournisseur.idFournisseur != caller.structure_id:
        raise errors.HABILITATION.error()
    pdf_mode = mode.value != "SAISIE_API"
    if pdf_mode and (not body.numeroFactureSaisi or body.dateFacture is None):
        raise errors.DONNEE_INVALIDE.error("numeroFactureSaisi et dateFacture sont obligatoires")
    if not pdf_mode and not body.lignePoste:
        raise errors.DONNEE_INVALIDE.error("il doit y avoir au moins une ligne de poste")
    principale = body.pieceJointePrincipale[0] if body.pieceJointePrincipale else None
    if principale is not None and not principale.pieceJointePrincipaleId:
        principale = None  # 0 stands for none, as idUtilisateurCourant 0 does
    if pdf_mode and (principale is None or principale.pieceJointePrincipaleId is None):
        raise errors.DONNEE_INVALIDE.error("pieceJointePrincipale est obligatoire en dépôt PDF")
    ej = references.numeroBonCommande if references else None
    totals = body.montantTotal
    with sb.store.writing(), sb.store.session() as session:
        problem = _routing_errors(
            session, destinataire.codeDestinataire, destinataire.codeServiceExecutant, ej
        )
        if problem:
            raise errors.DESTINATAIRE.error(problem)
        buyer = session.scalar(
            select(Structure).where(Structure.identifiant == destinataire.codeDestinataire)
        )
        assert buyer is not None
        if principale is not None and principale.pieceJointePrincipaleId is not None:
            piece = session.get(PieceJointe, principale.pieceJointePrincipaleId)
            if piece is None or piece.structure_id != caller.structure_id:
                raise errors.DONNEE_INVALIDE.error("pieceJointePrincipaleId inconnu")
        numero = body.numeroFactureSaisi or f"SAISIE-{time.time_ns() % 10**12}"
        if flows.duplicate(session, caller.structure_id, numero):
            raise errors.DOUBLON.error(numero)
        date_facture = body.dateFacture
        if isinstance(date_facture, dt.datetime):
            date_facture = date_facture.date()
        facture = Facture(
            numero=numero,
            fournisseur_id=caller.structure_id,
            service_fournisseur_id=body.fournisseur.idServiceFournisseur,
            destinataire_id=buyer.id,
            service_id=_service_id(session, buyer.id, destinataire.codeServiceExecutant),
            utilisateur_id=caller.user_id,
            statut=S.DEPOSEE.value,
            date_statut=now(),
            mode_depot=mode.value,
            type_facture=references.typeFacture.value
            if references and references.typeFacture
            else "FACTURE",
            cadre=body.cadreDeFacturation.codeCadreFacturation.value,
            devise=(references.deviseFacture if references else None) or "EUR",
            date_facture=date_facture or now().date(),
            date_depot=now(),
            montant_ht=totals.montantHtTotal if totals else None,
            montant_tva=totals.montantTVA if totals else None,
            montant_ttc=totals.montantTtcTotal if totals else None,
            montant_a_payer=totals.montantAPayer if totals else None,
            numero_marche=references.numeroMarche if references else None,
            numero_bon_commande=ej,
            numero_facture_origine=references.numeroFactureOrigine if references else None,
            type_tva=references.typeTva.value if references and references.typeTva else None,
            mode_paiement=(
                references.modePaiement.value if references and references.modePaiement else None
            ),
            commentaire=body.commentaire,
            piece_jointe_principale_id=principale.pieceJointePrincipaleId if principale else None,
            lignes=json.dumps(
                {
                    "lignePoste": [
                        {
                            "lignePosteNumero": ligne.lignePosteNumero,
                            "lignePosteReference": ligne.lignePosteReference,
                            "lignePosteDenomination": ligne.lignePosteDenomination,
                            "lignePosteQuantite": str(ligne.lignePosteQuantite or 0),
                            "lignePosteUniteLibelle": ligne.lignePosteUnite,
                            "lignePosteMontantUnitaireHT": str(
                                ligne.lignePosteMontantUnitaireHT or 0
                            ),
                            "lignePosteMontantRemiseHT": str(ligne.lignePosteMontantRemiseHT or 0),
                            "lignePosteTauxTva": ligne.lignePosteTauxTva,
                        }
                        for ligne in body.lignePoste or []
                    ],
                    "ligneTva": [
                        {
                            "ligneTvaTauxRefCode": t.ligneTvaTaux,
                            "ligneTvaTauxManuel": str(t.ligneTvaTauxManuel)
                            if t.ligneTvaTauxManuel is not None
                            else None,
                            "ligneTvaMontantBaseHtParTaux": str(
                                t.ligneTvaMontantBaseHtParTaux or 0
                            ),
                            "ligneTvaMontantTvaParTaux": str(t.ligneTvaMontantTvaParTaux or 0),
                        }
                        for t in body.ligneTva or []
                    ],
                }
            ),
        )
        session.add(facture)
        session.flush()
        for complement in body.pieceJointeComplementaire or []:
            _link(session, caller, facture, complement.pieceJointeComplementaireId, complement)
        if principale is not None and principale.pieceJointePrincipaleId is not None:
            piece = session.get(PieceJointe, principale.pieceJointePrincipaleId)
            if piece is not None:
                piece.facture_id = facture.id
                piece.principale = True
                facture.fichier, facture.nom_fichier = piece.contenu, piece.nom
                facture.taille = len(piece.contenu)
        later = time.time() + sb.settings.policy.routing_delay
        set_status(session, facture, S.DEPOSEE.value, utilisateur_id=caller.user_id, suite_a=later)
        supplier = session.get(Structure, caller.structure_id)
        assert supplier is not None
        return fa.WsRetourSoumettreFacture(
            codeRetour=0,
            libelle=errors.OK.libelle,
            identifiantFactureCPP=facture.id,
            numeroFacture=facture.numero,
            statutFacture=facture.statut,
            dateDepot=paris(facture.date_depot),
            identifiantStructure=supplier.identifiant,
            empreinteCertificatDepot=hashlib.sha256(f"{facture.id}:{numero}".encode()).hexdigest(),
        )


def _link(
    session: Session,
    caller: Caller,
    facture: Facture,
    piece_id: int | None,
    complement: fa.PieceJointeComplementaire | fa.PieceJointeComplentaireSoumettreInput,
) -> None:
    piece = session.get(PieceJointe, piece_id) if piece_id is not None else None
    if piece is None or piece.structure_id != caller.structure_id:
        raise errors.DONNEE_INVALIDE.error(f"pièce jointe {piece_id} inconnue")
    piece.facture_id = facture.id
    piece.type_code = complement.pieceJointeComplementaireType
    piece.designation = complement.pieceJointeComplementaireDesignation
    piece.numero_ligne = complement.pieceJointeComplementaireNumeroLigneFacture


# --- supplier follow-up ----------------------------------------------------------------


_SORT_COLUMNS: dict[str, Any] = {
    "NumeroFacture": Facture.numero,
    "DateFacture": Facture.date_facture,
    "DateDepot": Facture.date_depot,
    "MontantTTC": cast(Facture.montant_ttc, Float),
    "MontantHT": cast(Facture.montant_ht, Float),
    "MontantAPayer": cast(Facture.montant_a_payer, Float),
    "Statut": Facture.statut,
    "CodeDestinataire": Facture.destinataire_id,
    "CodeFournisseur": Facture.fournisseur_id,
}


def _page(
    session: Session,
    query: Select[Facture],
    column: str | None,
    sens: str | None,
    page: int | None,
    per_page: int | None,
    maximum: int | None,
) -> tuple[list[Facture], ParametresRetour]:
    """Count, sort and cut one page in SQL, so a search costs the same with 10 or 100 000."""
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if maximum is not None and maximum > 0:
        total = min(total, maximum)
    key = _SORT_COLUMNS.get(column or "", Facture.id)
    ordered = key.asc() if sens == "Ascendant" else key.desc()
    size = min(max(per_page or DEFAULT_PER_PAGE, 1), MAX_PER_PAGE)
    current = max(page or 1, 1)
    offset = (current - 1) * size
    limit = max(0, min(size, total - offset))
    found = (
        list(
            session.scalars(query.order_by(ordered, Facture.id.desc()).offset(offset).limit(limit))
        )
        if limit
        else []
    )
    pages = (total + size - 1) // size
    return found, ParametresRetour(
        pageCourante=current, pages=pages, nbResultatsParPage=size, total=total
    )


def _amounts(
    query: Select[Facture], low: Decimal | None, high: Decimal | None, column: Any
) -> Select[Facture]:
    if low is not None:
        query = query.where(cast(column, Float) >= float(low))
    if high is not None:
        query = query.where(cast(column, Float) <= float(high))
    return query


def _filter_common(
    query: Select[Facture],
    *,
    numero: str | None,
    statuts: Sequence[str] | None,
    depot_du: dt.date | dt.datetime | None,
    depot_au: dt.date | dt.datetime | None,
    bon_commande: str | None,
    marche: str | None,
) -> Select[Facture]:
    if numero:
        query = query.where(Facture.numero == numero)
    if statuts:
        query = query.where(Facture.statut.in_([str(s) for s in statuts]))
    if bon_commande:
        query = query.where(Facture.numero_bon_commande == bon_commande)
    if marche:
        query = query.where(Facture.numero_marche == marche)
    factures = query
    if depot_du is not None:
        factures = factures.where(Facture.date_depot >= _start(depot_du))
    if depot_au is not None:
        factures = factures.where(Facture.date_depot <= _end(depot_au))
    return factures


def _start(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.combine(value, dt.time.min, dt.UTC)


def _end(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.combine(value, dt.time.max, dt.UTC)


@handles("rechercherFactureParFournisseur")
def rechercher_fournisseur(
    sb: Sandbox, caller: Caller, body: fa.RechercherFactureParFournisseurParam
) -> WireModel:
    """The caller's own invoices only, whatever idFournisseur says."""
    with sb.store.session() as session:
        query = select(Facture).where(Facture.fournisseur_id == caller.structure_id)
        if body.idFournisseur is not None and body.idFournisseur != caller.structure_id:
            query = query.where(Facture.id < 0)
        if body.numeroFluxDepot:
            query = query.where(Facture.numero_flux == body.numeroFluxDepot)
        if body.typeFacture is not None:
            query = query.where(Facture.type_facture == body.typeFacture.value)
        if body.rejetTraite is not None:
            query = query.where(Facture.rejet_traite.is_(body.rejetTraite))
        if body.modeDepot is not None:
            query = query.where(Facture.mode_depot == body.modeDepot.value)
        if body.cadreFacturation is not None:
            query = query.where(Facture.cadre == body.cadreFacturation.value)
        destinataires = [d.idDestinataire for d in body.listeDestinataire or [] if d.idDestinataire]
        if destinataires:
            query = query.where(Facture.destinataire_id.in_(destinataires))
        query = _filter_common(
            query,
            numero=body.numeroFacture,
            statuts=body.statutCourant,
            depot_du=body.periodeDateDepotDu,
            depot_au=body.periodeDateDepotAu,
            bon_commande=body.numeroBonCommande,
            marche=body.numeroMarche,
        )
        query = _amounts(query, body.montantHTMin, body.montantHTMax, Facture.montant_ht)
        query = _amounts(query, body.montantTTCMin, body.montantTTCMax, Facture.montant_ttc)
        query = _amounts(
            query, body.montantApayerMin, body.montantApayerMax, Facture.montant_a_payer
        )
        p = body.rechercheFactureParFournisseur
        page, retour = _page(
            session,
            query,
            p.triColonne if p else None,
            p.triSens.value if p and p.triSens else None,
            p.pageResultatDemandee if p else None,
            p.nbResultatsParPage if p else None,
            p.nbResultatsMaximum if p else None,
        )
        directory = Directory.cached(sb.store, session)
        return fa.WsRetourRechercherFactureParFournisseur(
            codeRetour=0,
            libelle=errors.OK.libelle,
            parametresRetour=retour,
            listeFactures=[item_fournisseur(f, directory) for f in page],
        )


@handles("consulterFactureParFournisseur")
def consulter_fournisseur(
    sb: Sandbox, caller: Caller, body: fa.ConsulterFactureParFournisseurParam
) -> WireModel:
    with sb.store.session() as session:
        facture = _own(session, caller, body.identifiantFactureCPP, buyer=False)
        return fa.WsRetourFacturesEmises(
            codeRetour=0,
            libelle=errors.OK.libelle,
            facture=facture_emise(facture, Directory.cached(sb.store, session), session),
        )


@handles("consulterHistoriqueFacture")
def consulter_historique(
    sb: Sandbox, caller: Caller, body: fa.ConsulterHistoriqueFactureParam
) -> WireModel:
    with sb.store.session() as session:
        return historique(_visible(session, caller, body.idFacture), session)


@handles("telechargerGroupeFacture")
def telecharger_groupe(
    sb: Sandbox, caller: Caller, body: fa.TelechargerGroupeFactureParam
) -> WireModel:
    """The invoices' files: one file alone, several in a ZIP (one folder per invoice)."""
    fmt = (body.format or "PDF").upper()
    if fmt not in ("PDF", "PIVOT", "XML", "ZIP"):
        raise errors.DONNEE_INVALIDE.error("format doit valoir PDF ou PIVOT")
    ids = [item.idFacture for item in body.listeFacture or [] if item.idFacture is not None]
    if not ids:
        raise errors.DONNEE_INVALIDE.error("listeFacture est obligatoire")
    with sb.store.session() as session:
        factures = [_visible(session, caller, i) for i in ids]
        files: list[tuple[Facture, str, bytes]] = []
        for facture in factures:
            data = facture.fichier or _summary(facture)
            name = facture.nom_fichier or f"{facture.numero}.json"
            if fmt == "PIVOT" and data[:5] == b"%PDF-":
                with contextlib.suppress(InputError):
                    data, name = read_invoice_file(data).xml, f"{facture.numero}.xml"
            files.append((facture, name, data))
            if facture.destinataire_id == caller.structure_id:
                facture.telechargee = True
                session.add(
                    HistoAction(
                        facture_id=facture.id,
                        code="TELECHARGEMENT_FACTURE",
                        date=now(),
                        utilisateur_id=caller.user_id,
                    )
                )
        if len(files) == 1:
            result = files[0][2]
        else:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for facture, name, data in files:
                    archive.writestr(f"{facture.id}/{name.rsplit('/', 1)[-1]}", data)
            result = buffer.getvalue()
        if len(result) > MAX_DOWNLOAD:
            raise errors.CproError(413, "Le dossier dépasse 120 Mo", status=413)
    return fa.WsRetourTelechargerGroupeFacture(
        codeRetour=0, libelle="CODE PAR DEFAUT", fichierResultat=base64.b64encode(result).decode()
    )


def _summary(facture: Facture) -> bytes:
    return json.dumps(
        {"numeroFacture": facture.numero, "statut": facture.statut}, ensure_ascii=False
    ).encode()


@handles("completerFacture")
def completer(sb: Sandbox, caller: Caller, body: fa.CompleterFactureParam) -> WireModel:
    """A SUSPENDUE invoice gets attachments and/or a comment and becomes COMPLETEE."""
    with sb.store.session() as session:
        facture = _own(session, caller, body.identifiantFactureCPP, buyer=False)
        if facture.statut != S.SUSPENDUE:
            raise errors.PAS_SUSPENDUE.error()
        for complement in body.pieceJointeComplementaire or []:
            _link(session, caller, facture, complement.pieceJointeComplementaireId, complement)
        if body.commentaire is not None:
            if len(body.commentaire) > 2000:
                raise errors.DONNEE_INVALIDE.error("commentaire dépasse 2000 caractères")
            facture.commentaire = body.commentaire
        policy = sb.settings.policy
        later = time.time() + policy.decision_delay if policy.automatic else None
        set_status(
            session,
            facture,
            S.COMPLETEE.value,
            commentaire=body.commentaire,
            utilisateur_id=caller.user_id,
            suite_a=later,
        )
        return fa.WsRetourCompleterFacture(
            codeRetour=0,
            libelle=errors.OK.libelle,
            identifiantFactureCPP=facture.id,
            numeroFacture=facture.numero,
            dateTraitement=paris(facture.date_statut),
        )


@handles("recyclerFacture")
def recycler(sb: Sandbox, caller: Caller, body: fa.RecyclerFactureParam) -> WireModel:
    """An A_RECYCLER invoice gets new routing data and starts again at DEPOSEE."""
    with sb.store.session() as session:
        facture = _own(session, caller, body.identifiantFactureCPP, buyer=False)
        if facture.statut != S.A_RECYCLER:
            raise errors.PAS_A_RECYCLER.error()
        directory = Directory.cached(sb.store, session)
        current_buyer = directory.structures[facture.destinataire_id]
        current_service = directory.service(facture.service_id)
        siret = (body.destinataire.codeDestinataire if body.destinataire else None) or (
            current_buyer.identifiant
        )
        service_given = body.destinataire is not None and "codeServiceExecutant" in (
            body.destinataire.model_fields_set
        )
        service = (
            body.destinataire.codeServiceExecutant
            if body.destinataire is not None and service_given
            else (current_service.code if current_service else None)
        )
        ej = facture.numero_bon_commande
        if body.reference is not None and body.reference.numeroBonCommande is not None:
            ej = body.reference.numeroBonCommande
        problem = _routing_errors(session, siret, service, ej)
        if problem:
            raise errors.DESTINATAIRE.error(problem)
        buyer = session.scalar(select(Structure).where(Structure.identifiant == siret))
        assert buyer is not None
        facture.destinataire_id = buyer.id
        facture.service_id = _service_id(session, buyer.id, service)
        facture.numero_bon_commande = ej
        if body.reference is not None and body.reference.numeroMarche is not None:
            facture.numero_marche = body.reference.numeroMarche
        later = time.time() + sb.settings.policy.routing_delay
        set_status(
            session,
            facture,
            S.DEPOSEE.value,
            commentaire=body.commentaire,
            utilisateur_id=caller.user_id,
            suite_a=later,
        )
        return fa.WsRetourRecyclerFacture(
            codeRetour=0,
            libelle="CODE PAR DEFAUT",
            identifiantFactureCPP=facture.id,
            numeroFacture=facture.numero,
            statutFacture=facture.statut,
            dateDepot=paris(facture.date_statut),
        )


@handles("traiterFacturesRejetees")
def traiter_rejet(sb: Sandbox, caller: Caller, body: fa.TraiterFacturesRejeteesParam) -> WireModel:
    """The supplier has dealt with the rejection of these invoices (rejetTraite)."""
    ids = [d.idDemandePaiement for d in body.listeDemandePaiement or []]
    if not ids:
        raise errors.DONNEE_INVALIDE.error("listeDemandePaiement est obligatoire")
    with sb.store.session() as session:
        for facture_id in ids:
            facture = _own(session, caller, facture_id, buyer=False)
            if facture.statut != S.REJETEE:
                raise errors.STATUT_IMPOSSIBLE.error(f"la facture {facture.id} n'est pas rejetée")
            facture.rejet_traite = True
            session.add(
                HistoAction(
                    facture_id=facture.id,
                    code="TRAITEMENT_REJET",
                    date=now(),
                    utilisateur_id=caller.user_id,
                )
            )
    return WsRetour(codeRetour=0, libelle=errors.OK.libelle)


_A_TRAITER_FOURNISSEUR = (S.A_RECYCLER, S.SUSPENDUE, S.REJETEE)


@handles("rechercherFactureATraiterParFournisseur")
def a_traiter_fournisseur(
    sb: Sandbox, caller: Caller, body: fa.RechercherFactureATraiterParFournisseurParam
) -> WireModel:
    """Invoices waiting for the supplier (recycle, complete, acknowledge a rejection)."""
    statuts = [s.value for s in _A_TRAITER_FOURNISSEUR]
    if body.masquerRejetee:
        statuts.remove(S.REJETEE.value)
    with sb.store.session() as session:
        found = session.scalars(
            select(Facture)
            .where(Facture.fournisseur_id == caller.structure_id, Facture.statut.in_(statuts))
            .order_by(Facture.id.desc())
        ).all()
        p = body.rechercheFactureATraiterParFournisseur
        page, retour = paginate(
            found,
            p.pageResultatDemandee if p else None,
            p.nbResultatsParPage if p else None,
            p.nbResultatsMaximum if p else None,
        )
        d = Directory.cached(sb.store, session)
        return fa.WsRetourRechercherFactureATraiterParFournisseur(
            codeRetour=0,
            libelle=errors.OK.libelle,
            parametresRetour=retour,
            listeFactures=[
                fa.FactureRechercherATraiterFournisseur.model_validate(
                    item_fournisseur(f, d).model_dump(exclude_none=True)
                )
                for f in page
            ],
        )


# --- buyer side --------------------------------------------------------------------------


@handles("rechercherFactureRecipiendaire")
def rechercher_recipiendaire(
    sb: Sandbox, caller: Caller, body: fa.RechercherFactureRecipiendaireParam
) -> WireModel:
    """Invoices received by the caller's structure; none found is codeRetour 20000."""
    with sb.store.session() as session:
        query = select(Facture).where(Facture.destinataire_id == caller.structure_id)
        if body.idServiceExecutant is not None:
            query = query.where(Facture.service_id == body.idServiceExecutant)
        if body.listeTypeFacture:
            query = query.where(Facture.type_facture.in_([t.value for t in body.listeTypeFacture]))
        if body.factureTelechargeeParDestinataire is not None:
            query = query.where(Facture.telechargee.is_(body.factureTelechargeeParDestinataire))
        fournisseurs = [f.idFournisseur for f in body.listeFournisseurs or [] if f.idFournisseur]
        if fournisseurs:
            query = query.where(Facture.fournisseur_id.in_(fournisseurs))
        query = _filter_common(
            query,
            numero=body.numeroFacture,
            statuts=body.statutCourant,
            depot_du=body.periodeDateDepotDu,
            depot_au=body.periodeDateDepotAu,
            bon_commande=body.numeroBonCommande,
            marche=body.numeroMarche,
        )
        if body.typeDemandePaiement is not None and body.typeDemandePaiement.value != "FACTURE":
            query = query.where(Facture.id < 0)
        query = _amounts(query, body.montantHTMin, body.montantHTMax, Facture.montant_ht)
        query = _amounts(query, body.montantTTCMin, body.montantTTCMax, Facture.montant_ttc)
        query = _amounts(
            query, body.montantApayerMin, body.montantApayerMax, Facture.montant_a_payer
        )
        p = body.paramRecherche
        page, retour = _page(
            session,
            query,
            p.triColonne if p else None,
            p.triSens.value if p and p.triSens else None,
            p.pageResultatDemandee if p else None,
            p.nbResultatsParPage if p else None,
            p.nbResultatsMaximum if p else None,
        )
        if not retour.total:
            raise errors.AUCUN_RESULTAT.error()
        d = Directory.cached(sb.store, session)
        return fa.WsRetourRechercheFactureRecipiendaireRest(
            codeRetour=0,
            libelle=errors.OK.libelle,
            listeFactures=[item_recipiendaire(f, d) for f in page],
            pageCourante=retour.pageCourante,
            pages=retour.pages,
            nbResultatsParPage=retour.nbResultatsParPage,
            total=retour.total,
        )


@handles("rechercherFactureATraiterParRecipiendaire")
def a_traiter_recipiendaire(
    sb: Sandbox, caller: Caller, body: fa.RechercherFactureATraiterParRecipiendaireParam
) -> WireModel:
    """Invoices waiting for the buyer: made available or completed."""
    with sb.store.session() as session:
        found = session.scalars(
            select(Facture)
            .where(
                Facture.destinataire_id == caller.structure_id,
                Facture.statut.in_([S.MISE_A_DISPOSITION.value, S.COMPLETEE.value]),
            )
            .order_by(Facture.id.desc())
        ).all()
        if not found:
            raise errors.AUCUN_RESULTAT.error()
        p = body.parametreRechercheFactureATraiterParRecipiendaire
        page, retour = page_of(found, p)
        d = Directory.cached(sb.store, session)
        return fa.WsRetourRechercheFactureRecipiendaire(
            codeRetour=0,
            libelle=errors.OK.libelle,
            listeFactures=[item_recipiendaire(f, d) for f in page],
            parametresRetour=retour,
        )


@handles("consulterFactureParRecipiendaire")
def consulter_recipiendaire(
    sb: Sandbox, caller: Caller, body: fa.ConsulterFactureParRecipiendaireParam
) -> WireModel:
    with sb.store.session() as session:
        facture = _own(session, caller, body.identifiantFactureCPP, buyer=True)
        return fa.WsRetourFacturesRecues(
            codeRetour=0,
            libelle=errors.OK.libelle,
            facture=facture_recue(facture, Directory.cached(sb.store, session), session),
        )


@handles("traiterUneFactureRecue")
def traiter_recue(sb: Sandbox, caller: Caller, body: fa.TraiterUneFactureRecueParam) -> WireModel:
    """The buyer moves an invoice it received; the simulated buyer then leaves it alone."""
    if body.nouveauStatut is None:
        raise errors.DONNEE_INVALIDE.error("nouveauStatut est obligatoire")
    target = body.nouveauStatut.value
    with sb.store.session() as session:
        facture = _own(session, caller, body.idFacture, buyer=True)
        if target not in BUYER_TARGETS.get(facture.statut, ()):
            raise errors.STATUT_IMPOSSIBLE.error(f"{facture.statut} vers {target}")
        if target in MOTIF_REQUIRED and not (body.motif or "").strip():
            raise errors.MOTIF_OBLIGATOIRE.error(target)
        if body.numeroDPMandat:
            facture.numero_dp_mandat = body.numeroDPMandat
        set_status(
            session,
            facture,
            target,
            commentaire=(body.motif or None) and body.motif[:255] if body.motif else None,
            utilisateur_id=caller.user_id,
        )
        return fa.WsRetourTraiterFacture(
            codeRetour=0,
            libelle=errors.OK.libelle,
            idFacture=facture.id,
            numeroFacture=facture.numero,
            dateTraitement=paris(facture.date_statut),
            nouveauStatut=target,
        )


# --- not on qualification / validators -------------------------------------------------


@handles("rechercherDemandePaiement")
def rechercher_demande_paiement(
    sb: Sandbox, caller: Caller, body: fa.RechercherDemandePaiementParam
) -> WireModel:
    """Does not work on the qualification space (swagger description); nor here."""
    raise errors.NON_DISPONIBLE.error()


@handles("rechercherFactureParValideur")
def rechercher_valideur(
    sb: Sandbox, caller: Caller, body: fa.RechercherFactureParValideurParam
) -> WireModel:
    """The data set has no validation circuit (A9/A12): nothing to validate."""
    raise errors.AUCUN_RESULTAT.error()


@handles("rechercherFactureATraiterParValideur")
def a_traiter_valideur(
    sb: Sandbox, caller: Caller, body: fa.RechercherFactureATraiterParValideurParam
) -> WireModel:
    raise errors.AUCUN_RESULTAT.error()


@handles("consulterFactureParValideur")
def consulter_valideur(
    sb: Sandbox, caller: Caller, body: fa.ConsulterFactureParValideurParam
) -> WireModel:
    raise errors.DP_INEXISTANTE.error()


@handles("traiterFactureAValider")
def traiter_a_valider(
    sb: Sandbox, caller: Caller, body: fa.TraiterFactureAValiderParam
) -> WireModel:
    raise errors.DP_INEXISTANTE.error()


@handles("corrigerValideurFacture")
def corriger_valideur(
    sb: Sandbox, caller: Caller, body: fa.CorrigerValideurFactureParam
) -> WireModel:
    with sb.store.session() as session:
        _own(session, caller, body.idFacture, buyer=False)
    raise errors.STATUT_IMPOSSIBLE.error("la facture n'a pas de valideur")


@handles("recupererStatutsFactureVisiblesParValideur")
def statuts_valideur(
    sb: Sandbox, caller: Caller, body: fa.RecupererStatutsFactureVisiblesParValideurParam
) -> WireModel:
    visible = (S.A_VALIDER_1, S.VALIDEE_1, S.REFUSEE_1, S.A_VALIDER_2, S.VALIDEE_2, S.REFUSEE_2)
    return fa.WsRetourRecupererStatutsFactureVisiblesParValideur(
        codeRetour=0,
        libelle=errors.OK.libelle,
        listeStatutFacture=[
            fa.RecupererStatutsFactureVisiblesParValideurOutput(codeStatutFacture=s.value)
            for s in visible
        ],
    )
