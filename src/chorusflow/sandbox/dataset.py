"""The "matelas de données": everything a qualification account gets, created at once.

* the shared public test structures of API.md §12.1 (SFACETAT; service required; engagement
  required; either; none), plus an inactive structure and a structure with an inactive
  service and a service that requires an engagement;
* private suppliers, among them the SIRETs of the bundled examples, so that they route;
* users with roles (gestionnaire, user) and one technical account per structure, one of
  them with a password close to its expiry and one expired;
* PISTE applications: one with every API, one without Factures and one with Factures only
  (so that every API has an application it is not attached to, for the 403 case), all three
  connected to every structure; and one with every API that no structure has connected, for
  the "wrong application" case;
* engagements juridiques per buyer;
* existing invoices in every status a supplier can see, with their history.

Creating it twice gives back the first one: the data set of a sandbox is stable.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chorusflow.chorus.wire.enums import StatutFacture as S
from chorusflow.chorus.wire.operations import Api
from chorusflow.sandbox.lifecycle import now, set_status
from chorusflow.sandbox.store import (
    Application,
    Engagement,
    Facture,
    Raccordement,
    Service,
    Store,
    Structure,
    Utilisateur,
)

ALL_APIS = " ".join(api.value for api in Api)


@dataclass(frozen=True, slots=True)
class BuyerSpec:
    siret: str
    name: str
    services: tuple[tuple[str, str, bool, bool], ...] = ()
    """(code, libellé, actif, engagement exigé)."""
    service: bool = False
    engagement: bool = False
    either: bool = False
    active: bool = True


BUYERS = (
    BuyerSpec(
        "11000201100044", "Destinataire État", (("SFACETAT", "Service facturier", True, False),)
    ),
    BuyerSpec(
        "12345678200028",
        "Destinataire service obligatoire",
        (("SERVICE_DEST_SERV_OBL", "Service destinataire", True, False),),
        service=True,
    ),
    BuyerSpec("12345678200036", "Destinataire EJ obligatoire", engagement=True),
    BuyerSpec(
        "12345678200044",
        "Destinataire EJ ou service obligatoire",
        (("SERVICE_DEST_EJ_OU_SERV_OBL", "Service destinataire", True, False),),
        either=True,
    ),
    BuyerSpec("12345678200051", "Destinataire sans paramètre"),
    BuyerSpec(
        "21380185500015",
        "Commune de Saint-Exemple",
        (
            ("SERVICES_TECHNIQUES", "Services techniques", True, False),
            ("ANCIEN_SERVICE", "Service fermé", False, False),
            ("MARCHES", "Service des marchés (engagement exigé)", True, True),
            ("FACTURES_PUBLIQUES", "Service des factures publiques", True, False),
        ),
    ),
    BuyerSpec("21690123400019", "Syndicat intercommunal dissous", active=False),
)

#: (SIRET, raison sociale, days before the technical password expires)
SUPPLIERS = (
    ("90123456700005", "Atelier Lumière SARL", 424),
    ("81234567600009", "Bureau Conseil Numérique SAS", 424),
    ("85412369200006", "Menuiserie Durand EI", 424),
    ("93125027408770", "Fournisseur qualification", 20),
    ("73282932000074", "Fournisseur au mot de passe expiré", -1),
)


@dataclass(frozen=True, slots=True)
class ApplicationSpec:
    name: str
    prefix: str
    """Start of the client id (the rest is random)."""
    apis: str
    connected: bool
    """Whether every structure declared it (raccordement PISTE) or none did."""


#: The PISTE applications; names are what a structure types in its raccordement.
APPLICATIONS = (
    ApplicationSpec("APP_SANDBOX_chorusflow", "APP_SANDBOX", ALL_APIS, True),
    ApplicationSpec(
        "APP_SANDBOX_sans_factures (Structures et Transverses seulement)",
        "APP_SANS_FACTURES",
        "structures transverses utilisateurs",
        True,
    ),
    ApplicationSpec("APP_SANDBOX_factures_seulement", "APP_FACTURES_SEULES", "factures", True),
    ApplicationSpec("APP_SANDBOX_non_raccordee", "APP_NON_RACCORDEE", ALL_APIS, False),
)

#: Statuses of the invoices already in the data set (all a supplier can see, API.md §9.1).
EXISTING = (
    S.DEPOSEE,
    S.EN_COURS_ACHEMINEMENT,
    S.MISE_A_DISPOSITION,
    S.A_RECYCLER,
    S.SUSPENDUE,
    S.COMPLETEE,
    S.REJETEE,
    S.SERVICE_FAIT,
    S.MANDATEE,
    S.MISE_A_DISPOSITION_COMPTABLE,
    S.COMPTABILISEE,
    S.MISE_EN_PAIEMENT,
)
#: The path each of them took.
_PATHS: dict[str, tuple[str, ...]] = {
    S.DEPOSEE: (),
    S.EN_COURS_ACHEMINEMENT: (),
    S.MISE_A_DISPOSITION: (S.EN_COURS_ACHEMINEMENT,),
    S.A_RECYCLER: (S.EN_COURS_ACHEMINEMENT, S.MISE_A_DISPOSITION),
    S.SUSPENDUE: (S.EN_COURS_ACHEMINEMENT, S.MISE_A_DISPOSITION),
    S.COMPLETEE: (S.EN_COURS_ACHEMINEMENT, S.MISE_A_DISPOSITION, S.SUSPENDUE),
    S.REJETEE: (S.EN_COURS_ACHEMINEMENT, S.MISE_A_DISPOSITION),
    S.SERVICE_FAIT: (S.EN_COURS_ACHEMINEMENT, S.MISE_A_DISPOSITION),
    S.MANDATEE: (S.EN_COURS_ACHEMINEMENT, S.MISE_A_DISPOSITION, S.SERVICE_FAIT),
    S.MISE_A_DISPOSITION_COMPTABLE: (S.EN_COURS_ACHEMINEMENT, S.MISE_A_DISPOSITION, S.MANDATEE),
    S.COMPTABILISEE: (S.EN_COURS_ACHEMINEMENT, S.MISE_A_DISPOSITION, S.MANDATEE),
    S.MISE_EN_PAIEMENT: (
        S.EN_COURS_ACHEMINEMENT,
        S.MISE_A_DISPOSITION,
        S.SERVICE_FAIT,
        S.MANDATEE,
    ),
}


_MOTIFS: dict[str, str] = {
    S.SUSPENDUE: "Bon de livraison manquant",
    S.REJETEE: "Doublon de facture",
    S.A_RECYCLER: "Code service erroné",
}


def _application(session: Session, spec: ApplicationSpec) -> Application:
    app = Application(
        client_id=f"{spec.prefix}_{secrets.token_hex(6)}",
        client_secret=secrets.token_urlsafe(24),
        nom=spec.name,
        apis=spec.apis,
    )
    session.add(app)
    session.flush()
    return app


def _password() -> str:
    return secrets.token_urlsafe(12) + "!9a"


def _structure(session: Session, siret: str, name: str, publique: bool, **flags: Any) -> Structure:
    structure = Structure(
        identifiant=siret,
        designation=name,
        publique=publique,
        email=f"contact-{siret}@cpro.example",
        numero_tva=f"FR{(12 + 3 * (int(siret[:9]) % 97)) % 97:02d}{siret[:9]}",
        adresse="1 rue de l'Exemple",
        code_postal="75001",
        ville="Paris",
        **flags,
    )
    session.add(structure)
    session.flush()
    return structure


def _users(session: Session, structure: Structure, kind: str, expiry_days: int) -> None:
    role = "DESTINATAIRE" if structure.publique else "FOURNISSEUR"
    moment = now()
    for login, technique, gestionnaire, days in (
        (f"GEST_{kind}_1_{structure.identifiant}@cpro.fr", False, True, 424),
        (f"USER_{kind}_1_{structure.identifiant}@cpro.fr", False, False, 424),
        (f"TECH_1_{structure.identifiant}@cpro.fr", True, False, expiry_days),
    ):
        session.add(
            Utilisateur(
                login=login,
                password=_password(),
                structure_id=structure.id,
                role=role,
                technique=technique,
                gestionnaire=gestionnaire,
                expiration_mot_de_passe=moment + dt.timedelta(days=days),
                nom="Compte technique" if technique else "Utilisateur",
                prenom=kind.capitalize(),
            )
        )


def create(session: Session) -> None:
    """Fill an empty database with the data set."""
    moment = now()
    buyers: dict[str, Structure] = {}
    for spec in BUYERS:
        structure = _structure(
            session,
            spec.siret,
            spec.name,
            True,
            active=spec.active,
            service_obligatoire=spec.service,
            engagement_obligatoire=spec.engagement,
            service_ou_engagement=spec.either,
        )
        buyers[spec.siret] = structure
        for code, libelle, active, ej in (*spec.services, ("Acheteur", "Acheteur", True, False)):
            session.add(
                Service(
                    structure_id=structure.id,
                    code=code,
                    libelle=libelle,
                    active=active,
                    engagement_obligatoire=ej,
                    debut=moment - dt.timedelta(days=365),
                    fin=None if active else moment - dt.timedelta(days=30),
                )
            )
        _users(session, structure, "PUBLIQUE", 424)
    suppliers: dict[str, Structure] = {}
    for siret, name, days in SUPPLIERS:
        structure = _structure(session, siret, name, False)
        suppliers[siret] = structure
        session.add(
            Service(
                structure_id=structure.id,
                code=f"SERVICE_PRIVE_1_{siret}",
                libelle="Service principal",
                debut=moment - dt.timedelta(days=365),
            )
        )
        _users(session, structure, "PRIVE", days)
    structures = [*buyers.values(), *suppliers.values()]
    for application in APPLICATIONS:
        app = _application(session, application)
        if application.connected:
            for structure in structures:
                session.add(Raccordement(structure_id=structure.id, client_id=app.client_id))
    engagements = (
        ("EJ-2026-000451", "12345678200036", "90123456700005", None, "1550.00"),
        ("EJ-2026-000452", "12345678200036", "81234567600009", None, "820.00"),
        ("EJ-2026-000453", "12345678200044", "90123456700005", None, "3000.00"),
        ("1300012345", "11000201100044", "81234567600009", "SFACETAT", "12000.00"),
        ("BC-2026-0042", "21380185500015", "90123456700005", "MARCHES", "4800.00"),
        ("BC-2026-0043", "21380185500015", "85412369200006", "MARCHES", "960.00"),
    )
    for number, buyer, supplier, service, amount in engagements:
        session.add(
            Engagement(
                numero=number,
                destinataire_id=buyers[buyer].id,
                fournisseur_id=suppliers[supplier].id,
                code_service=service,
                numero_marche="MARCHE-2026-01",
                montant_ttc=Decimal(amount),
                date_notification=moment - dt.timedelta(days=60),
            )
        )
    _existing_invoices(session, suppliers["90123456700005"], buyers["12345678200051"])


def _existing_invoices(session: Session, supplier: Structure, buyer: Structure) -> None:
    start = now() - dt.timedelta(days=40)
    for index, statut in enumerate(EXISTING, start=1):
        ht = Decimal(100 * index)
        facture = Facture(
            numero=f"QUAL-{supplier.identifiant[-6:]}-{index:02d}",
            fournisseur_id=supplier.id,
            destinataire_id=buyer.id,
            statut=S.DEPOSEE.value,
            date_statut=start,
            mode_depot="SAISIE_API",
            type_facture="FACTURE",
            date_facture=(start - dt.timedelta(days=1)).date(),
            date_depot=start,
            montant_ht=ht,
            montant_tva=ht / 5,
            montant_ttc=ht * Decimal("1.2"),
            montant_a_payer=ht * Decimal("1.2"),
            type_tva="TVA_SUR_DEBIT",
            mode_paiement="VIREMENT",
            passages=1,
            rejet_traite=False,
        )
        session.add(facture)
        session.flush()
        moment = start
        set_status(session, facture, S.DEPOSEE.value, when=moment)
        for step in (*_PATHS[statut], statut):
            if step == S.DEPOSEE:
                continue
            moment += dt.timedelta(days=1)
            set_status(session, facture, step, commentaire=_MOTIFS.get(step), when=moment)


def ensure(store: Store) -> bool:
    """Create the data set unless the database has one; True when it was created now."""
    with store.session() as session:
        if session.scalar(select(func.count(Structure.id))):
            upgrade(session)
            return False
        create(session)
    store.forget()
    return True


def upgrade(session: Session) -> bool:
    """Bring a data set made by an earlier sandbox up to this one; True when it changed.

    Data sets made before raccordements were modelled have none: every application they had
    worked for every structure, so each structure is connected to each of them; the
    applications added since are created, connected as a new data set's are.
    """
    if not session.scalar(select(func.count(Structure.id))):
        return False
    changed = False
    if not session.scalar(select(func.count()).select_from(Raccordement)):
        structures = session.scalars(select(Structure.id)).all()
        for client_id in session.scalars(select(Application.client_id)).all():
            for structure_id in structures:
                session.add(Raccordement(structure_id=structure_id, client_id=client_id))
        changed = True
    names = set(session.scalars(select(Application.nom)).all())
    structures = session.scalars(select(Structure.id)).all()
    for spec in APPLICATIONS:
        if spec.name in names:
            continue
        app = _application(session, spec)
        for structure_id in structures if spec.connected else ():
            session.add(Raccordement(structure_id=structure_id, client_id=app.client_id))
        changed = True
    return changed


def describe(store: Store, token_url: str, api_url: str) -> dict[str, Any]:
    """The data set as ``chorusflow sandbox dataset --json`` prints it."""
    with store.session() as session:
        structures = session.scalars(select(Structure).order_by(Structure.id)).all()
        services = session.scalars(select(Service).order_by(Service.id)).all()
        users = session.scalars(select(Utilisateur).order_by(Utilisateur.id)).all()
        by_structure: dict[int, list[Utilisateur]] = {}
        for user in users:
            by_structure.setdefault(user.structure_id, []).append(user)
        sirets = {s.id: s.identifiant for s in structures}

        def people(structure: Structure) -> dict[str, Any]:
            accounts = by_structure.get(structure.id, [])
            tech = next(u for u in accounts if u.technique)
            return {
                "technical_account": {
                    "login": tech.login,
                    "password": tech.password,
                    "password_expires": tech.expiration_mot_de_passe.date().isoformat(),
                },
                "users": [
                    {
                        "login": u.login,
                        "password": u.password,
                        "role": u.role,
                        "gestionnaire": u.gestionnaire,
                    }
                    for u in accounts
                    if not u.technique
                ],
            }

        buyers = [
            {
                "siret": s.identifiant,
                "id_structure": s.id,
                "designation": s.designation,
                "requires_service_code": s.service_obligatoire,
                "requires_engagement": s.engagement_obligatoire,
                "service_or_engagement": s.service_ou_engagement,
                "active": s.active,
                "services": [
                    {
                        "code": v.code,
                        "id_service": v.id,
                        "label": v.libelle,
                        "active": v.active,
                        "requires_engagement": v.engagement_obligatoire,
                    }
                    for v in services
                    if v.structure_id == s.id
                ],
                **people(s),
            }
            for s in structures
            if s.publique
        ]
        suppliers = [
            {
                "siret": s.identifiant,
                "id_structure": s.id,
                "designation": s.designation,
                **people(s),
            }
            for s in structures
            if not s.publique
        ]
        connected: dict[str, list[str]] = {}
        for link in session.scalars(select(Raccordement)).all():
            connected.setdefault(link.client_id, []).append(sirets[link.structure_id])
        applications = [
            {
                "client_id": a.client_id,
                "client_secret": a.client_secret,
                "name": a.nom,
                "apis": a.apis.split(),
                "connected_sirets": sorted(connected.get(a.client_id, [])),
            }
            for a in session.scalars(select(Application).order_by(Application.nom)).all()
        ]
        engagements = [
            {
                "number": e.numero,
                "buyer_siret": sirets[e.destinataire_id],
                "supplier_siret": sirets.get(e.fournisseur_id or 0),
                "service_code": e.code_service,
                "amount": str(e.montant_ttc),
            }
            for e in session.scalars(select(Engagement).order_by(Engagement.id)).all()
        ]
        invoices = [
            {
                "id": f.id,
                "number": f.numero,
                "supplier_siret": sirets[f.fournisseur_id],
                "buyer_siret": sirets[f.destinataire_id],
                "status": f.statut,
            }
            for f in session.scalars(
                select(Facture).where(Facture.numero.like("QUAL-%")).order_by(Facture.id)
            ).all()
        ]
    return {
        "token_url": token_url,
        "api_url": api_url,
        "applications": applications,
        "suppliers": suppliers,
        "buyers": buyers,
        "engagements": engagements,
        "invoices": invoices,
    }
