"""Typed methods made from the operation catalogue: one generic call, one line per operation.

An :class:`Endpoint` names an operation of :mod:`chorusflow.chorus.wire.operations` with its
request and answer models; reading it from a client gives a callable that takes the request
(a wire model, a dict, or keyword fields) and returns the typed answer. A
:class:`SearchEndpoint` adds ``pages()`` and ``all()``, which walk every page so that a search
never misses a result. The declared models are checked against the catalogue when the class
is built, so client and sandbox cannot disagree on a path or a model.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, overload

from chorusflow.chorus._paging import Paging, identity, page_info, paging_of
from chorusflow.chorus.exceptions import IncompleteSearchError, NoResultError
from chorusflow.chorus.wire.base import WireModel
from chorusflow.chorus.wire.operations import Operation, operation

if TYPE_CHECKING:
    from chorusflow.chorus.client import ChorusClient

Req = TypeVar("Req", bound=WireModel)
Resp = TypeVar("Resp", bound=WireModel)
Item = TypeVar("Item", bound=WireModel)

#: Results asked per page when walking a search.
DEFAULT_PAGE_SIZE = 100
#: Cap on a whole search (``nbResultatsMaximum``); reaching it is reported, not ignored.
DEFAULT_MAX_RESULTS = 10_000


def request_body(
    model: type[WireModel], body: WireModel | Mapping[str, Any] | None, fields: dict[str, Any]
) -> dict[str, Any]:
    """The JSON object to send, from a model, a mapping and/or keyword fields (validated)."""
    if isinstance(body, model) and not fields:
        return body.to_wire()
    if isinstance(body, WireModel):
        merged: dict[str, Any] = {**body.model_dump(exclude_none=True), **fields}
    else:
        merged = {**(body or {}), **fields}
    return model.model_validate(merged).to_wire()


class Endpoint(Generic[Req, Resp]):
    """One operation of the catalogue as a typed client method."""

    def __init__(self, operation_id: str, request: type[Req], response: type[Resp]) -> None:
        op = operation(operation_id)
        if op.request is not request or op.response is not response:
            raise TypeError(f"{operation_id}: the models differ from the operation catalogue")
        self.operation: Operation = op
        self.request = request
        self.response = response
        self.__doc__ = (
            f"``{op.method} {op.path}`` ({operation_id}): {request.__name__} → {response.__name__}."
        )

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, instance: ChorusClient, owner: type[Any]) -> Call[Req, Resp]: ...
    def __get__(self, instance: ChorusClient | None, owner: type[Any]) -> Self | Call[Req, Resp]:
        if instance is None:
            return self
        return Call(instance, self)


class Call(Generic[Req, Resp]):
    """An endpoint bound to a client."""

    def __init__(self, client: ChorusClient, endpoint: Endpoint[Req, Resp]) -> None:
        self.client = client
        self.endpoint = endpoint
        self.__doc__ = endpoint.__doc__

    def __call__(self, body: Req | Mapping[str, Any] | None = None, /, **fields: Any) -> Resp:
        """Call the operation; raises a typed error on any refusal (codeRetour ≠ 0 included)."""
        payload = request_body(self.endpoint.request, body, fields)
        return self.client.call(self.endpoint.operation, payload, self.endpoint.response)


class SearchEndpoint(Endpoint[Req, Resp], Generic[Req, Resp, Item]):
    """A paged search: one page by calling it, every result with ``all()``."""

    def __init__(
        self,
        operation_id: str,
        request: type[Req],
        response: type[Resp],
        item: type[Item],
    ) -> None:
        super().__init__(operation_id, request, response)
        paging = paging_of(operation_id, request, response)
        if paging is None:
            raise TypeError(f"{operation_id} has no pagination in its models")
        self.paging: Paging = paging
        self.item = item

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, instance: ChorusClient, owner: type[Any]) -> Search[Req, Resp, Item]: ...
    def __get__(
        self, instance: ChorusClient | None, owner: type[Any]
    ) -> Self | Search[Req, Resp, Item]:
        if instance is None:
            return self
        return Search(instance, self)


class Search(Call[Req, Resp], Generic[Req, Resp, Item]):
    """A search bound to a client."""

    def __init__(self, client: ChorusClient, endpoint: SearchEndpoint[Req, Resp, Item]) -> None:
        super().__init__(client, endpoint)
        self.search = endpoint

    def pages(
        self,
        body: Req | Mapping[str, Any] | None = None,
        /,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_results: int = DEFAULT_MAX_RESULTS,
        **fields: Any,
    ) -> Iterator[Resp]:
        """Each page's answer in turn, from page 1 to the last (none when nothing matched)."""
        endpoint = self.search
        paging = endpoint.paging
        payload = request_body(endpoint.request, body, fields)
        base = dict(payload.get(paging.request_field) or {})
        base["nbResultatsParPage"] = page_size
        if paging.has_maximum:
            base["nbResultatsMaximum"] = max_results
        if paging.has_sort:
            base.setdefault("triSens", "Ascendant")
            if paging.sort_column is not None:
                base.setdefault("triColonne", paging.sort_column)
        page = 1
        while True:
            payload[paging.request_field] = {**base, "pageResultatDemandee": page}
            try:
                answer = self.client.call(endpoint.operation, payload, endpoint.response)
            except NoResultError:
                return
            yield answer
            info = page_info(paging, answer)
            items = getattr(answer, paging.items_field, None) or []
            if info.pages is not None and page >= info.pages:
                return
            if info.pages is None and len(items) < page_size:
                return
            page += 1

    def all(
        self,
        body: Req | Mapping[str, Any] | None = None,
        /,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_results: int = DEFAULT_MAX_RESULTS,
        **fields: Any,
    ) -> Iterator[Item]:
        """Every result of the search, each once, or IncompleteSearchError at the end.

        Pages are walked oldest first where the operation can sort, results already seen are
        skipped, and if the count seen falls short of the total announced (results moved
        between pages while walking) the walk starts once more; a search that reaches
        ``max_results`` is reported rather than silently cut.
        """
        paging = self.search.paging
        seen: set[object] = set()
        total: int | None = None
        for _ in range(2):
            for answer in self.pages(body, page_size=page_size, max_results=max_results, **fields):
                info = page_info(paging, answer)
                if info.total is not None:
                    total = info.total
                for item in getattr(answer, paging.items_field, None) or []:
                    key = identity(item)
                    if key in seen:
                        continue
                    seen.add(key)
                    yield item
            if total is None or len(seen) >= total:
                break
        operation_id = self.endpoint.operation.operation_id
        if total is not None and paging.has_maximum and total >= max_results:
            raise IncompleteSearchError(
                f"{operation_id} matched {total} results, the most one search returns "
                f"(max_results={max_results}).",
                "Narrow the search (e.g. a period of deposit dates) and search each part.",
            )
        if total is not None and len(seen) < total:
            raise IncompleteSearchError(
                f"{operation_id} announced {total} results but only {len(seen)} could be read.",
                "Search again; if it persists, narrow the criteria so that fewer results move.",
            )
