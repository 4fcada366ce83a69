"""Where a finding about the model sits in the XML file the invoice was read from.

Native findings point into the model with a JSON pointer (``/lines/2/net_amount``); a user
with a CII or UBL file wants the element too. Each syntax's reader and writer walk one
declaration of the mapping (:data:`chorusflow.formats.cii.mapping.INVOICE`,
:mod:`chorusflow.formats.ubl.binding`); this module walks the same declaration along the
pointer, in the document itself, so the XPath names the very element
(``.../ram:IncludedSupplyChainTradeLineItem[3]/...``) or, for a term the file lacks, the place
it belongs.

Where a syntax shapes data differently from the model (payment means per account, the VAT
totals, the tax point date, the note subject), nothing is restated here: the pointer's value
is marked in the dumped invoice, the syntax's own shaping (``shape.for_xml`` of
:mod:`~chorusflow.formats.cii` and :mod:`~chorusflow.formats.ubl`) moves it as the writer
would, and the mark is looked for where it landed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from itertools import pairwise
from typing import Any

from lxml import etree

from chorusflow.formats.cii import shape as cii_shape
from chorusflow.formats.cii.mapping import CII, INVOICE
from chorusflow.formats.profiles import Profile
from chorusflow.formats.ubl import BINDINGS
from chorusflow.formats.ubl import shape as ubl_shape
from chorusflow.formats.ubl.binding import UBL
from chorusflow.formats.xml import step_name, xpath_of
from chorusflow.formats.xmlbind import Data, El
from chorusflow.model import Invoice

Key = str | int


class _Mark(str):
    """The pointer's value, recognisable by identity after the data is reshaped."""

    __slots__ = ()


def pointer_keys(pointer: str) -> tuple[Key, ...]:
    """``/lines/2/net_amount`` → ``("lines", 2, "net_amount")`` (RFC 6901 escapes undone)."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    return tuple(int(p) if p.isdigit() else p for p in parts if p != "")


def _plain(value: Any) -> Any:
    """The model's dump with lists for tuples, so a mark can be put anywhere in it."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _mark(data: dict[str, Any], keys: tuple[Key, ...]) -> _Mark | None:
    """Put a mark at ``keys`` in ``data`` (creating absent objects); None for a list or group."""
    target: Any = data
    for key, following in pairwise(keys):
        if isinstance(key, int):
            if not isinstance(target, list) or key >= len(target):
                return None
            target = target[key]
            continue
        if not isinstance(target, dict):
            return None
        if target.get(key) is None:
            target[key] = [] if isinstance(following, int) else {}
        target = target[key]
    last = keys[-1]
    if not isinstance(target, dict) or isinstance(last, int):
        return None
    current = target.get(last)
    if isinstance(current, dict | list):
        return None
    mark = _Mark("" if current is None else str(current))
    target[last] = mark
    return mark


def _paths_of(mark: _Mark, data: Any, trail: tuple[Key, ...] = ()) -> Iterator[tuple[Key, ...]]:
    if data is mark:
        yield trail
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _paths_of(mark, value, (*trail, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths_of(mark, value, (*trail, index))


def _walk(
    node: El,
    keys: tuple[Key, ...],
    element: etree._Element | None,
    where: str,
    prefixes: Mapping[str, str],
) -> str | None:
    """The XPath of ``keys`` at or below ``node``: ``element`` in the file, or (when the file
    has none) the place ``where`` it would be."""
    here = xpath_of(element, prefixes) if element is not None else where
    if not keys:
        return here
    place = node.place_of(keys)
    if place is not None:
        return f"{here}/{place}" if place else here
    skipped: dict[tuple[str, ...], int] = {}  # list items held by earlier same-scope elements
    absent: str | None = None  # where the term would go, if no element of the file holds it
    for child in node.written:
        scope = child.scope
        if keys[: len(scope)] != scope:
            continue
        rest = keys[len(scope) :]
        found = (
            [e for e in element if e.tag == child.tag and child.takes(e)]
            if element is not None
            else []
        )
        at = f"{here}/{step_name(child.tag, prefixes)}"
        located: str | None
        if child.many and not rest:  # the list itself: its first element, or its place
            located = xpath_of(found[0], prefixes) if found else at
        elif child.many:
            if not isinstance(rest[0], int):
                continue
            index = rest[0] - skipped.get(scope, 0)
            if index >= len(found):
                skipped[scope] = skipped.get(scope, 0) + len(found)
                if not found:  # no such element at all: where the first would go
                    absent = absent or _walk(child, rest[1:], None, at, prefixes)
                continue
            located = _walk(child, rest[1:], found[index], f"{at}[{index + 1}]", prefixes)
        else:
            located = _walk(child, rest, found[0] if found else None, at, prefixes)
        if located is None:
            continue
        if found:
            return located
        absent = absent or located
    return absent


def _locate(
    pointer: str,
    invoice: Invoice,
    root: etree._Element,
    binding: El,
    prefixes: Mapping[str, str],
    for_xml: Callable[[Data], object],
) -> str | None:
    """The XPath in ``root`` (declared by ``binding``) of what ``pointer`` names in
    ``invoice``, the data shaped by ``for_xml`` as the syntax's writer shapes it."""
    keys = pointer_keys(pointer)
    if not keys:
        return None
    data = _plain(invoice.model_dump())
    mark = _mark(data, keys)
    candidates: list[tuple[Key, ...]]
    if mark is None:
        candidates = [keys]  # a group or a list: its place is the same in both shapes
    else:
        for_xml(data)
        candidates = list(_paths_of(mark, data))
    for path in candidates:
        located = _walk(binding, path, root, "", prefixes)
        if located is not None:
            return located
    return None


def cii_xpath(
    pointer: str, invoice: Invoice, root: etree._Element, profile: Profile | None = None
) -> str | None:
    """The XPath in the CII document ``root`` of what ``pointer`` names in ``invoice`` (read
    from it), or None when the declaration has no place for it."""
    chosen = profile or Profile.EN16931
    return _locate(
        pointer, invoice, root, INVOICE, CII.prefixes, lambda d: cii_shape.for_xml(d, chosen)
    )


def ubl_xpath(pointer: str, invoice: Invoice, root: etree._Element) -> str | None:
    """The XPath in the UBL document ``root`` of what ``pointer`` names in ``invoice`` (read
    from it), or None when the declaration has no place for it."""
    binding = BINDINGS.get(root.tag) if isinstance(root.tag, str) else None
    if binding is None:
        return None
    credit_note = invoice.is_credit_note
    return _locate(
        pointer, invoice, root, binding, UBL.prefixes, lambda d: ubl_shape.for_xml(d, credit_note)
    )
