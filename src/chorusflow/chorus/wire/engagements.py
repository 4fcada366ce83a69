"""Wire models of ``rechercherEngagementJuridique`` (API.md §6; body from the official page)."""

from __future__ import annotations

from pydantic import Field

from chorusflow.chorus.wire.base import (
    Horodatage,
    Nombre,
    ParametresRecherche,
    ParametresRetour,
    WireModel,
    WsRetour,
)


class RechercherEngagementJuridiqueParam(WireModel):
    """Request: engagements juridiques (purchase orders) matching the criteria."""

    codeEngagementJuridique: str | None = None
    numeroEngagementJuridique: str | None = None
    numeroMarcheEngagementJuridique: str | None = None
    structureReceptriceEngagementJuridique: str | None = Field(
        default=None, description="idStructureCPP du fournisseur, en chaîne."
    )
    etatCourantEngagementJuridique: str | None = Field(default=None, description="Ex. COMMANDE.")
    periodeDateNotificationEJDu: Horodatage | None = None
    periodeDateNotificationEJAu: Horodatage | None = None
    montantTTCMin: Nombre | None = None
    montantTTCMax: Nombre | None = None
    parametresRecherche: ParametresRecherche | None = None


class EngagementJuridique(WireModel):
    """A legal commitment of a public buyer towards a supplier."""

    idEngagementJuridique: int | None = None
    libelleTypeEngagementJuridique: str | None = Field(default=None, description="BON_DE_COMMANDE")
    numeroEngagementJuridique: str | None = None
    structureReceptrice: str | None = None
    identifiantStructureReceptrice: str | None = None
    libelleStructureReceptrice: str | None = None
    codeServiceExecutant: str | None = None
    libelleServiceExecutant: str | None = None
    dateNotificationEJ: Horodatage | None = None
    libelleEtatCourantEJ: str | None = None
    montantTotalTtc: Nombre | None = None
    deviseEngagement: str | None = None
    taillePJ: int | None = None


class WsRetourRechercherEngagementJuridique(WsRetour):
    """Answer: the engagements found and the pagination."""

    listeEngagementJuridique: list[EngagementJuridique] | None = None
    parametresRetour: ParametresRetour | None = None
