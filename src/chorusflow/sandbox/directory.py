"""The sandbox's structures as the Chorus Pro directory describes them to rules.chorus."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from chorusflow.rules.chorus import BuyerDirectoryEntry, ServiceEntry
from chorusflow.sandbox.store import Service, Structure


def buyer_entry(session: Session, siret: str | None) -> BuyerDirectoryEntry | None:
    """The directory entry of the public structure ``siret``, None when there is none."""
    if not siret:
        return None
    structure = session.scalar(
        select(Structure).where(Structure.identifiant == siret, Structure.publique.is_(True))
    )
    if structure is None:
        return None
    return entry_of(session, structure)


def entry_of(session: Session, structure: Structure) -> BuyerDirectoryEntry:
    services = session.scalars(select(Service).where(Service.structure_id == structure.id)).all()
    return BuyerDirectoryEntry(
        siret=structure.identifiant,
        active=structure.active,
        service_code_required=structure.service_obligatoire,
        engagement_required=structure.engagement_obligatoire,
        service_or_engagement=structure.service_ou_engagement,
        services=tuple(
            ServiceEntry(s.code, active=s.active, engagement_required=s.engagement_obligatoire)
            for s in services
        ),
    )
