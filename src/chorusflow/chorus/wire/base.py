"""What every Chorus Pro message shares: the envelope, amounts, dates and pagination.

The platform is looser than its swaggers (API.md §2): dates come in three formats, amounts
are JSON numbers that must not lose their decimals, any field may be null, and answers carry
fields no swagger lists. The types here accept all of that so that one model reads what the
real platform sends, and write what it expects.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer


class WireModel(BaseModel):
    """Base of every wire model: French field names as they are on the wire.

    Unknown fields are ignored (the platform adds fields over time and accepts fields it no
    longer reads), and every field may be absent or null.
    """

    model_config = ConfigDict(extra="ignore", populate_by_name=True, use_enum_values=False)

    #: Fields the swagger marks as required in this answer (kept, as null, when unset).
    swagger_required: ClassVar[tuple[str, ...]] = ()

    def to_wire(self) -> dict[str, Any]:
        """The JSON object to send: unset fields left out, swagger-required ones kept."""
        data = self.model_dump(mode="json", exclude_none=True)
        for name in self.swagger_required:
            data.setdefault(name, None)
        return data


def _number(value: Decimal) -> int | float:
    """A JSON number: integral amounts as integers, others as the nearest float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


#: A decimal amount or quantity (decimal(19,6) in the API annex), written as a JSON number.
Nombre = Annotated[Decimal, PlainSerializer(_number, return_type=int | float, when_used="always")]

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_MINUTES = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$")


def parse_horodatage(value: Any) -> Any:
    """Read a date as the platform writes it: ``2016-03-18``, ``2016-05-24 15:02``,
    ``2018-02-16T15:10:25.536+01:00``, or milliseconds since the epoch."""
    if isinstance(value, dt.date | dt.datetime) or value is None:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC)
    if isinstance(value, str):
        text = value.strip()
        if _DATE_ONLY.match(text):
            return dt.date.fromisoformat(text)
        if _DATE_MINUTES.match(text):
            return dt.datetime.fromisoformat(text.replace(" ", "T"))
        try:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"'{value}' is not a date (expected YYYY-MM-DD or ISO 8601 date-time)"
            ) from None
    raise ValueError(f"{value!r} is not a date")


def format_horodatage(value: dt.date | dt.datetime) -> str:
    """A date as ``YYYY-MM-DD``, a date-time as ISO 8601 with milliseconds and offset."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="milliseconds")
    return value.isoformat()


#: A date or date-time in any of the platform's formats (API.md §2.5).
Horodatage = Annotated[
    dt.datetime | dt.date,
    BeforeValidator(parse_horodatage),
    PlainSerializer(format_horodatage, return_type=str, when_used="always"),
]


def lenient(**kwargs: Any) -> Any:
    """A field whose enum is tried first and any other string kept as it is.

    Used for values in answers: the platform has more statuses than its 2020 swagger, and a
    client must not fail on a status it does not know yet.
    """
    return Field(default=None, union_mode="left_to_right", **kwargs)


class WsRetour(WireModel):
    """The envelope of every answer: ``codeRetour`` 0 is success, ``libelle`` its message key."""

    codeRetour: int = Field(description="Le code retour de la réponse associé au libellé")
    libelle: str | None = Field(
        default=None,
        description="Le libellé lié au codeRetour (si une erreur est retournée alors son "
        "libellé sera retourné)",
    )

    @property
    def ok(self) -> bool:
        return self.codeRetour == 0


class ParametresRetour(WireModel):
    """Pagination of a search answer (``parametresRetour``, API.md §2.4)."""

    pageCourante: int | None = None
    pages: int | None = None
    nbResultatsParPage: int | None = None
    total: int | None = None


class TriColonne(WireModel):
    """Generic sort column object (``champsDeTri``); the swagger gives it no fields."""


class ParametresRecherche(WireModel):
    """Pagination of a search request for operations outside the swaggers (§2.4)."""

    pageResultatDemandee: int | None = None
    nbResultatsParPage: int | None = None
    triSens: str | None = None
    triColonne: str | None = None


def one_or_many(value: Any) -> Any:
    """Accept one object where the platform's clients send a list of them."""
    if isinstance(value, dict | BaseModel):
        return [value]
    return value
