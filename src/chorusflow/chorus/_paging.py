"""Where each search keeps its pages: read from the wire models, not written by hand.

Every paged operation has a request object holding ``pageResultatDemandee`` and
``nbResultatsParPage`` under an operation-specific name (``rechercheFactureParFournisseur``,
``paramRecherche``, ``parametres``, ``parametresRecherche`` ...), one ``liste…`` of results in
its answer, and its page count either in ``parametresRetour`` or flat at the top of the
answer (API.md §2.4). :func:`paging_of` finds the three in the models of the catalogue, so a
new search in the catalogue pages correctly without a line here.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from pydantic import BaseModel

from chorusflow.chorus.wire.base import ParametresRetour, WireModel

#: Sort that keeps pages stable while new invoices arrive: oldest deposit first, so that an
#: invoice deposited during the walk lands on a later page instead of shifting earlier ones.
STABLE_SORT: Final[dict[str, str]] = {
    "rechercherFactureParFournisseur": "DateDepot",
    "rechercherFactureRecipiendaire": "DateDepot",
}

#: Fields that identify one result, tried in order, to drop the duplicates a shifting page
#: would bring twice.
IDENTITY_FIELDS: Final = (
    "identifiantFactureCPP",
    "idFacture",
    "idStructureCPP",
    "idService",
    "idEngagementJuridique",
    "pieceJointeId",
    "idRattachementStructure",
    "idRattachement",
    "idEspaceFo",
)


@dataclass(frozen=True, slots=True)
class Paging:
    """Where one operation's pagination lives."""

    request_field: str
    """The request's pagination object (e.g. ``rechercheFactureParFournisseur``)."""
    request_model: type[WireModel]
    items_field: str
    """The answer's list of results (e.g. ``listeFactures``)."""
    flat: bool
    """True when the answer carries ``pages``/``total`` at its top level."""
    has_maximum: bool
    """True when the request takes ``nbResultatsMaximum`` (a cap on the whole search)."""
    has_sort: bool
    sort_column: str | None


def _models(annotation: Any) -> list[type[BaseModel]]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _models(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _is_list(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_list(arg) for arg in typing.get_args(annotation))
    return origin is list


@cache
def paging_of(
    operation_id: str, request: type[WireModel], response: type[WireModel]
) -> Paging | None:
    """The pagination of an operation, or None when it returns everything at once."""
    found: tuple[str, type[WireModel]] | None = None
    for name, info in request.model_fields.items():
        for model in _models(info.annotation):
            if "pageResultatDemandee" in model.model_fields and issubclass(model, WireModel):
                found = (name, model)
    if found is None:
        return None
    lists = [
        name
        for name, info in response.model_fields.items()
        if name.startswith("liste") and _is_list(info.annotation)
    ]
    if len(lists) != 1:
        return None
    fields = response.model_fields
    flat = "parametresRetour" not in fields and "pages" in fields
    page_model = found[1]
    sort = STABLE_SORT.get(operation_id)
    return Paging(
        request_field=found[0],
        request_model=page_model,
        items_field=lists[0],
        flat=flat,
        has_maximum="nbResultatsMaximum" in page_model.model_fields,
        has_sort="triSens" in page_model.model_fields,
        sort_column=sort if sort and "triColonne" in page_model.model_fields else None,
    )


def page_info(paging: Paging, answer: WireModel) -> ParametresRetour:
    """The answer's page count and total, wherever the operation puts them."""
    if paging.flat:
        return ParametresRetour(
            pageCourante=getattr(answer, "pageCourante", None),
            pages=getattr(answer, "pages", None),
            nbResultatsParPage=getattr(answer, "nbResultatsParPage", None),
            total=getattr(answer, "total", None),
        )
    info = getattr(answer, "parametresRetour", None)
    return info if isinstance(info, ParametresRetour) else ParametresRetour()


def identity(item: WireModel) -> object:
    """What tells one result from another (an id when the result has one)."""
    for name in IDENTITY_FIELDS:
        value = getattr(item, name, None)
        if value is not None:
            return (name, value)
    return item.model_dump_json()
