"""Where a finding about the model sits in the XML file the invoice was read from.

Native findings point into the model with a JSON pointer (``/lines/2/net_amount``); a user
with a CII or UBL file wants the element too. Each syntax's reader and writer walk one
declaration of the mapping (:data:`chorusflow.formats.cii.mapping.BINDING`,
:mod:`chorusflow.formats.ubl.binding`); this module walks the same declaration along the
pointer, in the document itself, so the XPath names the very element
(``.../ram:IncludedSupplyChainTradeLineItem[3]/...``) or, for a term the file lacks, the place
it belongs.

Where a syntax shapes data differently from the model (payment means per account, the VAT
totals, the tax point date, the note subject), nothing is restated here: the pointer's value
is marked in the invoice, the syntax's own shaping (:func:`chorusflow.formats.cii.shape.for_xml`,
:func:`chorusflow.formats.ubl.shape.ubl_view`) moves it as the writer would, and the mark is
looked for where it landed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise
from types import SimpleNamespace
from typing import Any, Final, Generic, TypeVar

from lxml import etree
from pydantic import BaseModel

from chorusflow.formats import xmlbind
from chorusflow.formats.cii import shape as cii_shape
from chorusflow.formats.cii.binding import _Node, _selects
from chorusflow.formats.cii.mapping import BINDING, NSMAP
from chorusflow.formats.profiles import NS_CAC, NS_CBC, Profile
from chorusflow.formats.ubl.binding import CREDIT_NOTE, INVOICE
from chorusflow.formats.ubl.shape import ubl_view
from chorusflow.model import Invoice

Key = str | int
N = TypeVar("N")
UBL_BINDINGS = {INVOICE.tag: INVOICE, CREDIT_NOTE.tag: CREDIT_NOTE}


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


@dataclass(frozen=True)  # no slots: a slotted generic dataclass breaks Generic's super()
class _Declaration(Generic[N]):
    """How to walk one syntax's declaration: the little each binding spells its own way."""

    children: Callable[[N], Iterable[N]]
    """The child element declarations a walk may follow (alternative spellings left out)."""
    scope: Callable[[N], tuple[str, ...]]
    """The data keys a child element moves to (empty: same object)."""
    many: Callable[[N], bool]
    tag: Callable[[N], str]
    holds: Callable[[N, etree._Element], bool]
    """Whether an element of the file is one the declaration reads (keys, predicates)."""
    leaf: Callable[[N, tuple[Key, ...]], str | None]
    """``""`` when ``keys`` is the element's text, ``"@name"`` an attribute's, else None."""
    prefixes: Mapping[str, str]


def _step(tag: str, prefixes: Mapping[str, str]) -> str:
    name = etree.QName(tag)
    prefix = prefixes.get(name.namespace or "")
    return f"{prefix}:{name.localname}" if prefix else name.localname


def _xpath(element: etree._Element, prefixes: Mapping[str, str]) -> str:
    """``element``'s path from the root, with the usual prefixes and an index when needed."""
    steps: list[str] = []
    node: etree._Element | None = element
    while node is not None:
        parent = node.getparent()
        step = _step(node.tag, prefixes)
        if parent is not None:
            same = [sibling for sibling in parent if sibling.tag == node.tag]
            if len(same) > 1:
                step += f"[{same.index(node) + 1}]"
        steps.append(step)
        node = parent
    return "/" + "/".join(reversed(steps))


def _descend(
    syntax: _Declaration[N],
    node: N,
    keys: tuple[Key, ...],
    element: etree._Element | None,
    where: str,
) -> str | None:
    here = _xpath(element, syntax.prefixes) if element is not None else where
    if not keys:
        return here
    leaf = syntax.leaf(node, keys)
    if leaf is not None:
        return f"{here}/{leaf}" if leaf else here
    return _walk(syntax, node, keys, element, here)


def _walk(
    syntax: _Declaration[N],
    node: N,
    keys: tuple[Key, ...],
    element: etree._Element | None,
    where: str,
) -> str | None:
    """The XPath of ``keys`` below ``node`` (``element`` in the file, at ``where``)."""
    skipped: dict[tuple[str, ...], int] = {}  # list items held by earlier same-scope elements
    absent: str | None = None  # where the term would go, if no element of the file holds it
    for child in syntax.children(node):
        scope = syntax.scope(child)
        if keys[: len(scope)] != scope:
            continue
        rest = keys[len(scope) :]
        found = [e for e in element if syntax.holds(child, e)] if element is not None else []
        place = f"{where}/{_step(syntax.tag(child), syntax.prefixes)}"
        located: str | None
        if syntax.many(child) and not rest:  # the list itself: its first element, or its place
            located = _xpath(found[0], syntax.prefixes) if found else place
        elif syntax.many(child):
            if not isinstance(rest[0], int):
                continue
            index = rest[0] - skipped.get(scope, 0)
            if index >= len(found):
                skipped[scope] = skipped.get(scope, 0) + len(found)
                if not found:  # no such element at all: where the first would go
                    absent = absent or _descend(syntax, child, rest[1:], None, place)
                continue
            located = _descend(syntax, child, rest[1:], found[index], f"{place}[{index + 1}]")
        else:
            located = _descend(syntax, child, rest, found[0] if found else None, place)
        if located is None:
            continue
        if found:
            return located
        absent = absent or located
    return absent


def _cii_leaf(node: _Node, keys: tuple[Key, ...]) -> str | None:
    if node.text_field is not None and node.text_field.keys == keys:
        return ""
    return next((f"@{name}" for name, field in node.attr_fields if field.keys == keys), None)


_CII: Final = _Declaration[_Node](
    children=lambda node: [child for child in node.children if not child.el.fallback],
    scope=lambda node: node.scope or (),
    many=lambda node: node.el.many,
    tag=lambda node: node.tag,
    holds=lambda node, e: e.tag == node.tag and (not node.discriminators or _selects(node, e)),
    leaf=_cii_leaf,
    prefixes={uri: prefix for prefix, uri in NSMAP.items() if prefix},
)


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
    top = f"/{_step(BINDING.tag, _CII.prefixes)}"
    for path in candidates:
        located = _walk(_CII, BINDING, path, root, top)
        if located is not None:
            return located
    return None


# --- UBL ------------------------------------------------------------------------------------


def _marked_model(value: Any, keys: tuple[Key, ...]) -> tuple[Any, _Mark] | None:
    """``value`` (a model object) with a mark at ``keys``; None when a step is absent."""
    key, rest = keys[0], keys[1:]
    if isinstance(value, tuple):
        if not isinstance(key, int) or key >= len(value):
            return None
        inner = _marked_model(value[key], rest) if rest else None
        if inner is None:
            return None
        return (*value[:key], inner[0], *value[key + 1 :]), inner[1]
    if (
        not isinstance(value, BaseModel)
        or not isinstance(key, str)
        or key not in type(value).model_fields
    ):
        return None
    current = getattr(value, key)
    if rest:
        inner = _marked_model(current, rest)
        if inner is None:
            return None
        return value.model_copy(update={key: inner[0]}), inner[1]
    if isinstance(current, BaseModel | tuple):
        return None  # a group: not marked
    mark = _Mark("" if current is None else str(current))
    return value.model_copy(update={key: mark}), mark


def _attribute_paths(
    mark: _Mark, value: Any, trail: tuple[Key, ...] = (), seen: frozenset[int] = frozenset()
) -> Iterator[tuple[Key, ...]]:
    """Where ``mark`` sits in the view the UBL writer reads (namespaces, models, tuples)."""
    if value is mark:
        yield trail
        return
    if id(value) in seen:
        return
    if isinstance(value, SimpleNamespace):
        items: Iterable[tuple[Key, Any]] = vars(value).items()
    elif isinstance(value, BaseModel):
        items = ((name, getattr(value, name)) for name in type(value).model_fields)
    elif isinstance(value, tuple | list):
        items = enumerate(value)
    else:
        return
    inside = seen | {id(value)}
    for key, item in items:
        yield from _attribute_paths(mark, item, (*trail, key), inside)


def _ubl_scope(node: xmlbind.El) -> tuple[str, ...]:
    field = node.field
    return field.parts if field is not None and not field.from_root else ()


def _ubl_leaf(node: xmlbind.El, keys: tuple[Key, ...]) -> str | None:
    if node.value is not None and node.value.field.parts == keys:
        return ""
    return next(
        (
            f"@{attribute.name}"
            for attribute in node.attrs
            if attribute.field.parts == keys and not attribute.field.from_root
        ),
        None,
    )


_UBL: Final = _Declaration[xmlbind.El](
    children=lambda node: [
        child for child in node.parts if isinstance(child, xmlbind.El) and not child.read_only
    ],
    scope=_ubl_scope,
    many=lambda node: node.many,
    tag=lambda node: node.tag,
    holds=lambda node, e: e.tag == node.tag and (node.when is None or node.when(e)),
    leaf=_ubl_leaf,
    prefixes={NS_CAC: "cac", NS_CBC: "cbc"},
)


def ubl_xpath(pointer: str, invoice: Invoice, root: etree._Element) -> str | None:
    """The XPath in the UBL document ``root`` of what ``pointer`` names in ``invoice`` (read
    from it), or None when the declaration has no place for it."""
    keys = pointer_keys(pointer)
    binding = UBL_BINDINGS.get(root.tag) if isinstance(root.tag, str) else None
    if not keys or binding is None:
        return None
    top = f"/{_step(root.tag, _UBL.prefixes)}"
    marked = _marked_model(invoice, keys)
    if marked is None:
        return _walk(_UBL, binding, keys, root, top)  # a group or a list
    try:
        view = ubl_view(marked[0])
    except (TypeError, ValueError, ArithmeticError):  # the mark met arithmetic: no place
        return None
    for path in _attribute_paths(marked[1], view):
        located = _walk(_UBL, binding, path, root, top)
        if located is not None:
            return located
    return None
