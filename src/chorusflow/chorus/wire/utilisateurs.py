"""Wire models of ``recupererRattachementsMonCompteUtilisateur`` (API.md §7).

It is how a technical account learns its own ``idStructure``, the ``idFournisseur`` of
soumettreFacture and the structure of every supplier-side search.
"""

from __future__ import annotations

from chorusflow.chorus.wire.base import (
    ParametresRecherche,
    ParametresRetour,
    WireModel,
    WsRetour,
    lenient,
)
from chorusflow.chorus.wire.enums import RoleUtilisateur, StatutRattachement, TypeIdentifiant


class RecupererRattachementsMonCompteParam(WireModel):
    """Request: the structures the current user is attached to."""

    parametresRecherche: ParametresRecherche | None = None


class ServiceRattache(WireModel):
    """A service of the structure the user is attached to."""

    idService: int | None = None
    codeService: str | None = None
    nomService: str | None = None


class StructureRattachement(WireModel):
    """One attachment of the user to a structure."""

    designationStructure: str | None = None
    idRattachementStructure: int | None = None
    idStructure: int | None = None
    identifiantStructure: str | None = None
    typeIdentifiantStructure: TypeIdentifiant | str | None = lenient()
    roleUtilisateur: RoleUtilisateur | str | None = lenient()
    statutRattachementStructure: StatutRattachement | str | None = lenient()
    statutUtilisateur: str | None = None
    listeServicesRattache: list[ServiceRattache] | None = None


class WsRetourRecupererRattachementsMonCompte(WsRetour):
    """Answer: the user's attachments and the pagination."""

    listeStructureRattachement: list[StructureRattachement] | None = None
    parametresRetour: ParametresRetour | None = None
