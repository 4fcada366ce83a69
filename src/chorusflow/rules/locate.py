"""Where a finding about the model sits in the XML file the invoice was read from.

Native findings point into the model with a JSON pointer (``/lines/2/net_amount``); a user
with a CII file wants the element too. The CII reader and writer walk one declaration of the
mapping (:data:`chorusflow.formats.cii.mapping.BINDING`); this module walks the same
declaration along the pointer, in the document itself, so the XPath names the very element
(``.../ram:IncludedSupplyChainTradeLineItem[3]/...``) or, for a term the file lacks, the place
it belongs.

The three places where CII shapes data differently from the model (payment means per
account, the two VAT totals, the tax point date) are not restated here: the pointer's value is
marked in the model's data, :func:`chorusflow.formats.cii.shape.for_xml` moves it as the
writer would, and the mark is looked for where it landed.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Any

from lxml import etree

from chorusflow.formats.cii import shape as cii_shape
from chorusflow.formats.cii import xpath_of
from chorusflow.formats.cii.binding import _Node, _selects
from chorusflow.formats.cii.mapping import BINDING, NSMAP
from chorusflow.formats.profiles import Profile
from chorusflow.model import Invoice

Key = str | int
_PREFIXES = {uri: prefix for prefix, uri in NSMAP.items() if prefix}


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


def _step(tag: str) -> str:
    name = etree.QName(tag)
    prefix = _PREFIXES.get(name.namespace or "")
    return f"{prefix}:{name.localname}" if prefix else name.localname


def _children(node: _Node, element: etree._Element | None) -> list[etree._Element]:
    if element is None:
        return []
    return [
        child
        for child in element
        if child.tag == node.tag and (not node.discriminators or _selects(node, child))
    ]


def _at(element: etree._Element | None, where: str) -> str:
    """The XPath of ``element``, or ``where`` (its place) when the file lacks it."""
    return xpath_of(element) if element is not None else where


def _descend(
    node: _Node, keys: tuple[Key, ...], element: etree._Element | None, where: str
) -> str | None:
    if not keys:
        return _at(element, where)
    if node.text_field is not None and node.text_field.keys == keys:
        return _at(element, where)
    for attribute, field in node.attr_fields:
        if field.keys == keys:
            return f"{_at(element, where)}/@{attribute}"
    return _walk(node, keys, element, _at(element, where))


def _walk(
    node: _Node, keys: tuple[Key, ...], element: etree._Element | None, where: str
) -> str | None:
    skipped: dict[tuple[str, ...], int] = {}  # list items held by earlier same-scope elements
    absent: str | None = None  # where the term would go, if no element of the file holds it
    for child in node.children:
        if child.el.fallback:
            continue
        scope = child.scope or ()
        if keys[: len(scope)] != scope:
            continue
        rest = keys[len(scope) :]
        found = _children(child, element)
        place = f"{where}/{_step(child.tag)}"
        located: str | None
        if child.el.many and not rest:  # the list itself: its first element, or its place
            located = xpath_of(found[0]) if found else place
        elif child.el.many:
            if not isinstance(rest[0], int):
                continue
            index = rest[0] - skipped.get(scope, 0)
            if index >= len(found):
                skipped[scope] = skipped.get(scope, 0) + len(found)
                continue
            located = _descend(child, rest[1:], found[index], f"{place}[{index + 1}]")
        else:
            located = _descend(child, rest, found[0] if found else None, place)
        if located is None:
            continue
        if found:
            return located
        absent = absent or located
    return absent


def cii_xpath(
    pointer: str, invoice: Invoice, root: etree._Element, profile: Profile | None = None
) -> str | None:
    """The XPath in the CII document ``root`` of what ``pointer`` names in ``invoice`` (read
    from it), or None when the declaration has no place for it."""
    keys = pointer_keys(pointer)
    if not keys:
        return None
    data = _plain(invoice.model_dump())
    mark = _mark(data, keys)
    candidates: list[tuple[Key, ...]]
    if mark is None:
        candidates = [keys]  # a group or a list: its place is the same in both shapes
    else:
        cii_shape.for_xml(data, profile or Profile.EN16931)
        candidates = list(_paths_of(mark, data))
    top = f"/{_step(BINDING.tag)}"
    for path in candidates:
        located = _walk(BINDING, path, root, top)
        if located is not None:
            return located
    return None
