"""Invoices as each operation shows them: search items, full consultations, history."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from chorusflow.chorus.wire import factures as fa
from chorusflow.sandbox.context import paris
from chorusflow.sandbox.store import (
    Facture,
    HistoAction,
    HistoStatut,
    PieceJointe,
    Service,
    Store,
    Structure,
    Utilisateur,
)


@dataclass(slots=True)
class Directory:
    """Structures and services by id, loaded once for a request."""

    structures: dict[int, Structure]
    services: dict[int, Service]

    @classmethod
    def load(cls, session: Session) -> Directory:
        return cls(
            {s.id: s for s in session.scalars(select(Structure)).all()},
            {s.id: s for s in session.scalars(select(Service)).all()},
        )

    @classmethod
    def cached(cls, store: Store, session: Session) -> Directory:
        """The directory, read once: structures and services do not change once created."""
        directory = store.cache.get("directory")
        if isinstance(directory, Directory):
            return directory
        directory = cls.load(session)
        if directory.structures:
            for item in (*directory.structures.values(), *directory.services.values()):
                session.expunge(item)
            store.cache["directory"] = directory
        return directory

    def siret(self, structure_id: int) -> str:
        return self.structures[structure_id].identifiant

    def name(self, structure_id: int) -> str:
        return self.structures[structure_id].designation

    def service(self, service_id: int | None) -> Service | None:
        return self.services.get(service_id) if service_id is not None else None


def _search_item(f: Facture, d: Directory) -> dict[str, object]:
    """The fields the supplier and the recipient searches show alike."""
    service = d.service(f.service_id)
    return {
        "typeDemandePaiement": "FACTURE",
        "codeFournisseur": d.siret(f.fournisseur_id),
        "typeIdentifiantFournisseur": "SIRET",
        "designationFournisseur": d.name(f.fournisseur_id),
        "idDestinataire": f.destinataire_id,
        "codeDestinataire": d.siret(f.destinataire_id),
        "designationDestinataire": d.name(f.destinataire_id),
        "idServiceExecutant": service.id if service else None,
        "codeServiceExecutant": service.code if service else None,
        "nomServiceExecutant": service.libelle if service else None,
        "typeFacture": f.type_facture,
        "numeroFacture": f.numero,
        "dateFacture": f.date_facture,
        "dateDepot": paris(f.date_depot),
        "montantHT": f.montant_ht,
        "montantTTC": f.montant_ttc,
        "montantAPayer": f.montant_a_payer,
        "devise": f.devise,
        "statut": f.statut,
        "numeroMarche": f.numero_marche,
        "numeroBonCommande": f.numero_bon_commande,
        "taille": f.taille,
        "dateHeureEtatCourant": paris(f.date_statut),
    }


def item_fournisseur(f: Facture, d: Directory) -> fa.RetourRechercherFactureParFournisseur:
    """One invoice in rechercherFactureParFournisseur."""
    return fa.RetourRechercherFactureParFournisseur.model_validate(
        _search_item(f, d)
        | {
            "identifiantFactureCPP": f.id,
            "numeroFluxDepot": f.numero_flux,
            "modeDepot": f.mode_depot,
            "rejetTraite": f.rejet_traite,
        }
    )


def item_recipiendaire(f: Facture, d: Directory) -> fa.FactureRechercheRecipiendaire:
    """One invoice in rechercherFactureParRecipiendaire."""
    return fa.FactureRechercheRecipiendaire.model_validate(
        _search_item(f, d) | {"idFacture": f.id, "factureTelechargeeParDestinataire": f.telechargee}
    )


def _common(f: Facture, session: Session) -> dict[str, object]:
    lignes = json.loads(f.lignes) if f.lignes else {}
    pieces = session.scalars(
        select(PieceJointe).where(PieceJointe.facture_id == f.id).order_by(PieceJointe.id)
    ).all()
    return {
        "cadreDeFacturation": fa.CadreDeFacturationOutput(codeCadreFacturation=f.cadre),
        "references": fa.References(
            dateFacture=f.date_facture,
            dateDepot=paris(f.date_depot),
            codeDeviseFacture=f.devise,
            typeFacture=f.type_facture,
            typeTva=f.type_tva,
            numeroMarche=f.numero_marche,
            numeroBonCommande=f.numero_bon_commande,
            numeroFactureOrigine=f.numero_facture_origine,
            modePaiement=f.mode_paiement,
            dateCreationFacture=paris(f.date_depot),
            numeroDpMandat=f.numero_dp_mandat,
        ),
        "montantTotal": fa.MontantTotal(
            montantHtTotal=f.montant_ht,
            montantTVA=f.montant_tva,
            montantTtcTotal=f.montant_ttc,
            montantAPayer=f.montant_a_payer,
        ),
        "recapitulatifDeTva": fa.LignesTva(
            ligneTva=[fa.LigneTva.model_validate(x) for x in lignes.get("ligneTva", [])],
            totalLignesRecapitulativesTVA=len(lignes.get("ligneTva", [])),
        ),
        "lignesDePoste": fa.LignesPostes(
            lignePoste=[fa.LignePoste.model_validate(x) for x in lignes.get("lignePoste", [])],
            totalLignesPoste=len(lignes.get("lignePoste", [])),
        ),
        "pieceJointePrincipale": fa.PiecejointePrincipale(
            idPieceJointePrincipale=f.piece_jointe_principale_id
        ),
        "listeDesPiecesJointes": fa.PiecesJointes(
            pieceJointe=[
                fa.PJointe(
                    pieceJointeTypeCode=p.type_code,
                    pieceJointeDesignation=p.designation or p.nom,
                    pieceJointeNumeroLigneFacture=p.numero_ligne,
                    pieceJointeIdLiaison=p.id,
                    pieceJointeId=p.id,
                    pieceJointeExtension=p.extension,
                )
                for p in pieces
            ],
            totalListePiecesJointe=len(pieces),
        ),
        "commentaire": f.commentaire,
    }


def facture_emise(f: Facture, d: Directory, session: Session) -> fa.FactureCppEmise:
    """consulterFactureParFournisseur's ``facture``."""
    service = d.service(f.service_id)
    buyer, supplier = d.structures[f.destinataire_id], d.structures[f.fournisseur_id]
    return fa.FactureCppEmise(
        identifiantFactureCPP=f.id,
        numeroFacture=f.numero,
        statutFacture=f.statut,
        modeDepot=f.mode_depot,
        rejetTraite=f.rejet_traite,
        destinataire=fa.DestinataireFactureEmise(
            idDestinataire=buyer.id,
            codeDestinataire=buyer.identifiant,
            libelleDestinataire=buyer.designation,
            designationDestinataire=buyer.designation,
            idServiceExecutant=service.id if service else None,
            codeServiceExecutant=service.code if service else None,
            libelleServiceExecutant=service.libelle if service else None,
            miseEnPaiementDestinataire=not buyer.mise_en_paiement_non_remontee,
            adresseDestinataireDetail=buyer.adresse,
            adresseDestinataireCodePostal=buyer.code_postal,
            adresseDestinataireVille=buyer.ville,
            adresseDestinataireCodePays=buyer.pays,
        ),
        fournisseur=fa.FournisseurFactureEmise(
            idFournisseur=supplier.id,
            typeIdentifiantFournisseur="SIRET",
            codeFournisseur=supplier.identifiant,
            raisonSocialeFournisseur=supplier.designation,
            designationFournisseur=supplier.designation,
            adresseFournisseurDetail=supplier.adresse,
            adresseFournisseurCodePostal=supplier.code_postal,
            adresseFournisseurVille=supplier.ville,
            adresseFournisseurCodePays=supplier.pays,
        ),
        **_common(f, session),
    )


def facture_recue(f: Facture, d: Directory, session: Session) -> fa.FactureCpp:
    """consulterFactureParRecipiendaire's ``facture``."""
    service = d.service(f.service_id)
    buyer, supplier = d.structures[f.destinataire_id], d.structures[f.fournisseur_id]
    return fa.FactureCpp(
        identifiantFactureCPP=f.id,
        numeroFacture=f.numero,
        statutFacture=f.statut,
        modeDepot=f.mode_depot,
        destinataire=fa.Destinataire(
            destinataireEtat="OUI" if buyer.identifiant.startswith("110") else "NON",
            idDestinataire=buyer.id,
            codeDestinataire=buyer.identifiant,
            libelleDestinataire=buyer.designation,
            idServiceExecutant=service.id if service else None,
            codeServiceExecutant=service.code if service else None,
            libelleServiceExecutant=service.libelle if service else None,
        ),
        fournisseur=fa.Fournisseur(
            idFournisseur=supplier.id,
            typeIdentifiantFournisseur="SIRET",
            codeFournisseur=supplier.identifiant,
            designationFournisseur=supplier.designation,
        ),
        **_common(f, session),
    )


def historique(f: Facture, session: Session) -> fa.WsRetourConsulterHistoriqueFacture:
    """consulterHistoriqueFacture: statuses (newest first), user actions, last action."""
    statuts = session.scalars(
        select(HistoStatut)
        .where(HistoStatut.facture_id == f.id)
        .order_by(HistoStatut.date.desc(), HistoStatut.id.desc())
    ).all()
    actions = session.scalars(
        select(HistoAction).where(HistoAction.facture_id == f.id).order_by(HistoAction.id.desc())
    ).all()
    authors = {h.utilisateur_id for h in statuts} | {a.utilisateur_id for a in actions}
    authors.discard(None)
    users = (
        {u.id: u for u in session.scalars(select(Utilisateur).where(Utilisateur.id.in_(authors)))}
        if authors
        else {}
    )

    def who(user_id: int | None) -> dict[str, str | None]:
        user = users.get(user_id) if user_id else None
        if user is None:
            return {}
        return {"Prenom": user.prenom, "Nom": user.nom, "Email": user.login}

    return fa.WsRetourConsulterHistoriqueFacture(
        codeRetour=0,
        libelle="TRA_MSG_00.000",
        idFacture=f.id,
        numeroFacture=f.numero,
        modeDepot=f.mode_depot,
        statutCourantCode=f.statut,
        historiquesDesStatuts=fa.HistoriquesStatus(
            histoStatut=[
                fa.HistoriqueStatus(
                    histoStatutId=h.id,
                    histoStatutCode=h.code,
                    histoStatutDatePassage=paris(h.date),
                    histoStatutCommentaire=h.commentaire,
                    **{f"histoStatutUtilisateur{k}": v for k, v in who(h.utilisateur_id).items()},
                )
                for h in statuts
            ],
            pageCouranteHistoStatut=1,
            pagesHistoStatut=1,
            nbResultatsParPageHistoStatut=max(len(statuts), 1),
            totalHistoStatut=len(statuts),
        ),
        historiquesDesEvenementsComplementaires=fa.HistoriquesEvenements(
            evenement=[], totalEvenement=0
        ),
        historiquesDesActionsUtilisateurs=fa.HistoriquesActionsUtilisateurs(
            histoAction=[
                fa.HistoriqueActionUtilisateur(
                    histoActionId=a.id,
                    histoActionCode=a.code,
                    histoActionDateHeure=paris(a.date),
                    **{f"histoActionUtilisateur{k}": v for k, v in who(a.utilisateur_id).items()},
                )
                for a in actions
            ],
            totalHistoAction=len(actions),
        ),
        derniereAction=(
            fa.DerniereAction(derniereActionId=actions[0].id, derniereActionCode=actions[0].code)
            if actions
            else None
        ),
    )
