"""Wire models of the Chorus Pro API: requests and answers with the API's French field names.

``factures`` and ``structures`` are generated from the official swaggers (tools/gen_wire.py);
``transverses``, ``engagements``, ``utilisateurs`` and ``piste`` (the OAuth2 token) follow
API.md. ``operations`` is the catalogue (path, method, models) that both the client and the
sandbox read.
"""

from chorusflow.chorus.wire import (
    engagements,
    enums,
    factures,
    operations,
    piste,
    structures,
    transverses,
    utilisateurs,
)
from chorusflow.chorus.wire.base import (
    Horodatage,
    Nombre,
    ParametresRecherche,
    ParametresRetour,
    WireModel,
    WsRetour,
    format_horodatage,
    parse_horodatage,
)
from chorusflow.chorus.wire.operations import OPERATIONS, Api, Operation, operation

__all__ = [
    "OPERATIONS",
    "Api",
    "Horodatage",
    "Nombre",
    "Operation",
    "ParametresRecherche",
    "ParametresRetour",
    "WireModel",
    "WsRetour",
    "engagements",
    "enums",
    "factures",
    "format_horodatage",
    "operation",
    "operations",
    "parse_horodatage",
    "piste",
    "structures",
    "transverses",
    "utilisateurs",
]
