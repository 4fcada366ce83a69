"""The Structures API, Engagements juridiques and Utilisateurs: the directory side.

Public structures are visible to everyone; a private structure only to its own accounts
(``restreindreStructuresPrivees`` absent or true, API.md §5.1), so that no account sees
another supplier's data.
"""

from __future__ import annotations

from sqlalchemy import select

from chorusflow.chorus.wire import engagements as ej
from chorusflow.chorus.wire import structures as st
from chorusflow.chorus.wire import utilisateurs as ut
from chorusflow.chorus.wire.base import WireModel
from chorusflow.sandbox import errors
from chorusflow.sandbox.auth import Caller
from chorusflow.sandbox.context import Sandbox, handles, page_of, paris
from chorusflow.sandbox.store import Engagement, Service, Structure, Utilisateur


def _visible(structure: Structure | None, caller: Caller) -> bool:
    return structure is not None and (structure.publique or structure.id == caller.structure_id)


@handles("rechercherStructure")
def rechercher_structure(
    sb: Sandbox, caller: Caller, body: st.RechercherStructureParam
) -> WireModel:
    criteria = body.structure or st.RechercherStructureInput()
    restrict = body.restreindreStructuresPrivees is not False
    with sb.store.session() as session:
        found = []
        for s in session.scalars(select(Structure).order_by(Structure.id)).all():
            if not s.publique and restrict and s.id != caller.structure_id:
                continue
            if criteria.identifiantStructure and s.identifiant != criteria.identifiantStructure:
                continue
            if (
                criteria.typeIdentifiantStructure
                and s.type_identifiant != criteria.typeIdentifiantStructure.value
            ):
                continue
            name = criteria.raisonSocialeStructure or criteria.libelleStructure
            if name and name.lower() not in s.designation.lower():
                continue
            if criteria.typeStructure and (
                s.publique != (criteria.typeStructure.value == "PUBLIQUE")
            ):
                continue
            if criteria.statutStructure and (
                s.active != (criteria.statutStructure.value == "ACTIF")
            ):
                continue
            if criteria.adresseCodePostal and s.code_postal != criteria.adresseCodePostal:
                continue
            if criteria.adresseVille and (s.ville or "").lower() != criteria.adresseVille.lower():
                continue
            found.append(s)
        p = body.parametres
        if p and p.triColonne == "DesignationStructure":
            found.sort(
                key=lambda s: s.designation,
                reverse=p.triSens is not None and p.triSens.value == "Descendant",
            )
        page, retour = page_of(found, p)
        return st.WsRetourRechercherStructure(
            codeRetour=0,
            libelle=errors.OK.libelle,
            listeStructures=[
                st.StructureAAfficher(
                    idStructureCPP=s.id,
                    identifiantStructure=s.identifiant,
                    designationStructure=s.designation,
                    typeIdentifiantStructure=s.type_identifiant,
                    statut="ACTIVE" if s.active else "INACTIVE",
                )
                for s in page
            ],
            parametresRetour=retour,
        )


@handles("consulterStructureAvecTVAIntraCom")
def consulter_structure(
    sb: Sandbox, caller: Caller, body: st.ConsulterStructureAvecTVAIntraComParam
) -> WireModel:
    with sb.store.session() as session:
        s = session.get(Structure, body.idStructureCPP) if body.idStructureCPP else None
        if s is None or not _visible(s, caller):
            raise errors.STRUCTURE_INTROUVABLE.error()
        expiry = None
        if s.id == caller.structure_id:
            user = session.get(Utilisateur, caller.user_id)
            expiry = paris(user.expiration_mot_de_passe) if user else None
        return st.WsRetourConsulterStructureTVAIntraCom(
            codeRetour=0,
            libelle=errors.OK_GCU.libelle,
            adressePostaleDuSiege=st.AdressePostale(
                adresse=s.adresse, codePostal=s.code_postal, ville=s.ville, pays=s.pays
            ),
            informationGenerales=st.InformationsGeneralesStructureCompleteTVAIntraCom(
                idStructureCPP=s.id,
                identifiantStructure=s.identifiant,
                typeIdentifiantStructure=s.type_identifiant,
                libelleStructure=s.designation,
                raisonSocialeStructure=s.designation,
                emailStructure=s.email,
                numeroTVA=s.numero_tva,
                structurePriveePublique="PUBLIQUE" if s.publique else "PRIVEE",
                estValideurDeleguee=False,
                dateExpirationMotPasseCompteTech=expiry,
            ),
            parametres=st.ParamModifierStructure(
                codeServiceDoitEtreRenseigne=s.service_obligatoire,
                numeroEJDoitEtreRenseigne=s.engagement_obligatoire,
                gestionNumeroEJOuCodeService=s.service_ou_engagement,
                connexionEDI=True,
                recevoirDonneesViaEDI=s.publique,
                statutMiseEnPaiementNestPasRemonte=s.mise_en_paiement_non_remontee,
                estMoaUniquement=False,
                estValideurDelegue=False,
                getaMoa=False,
                nonDiffusibleInsee=False,
            ),
        )


@handles("rechercherServicesStructure")
def rechercher_services(
    sb: Sandbox, caller: Caller, body: st.RechercherServicesStructureParam
) -> WireModel:
    with sb.store.session() as session:
        s = session.get(Structure, body.idStructure) if body.idStructure else None
        if s is None or not _visible(s, caller):
            raise errors.STRUCTURE_INTROUVABLE.error()
        services = list(
            session.scalars(
                select(Service).where(Service.structure_id == s.id).order_by(Service.id)
            ).all()
        )
        p = body.parametresRechercherServicesStructure
        if p and p.triColonne in ("CodeService", "LibelleService"):
            services.sort(
                key=lambda v: v.code if p.triColonne == "CodeService" else v.libelle,
                reverse=p.triSens is not None and p.triSens.value == "Descendant",
            )
        page, retour = page_of(services, p)
        return st.WsRetourRechercherServicesStructure(
            codeRetour=0,
            libelle=errors.OK.libelle,
            listeServices=[
                st.ServiceExpose(
                    idService=v.id,
                    codeService=v.code,
                    libelleService=v.libelle,
                    estActif=v.active,
                    statutService="ACTIF" if v.active else "INACTIF",
                )
                for v in page
            ],
            parametresRetour=retour,
        )


@handles("consulterServiceStructure")
def consulter_service(
    sb: Sandbox, caller: Caller, body: st.ConsulterServiceStructureParam
) -> WireModel:
    with sb.store.session() as session:
        s = session.get(Structure, body.idStructure) if body.idStructure else None
        if s is None or not _visible(s, caller):
            raise errors.STRUCTURE_INTROUVABLE.error()
        v = session.get(Service, body.idService) if body.idService else None
        if v is None or v.structure_id != s.id:
            raise errors.SERVICE_INTROUVABLE.error()
        return st.WsRetourConsulterServiceStructure(
            codeRetour=0,
            libelle=errors.OK.libelle,
            adressePostale=st.AdressePostale(
                adresse=s.adresse, codePostal=s.code_postal, ville=s.ville, pays=s.pays
            ),
            informationsGenerales=st.ParamModifierServiceInfoGeneral(
                codeService=v.code, nomService=v.libelle, descriptionService=v.libelle
            ),
            parametres=st.ParamParametre(
                dateCreation=paris(v.debut),
                dateDebutValidite=paris(v.debut),
                dateFinValidite=paris(v.fin),
                dateModification=paris(v.debut),
                miseEnPaiement=not s.mise_en_paiement_non_remontee,
                numeroEngagement=v.engagement_obligatoire,
            ),
        )


@handles("listerRattachementsStructureUtilisateur")
def lister_rattachements(
    sb: Sandbox, caller: Caller, body: st.ListerRattachementsStructureUtilisateurParam
) -> WireModel:
    """The caller's own structure and its services (no other user's data is listed)."""
    with sb.store.session() as session:
        s = session.get(Structure, caller.structure_id)
        assert s is not None
        wanted = body.idStructure or None
        other_id = wanted is not None and wanted != s.id
        other_siret = bool(body.identifiantStructure) and body.identifiantStructure != s.identifiant
        if other_id or other_siret:
            raise errors.STRUCTURE_INTROUVABLE.error()
        services = session.scalars(
            select(Service).where(Service.structure_id == s.id).order_by(Service.id)
        ).all()
        p = body.parametresListerRattachementsStructureUtilisateur
        page, retour = page_of(services, p)
        return st.WsRetourListerRattachementsStructureUtilisateur(
            codeRetour=0,
            libelle=errors.OK.libelle,
            idStructure=s.id,
            identifiantStructure=s.identifiant,
            designationStructure=s.designation,
            premierService=True,
            listeServices=[
                st.ServiceOutputListerRattachementsStructureUtilisateur(
                    idService=v.id,
                    codeService=v.code,
                    nomService=v.libelle,
                    idRattachement=v.id * 10,
                    dateDebut=paris(v.debut),
                    statutRattachement="VALIDEE" if v.active else "DESACTIVEE",
                )
                for v in page
            ],
            parametresRetour=retour,
        )


@handles("rechercherEspaces")
def rechercher_espaces(sb: Sandbox, caller: Caller, body: st.RechercherEspacesParam) -> WireModel:
    """Portal spaces of the caller's structure: invoices issued (7) and received (8)."""
    with sb.store.session() as session:
        services = session.scalars(
            select(Service).where(Service.structure_id == caller.structure_id)
        ).all()
        spaces = [
            st.WsRetourEspaceFoServiceSxp(
                codeEspace=code,
                codeService=v.code,
                etatCourant="ACTIVE",
                idEspaceFo=v.id * 100 + code,
                idService=v.id,
                libelleEspace=label,
                libelleService=v.libelle,
                typeHabilitation="MODIFICATION",
            )
            for v in services
            if body.idService is None or v.id == body.idService
            for code, label in ((7, "Factures émises"), (8, "Factures reçues"))
        ]
        p = body.parametresRechercherEspaces
        page, retour = page_of(spaces, p)
        return st.WsRetourRechercherEspacesFo(
            codeRetour=0, libelle=errors.OK.libelle, listeEspace=page, parametresRetour=retour
        )


@handles("rechercherEngagementJuridique")
def rechercher_engagement(
    sb: Sandbox, caller: Caller, body: ej.RechercherEngagementJuridiqueParam
) -> WireModel:
    """Engagements of the caller: those it issued (buyer) or that name it (supplier)."""
    with sb.store.session() as session:
        query = select(Engagement).order_by(Engagement.id)
        found = []
        structures = {s.id: s for s in session.scalars(select(Structure)).all()}
        for e in session.scalars(query).all():
            if caller.structure_id not in (e.destinataire_id, e.fournisseur_id):
                continue
            number = body.numeroEngagementJuridique or body.codeEngagementJuridique
            if number and e.numero != number:
                continue
            if (
                body.numeroMarcheEngagementJuridique
                and e.numero_marche != body.numeroMarcheEngagementJuridique
            ):
                continue
            receiver = body.structureReceptriceEngagementJuridique
            if (
                receiver
                and str(e.fournisseur_id) != receiver
                and structures[e.fournisseur_id or 0].identifiant != receiver
            ):
                continue
            if (
                body.etatCourantEngagementJuridique
                and e.etat != body.etatCourantEngagementJuridique
            ):
                continue
            if body.montantTTCMin is not None and e.montant_ttc < body.montantTTCMin:
                continue
            if body.montantTTCMax is not None and e.montant_ttc > body.montantTTCMax:
                continue
            found.append(e)
        p = body.parametresRecherche
        page, retour = page_of(found, p)
        services: dict[tuple[int, str | None], Service] = {
            (v.structure_id, v.code): v for v in session.scalars(select(Service)).all()
        }
        return ej.WsRetourRechercherEngagementJuridique(
            codeRetour=0,
            libelle=errors.OK.libelle,
            listeEngagementJuridique=[
                ej.EngagementJuridique(
                    idEngagementJuridique=e.id,
                    libelleTypeEngagementJuridique=e.type_libelle,
                    numeroEngagementJuridique=e.numero,
                    structureReceptrice=str(e.fournisseur_id) if e.fournisseur_id else None,
                    identifiantStructureReceptrice=structures[e.fournisseur_id].identifiant
                    if e.fournisseur_id
                    else None,
                    libelleStructureReceptrice=structures[e.fournisseur_id].designation
                    if e.fournisseur_id
                    else None,
                    codeServiceExecutant=e.code_service,
                    libelleServiceExecutant=(
                        services[(e.destinataire_id, e.code_service)].libelle
                        if (e.destinataire_id, e.code_service) in services
                        else None
                    ),
                    dateNotificationEJ=paris(e.date_notification),
                    libelleEtatCourantEJ=e.etat,
                    montantTotalTtc=e.montant_ttc,
                    deviseEngagement=e.devise,
                    taillePJ=0,
                )
                for e in page
            ],
            parametresRetour=retour,
        )


@handles("recupererRattachementsMonCompteUtilisateur")
def rattachements_mon_compte(
    sb: Sandbox, caller: Caller, body: ut.RecupererRattachementsMonCompteParam
) -> WireModel:
    """The structure the technical account acts for: how it learns its idStructure."""
    with sb.store.session() as session:
        s = session.get(Structure, caller.structure_id)
        assert s is not None
        services = session.scalars(select(Service).where(Service.structure_id == s.id)).all()
        rows = [
            ut.StructureRattachement(
                designationStructure=s.designation,
                idRattachementStructure=caller.user_id * 10,
                idStructure=s.id,
                identifiantStructure=s.identifiant,
                typeIdentifiantStructure=s.type_identifiant,
                roleUtilisateur=caller.role,
                statutRattachementStructure="VALIDEE",
                statutUtilisateur="ACTIF",
                listeServicesRattache=[
                    ut.ServiceRattache(idService=v.id, codeService=v.code, nomService=v.libelle)
                    for v in services
                ],
            )
        ]
        p = body.parametresRecherche
        page, retour = page_of(rows, p)
        return ut.WsRetourRecupererRattachementsMonCompte(
            codeRetour=0,
            libelle=errors.OK.libelle,
            listeStructureRattachement=page,
            parametresRetour=retour,
        )
