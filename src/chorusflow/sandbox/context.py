"""What an operation handler works with: the sandbox's state, and helpers every one needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chorusflow.chorus.wire.base import ParametresRetour, WireModel
from chorusflow.sandbox.auth import Authority, Caller
from chorusflow.sandbox.settings import SandboxSettings
from chorusflow.sandbox.store import Store

T = TypeVar("T")
try:
    PARIS: dt.tzinfo = ZoneInfo("Europe/Paris")
except ZoneInfoNotFoundError:  # a machine without the time zone database
    PARIS = dt.timezone(dt.timedelta(hours=1), "CET")

#: Results per page when a search does not say (API.md §2.4).
DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 10_000


@dataclass(slots=True)
class Sandbox:
    """One running sandbox: its database, settings and authority."""

    store: Store
    settings: SandboxSettings
    authority: Authority


Handler = Callable[[Sandbox, Caller, Any], WireModel]
HANDLERS: dict[str, Handler] = {}


def handles(operation_id: str) -> Callable[[Handler], Handler]:
    """Register the function that implements ``operation_id``."""

    def register(function: Handler) -> Handler:
        HANDLERS[operation_id] = function
        return function

    return register


def paris(value: dt.datetime | None) -> dt.datetime | None:
    """A stored UTC time as Chorus Pro writes it: Paris time with its offset."""
    return None if value is None else value.astimezone(PARIS)


class Pagination(Protocol):
    """What every pagination input has (its name differs per operation, API.md §2.4)."""

    @property
    def pageResultatDemandee(self) -> int | None: ...  # noqa: N802 - the wire name

    @property
    def nbResultatsParPage(self) -> int | None: ...  # noqa: N802


def page_of(items: Sequence[T], pagination: Pagination | None) -> tuple[list[T], ParametresRetour]:
    """:func:`paginate` with the page asked by a pagination input (or the first page)."""
    if pagination is None:
        return paginate(items, None, None)
    return paginate(items, pagination.pageResultatDemandee, pagination.nbResultatsParPage)


def paginate(
    items: Sequence[T],
    page: int | None,
    per_page: int | None,
    maximum: int | None = None,
) -> tuple[list[T], ParametresRetour]:
    """One page of ``items`` and its ``parametresRetour`` (1-based pages)."""
    if maximum is not None and maximum > 0:
        items = items[:maximum]
    size = min(max(per_page or DEFAULT_PER_PAGE, 1), MAX_PER_PAGE)
    current = max(page or 1, 1)
    total = len(items)
    pages = (total + size - 1) // size
    chunk = list(items[(current - 1) * size : current * size])
    return chunk, ParametresRetour(
        pageCourante=current, pages=pages, nbResultatsParPage=size, total=total
    )
