"""XML elements declared once, read and written by the same declaration.

A syntax is described as a tree of :class:`El` declarations, in the element order its schema
requires. Each declaration says which element it is, which field of the data it carries (as
text or attributes), in which sub-object or list of sub-objects its children live, and from
which profile level on it is written. :func:`write` walks the tree over a plain ``dict`` (an
invoice dumped from the model) and builds the XML; :func:`read` walks the same tree over an XML
element and builds the same ``dict`` back. A mapping written once cannot drift between the
reader and the writer.

Constants are written with their group and, when declared as :class:`Key`, tell apart the
elements that share one tag (an allowance from a charge, a VAT number from a tax number).
Nothing here knows CII: the syntax lives in the declaration.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from lxml import etree

Data = dict[str, Any]
"""The data side of a binding: nested dicts, lists and values (Decimal, date, str, bytes)."""


class UnreadableValueError(Exception):
    """A value in the XML that cannot be read as what its element carries."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix


class UnwritableValueError(Exception):
    """A value in the data that the XML cannot carry (not finite, a control character ...)."""


# --- value kinds ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Kind:
    """How a value is spelled in XML text: ``parse`` reads it, ``format`` writes it.

    ``parse`` receives the element too, for kinds whose meaning depends on an attribute (a date
    and its format code). It returns None for an empty numeric or date element: no value.
    """

    name: str
    parse: Callable[[str | None, etree._Element], Any]
    format: Callable[[Any], str]


def _shown(text: str) -> str:
    """A value quoted in a message, cut short: the input may be huge."""
    return repr(text if len(text) <= 40 else f"{text[:37]}...")


def _text(raw: str | None, element: etree._Element) -> str:
    return raw if raw is not None else ""


def _token(raw: str | None, element: etree._Element) -> str:
    return raw.strip() if raw is not None else ""


def _decimal(raw: str | None, element: etree._Element) -> Decimal | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise UnreadableValueError(
            f"{_shown(text)} is not a number", "Write a decimal number such as 1234.50."
        )
    return value


def format_decimal(value: Decimal) -> str:
    """A decimal in plain notation: never an exponent, as xs:decimal requires."""
    if not isinstance(value, Decimal):
        value = Decimal(value)
    if not value.is_finite():
        raise UnwritableValueError(f"{value} is not a finite number")
    return format(value, "f")


DATE_FORMAT: Final = "102"
"""UNTDID 2379 code of the only date format EN 16931 uses: CCYYMMDD."""


def _date(raw: str | None, element: etree._Element) -> dt.date | None:
    text = (raw or "").strip()
    if not text:
        return None
    code = element.get("format")
    fix = 'Write the date as CCYYMMDD with format="102", e.g. 20260131.'
    if code is not None and code.strip() != DATE_FORMAT:
        raise UnreadableValueError(
            f"date format {_shown(code)} is not the format 102 EN 16931 requires", fix
        )
    try:
        if len(text) != 8 or not (text.isascii() and text.isdigit()):
            raise ValueError(text)
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise UnreadableValueError(
            f"{_shown(text)} is not a date in format 102 (CCYYMMDD)", fix
        ) from None


def _format_date(value: dt.date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _binary(raw: str | None, element: etree._Element) -> bytes:
    text = "".join((raw or "").split())
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise UnreadableValueError(
            "the embedded file is not valid base64",
            "Re-attach the file with a tool that encodes it in base64.",
        ) from None


def _format_binary(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


TEXT: Final = Kind("text", _text, str)
"""Free text, kept exactly as written (xs:string)."""
TOKEN: Final = Kind("token", _token, str)
"""Identifiers and codes: surrounding white space is not part of the value (xs:token)."""
DECIMAL: Final = Kind("decimal", _decimal, format_decimal)
"""Amounts, quantities, percentages: plain decimal notation."""
DATE: Final = Kind("date", _date, _format_date)
"""A calendar date as CCYYMMDD (format 102)."""
BINARY: Final = Kind("binary", _binary, _format_binary)
"""An embedded file, base64 in the XML and bytes in the data."""


def translated(name: str, written: Mapping[str, str]) -> Kind:
    """A code that the syntax spells from another code list: ``written`` maps data → XML.

    Codes outside the mapping pass through unchanged both ways, so a wrong code still loads
    and the checks can name it.
    """
    back = {xml: data for data, xml in written.items()}

    def parse(raw: str | None, element: etree._Element) -> str:
        code = _token(raw, element)
        return back.get(code, code)

    def format_code(value: Any) -> str:
        return written.get(str(value), str(value))

    return Kind(name, parse, format_code)


# --- what an element carries ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    """A value of the data, at a dotted path relative to the current object."""

    path: str
    kind: Kind = TOKEN
    keys: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", tuple(self.path.split(".")))


@dataclass(frozen=True, slots=True)
class Const:
    """A fixed value, written whenever its element is; reading ignores it."""

    value: str


def _same(expected: str) -> Callable[[str | None], bool]:
    return lambda found: found == expected


@dataclass(frozen=True, slots=True)
class Key(Const):
    """A fixed value that also tells elements apart on reading.

    ``accepts`` decides which found values (None when absent) select the element; by default
    only the written value does.
    """

    accepts: Callable[[str | None], bool] | None = None

    def matches(self, found: str | None) -> bool:
        test = self.accepts or _same(self.value)
        return test(found)


Value = Field | Const


@dataclass(frozen=True, slots=True)
class El:
    """One XML element: what it carries and where its children are.

    ``scope`` moves to a sub-object of the data (or, with ``many``, to a list of them: one
    element each). ``when`` writes only the objects it accepts (so two tags can share one
    list, e.g. identifiers with and without a scheme). ``needs`` drops, on reading, an object
    lacking a field the model requires. ``keyed`` reads only the elements whose :class:`Key`
    values below (not crossing a repeated child) match. ``fallback`` marks an alternative
    spelling: read only when the field is still unset, never written. ``since`` is the first
    profile level that carries the element. An element is written when it or a descendant
    carries a value, or always when ``required``.
    """

    tag: str
    children: tuple[El, ...] = ()
    text: Value | None = None
    attrs: tuple[tuple[str, Value], ...] = ()
    scope: str | None = None
    many: bool = False
    when: Callable[[Mapping[str, Any]], bool] | None = None
    needs: tuple[str, ...] = ()
    keyed: bool = False
    fallback: bool = False
    since: int = 0
    required: bool = False


# --- compiled form ----------------------------------------------------------------------------

Discriminator = tuple[tuple[str, ...], str | None, Key]
"""Where a :class:`Key` sits below an element: child tags, attribute (None: text), key."""

Probe = tuple[tuple[str, ...], bool]
"""A data path whose value lets an element have content; True when it is a sub-object."""


@dataclass(slots=True, eq=False)  # nodes are compared and hashed by identity
class _Node:
    """An :class:`El` prepared for fast walking: keys split, lookups precomputed."""

    el: El
    tag: str
    scope: tuple[str, ...] | None
    children: list[_Node]
    text_field: Field | None
    text_const: str | None
    attr_fields: list[tuple[str, Field]]
    attr_consts: list[tuple[str, str]]
    constant: bool
    """No field anywhere below: written only as part of a group that has content."""
    probes: list[Probe]
    """Writing: the element can have content only if one of these has a value."""
    discriminators: list[Discriminator]
    """Reading: (child tags, attribute or None for text, key) that select this element."""
    by_tag: dict[str, list[_Node]]
    """Reading: the children declared for each tag."""


def _fields(el: El) -> Iterable[Field]:
    values = [el.text, *(value for _, value in el.attrs)]
    yield from (value for value in values if isinstance(value, Field))
    for child in el.children:
        yield from _fields(child)


def _probes(el: El) -> Iterable[Probe]:
    """Text fields in the element's own data scope, and the scopes its children move to."""
    if isinstance(el.text, Field):
        yield (el.text.keys, False)
    for child in el.children:
        if child.fallback:
            continue
        if child.scope:
            yield (tuple(child.scope.split(".")), True)
        else:
            yield from _probes(child)


def _discriminators(el: El, trail: tuple[str, ...] = ()) -> Iterable[Discriminator]:
    if isinstance(el.text, Key):
        yield (trail, None, el.text)
    for name, value in el.attrs:
        if isinstance(value, Key):
            yield (trail, name, value)
    for child in el.children:
        if not child.many:
            yield from _discriminators(child, (*trail, child.tag))


def compile_binding(el: El) -> _Node:
    """Prepare a declaration tree for :func:`read` and :func:`write`."""
    children = [compile_binding(child) for child in el.children]
    by_tag: dict[str, list[_Node]] = {}
    for child in children:
        by_tag.setdefault(child.tag, []).append(child)
    return _Node(
        el=el,
        tag=el.tag,
        scope=tuple(el.scope.split(".")) if el.scope else None,
        children=children,
        text_field=el.text if isinstance(el.text, Field) else None,
        text_const=el.text.value if isinstance(el.text, Const) else None,
        attr_fields=[(name, value) for name, value in el.attrs if isinstance(value, Field)],
        attr_consts=[(name, value.value) for name, value in el.attrs if isinstance(value, Const)],
        constant=not any(True for _ in _fields(el)),
        probes=list(_probes(el)),
        discriminators=list(_discriminators(el)) if el.keyed else [],
        by_tag=by_tag,
    )


# --- dotted paths over dicts ------------------------------------------------------------------


def _get(data: Mapping[str, Any] | None, keys: Sequence[str]) -> Any:
    for key in keys:
        if data is None:
            return None
        data = data.get(key)
    return data


def _has(data: Data, keys: Sequence[str]) -> bool:
    return _get(data, keys) is not None


def _put(data: Data, keys: Sequence[str], value: Any) -> None:
    """Set ``value`` at ``keys``; a dict merges into a dict already there."""
    for key in keys[:-1]:
        data = data.setdefault(key, {})
    last = keys[-1]
    current = data.get(last)
    if isinstance(current, dict) and isinstance(value, dict):
        current.update(value)
    else:
        data[last] = value


# --- writing ----------------------------------------------------------------------------------


class WriteError(Exception):
    """A value that the XML cannot carry, with the dotted path of its field."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem

    def within(self, scope: str) -> WriteError:
        """The same error, its path prefixed with the enclosing object's."""
        return WriteError(f"{scope}.{self.path}", self.problem)


def _format(value: Field, found: Any) -> str:
    try:
        return value.kind.format(found)
    except UnwritableValueError as exc:
        raise WriteError(value.path, str(exc)) from None


def _may_have_content(node: _Node, data: Mapping[str, Any]) -> bool:
    for keys, is_scope in node.probes:
        found = _get(data, keys)
        if found if is_scope else found is not None:
            return True
    return False


def _build(node: _Node, parent: etree._Element, data: Mapping[str, Any], level: int) -> bool:
    """Append ``node`` under ``parent`` for ``data``; True when it carries a value."""
    el = node.el
    if not (node.constant or el.required or _may_have_content(node, data)):
        return False
    target = etree.SubElement(parent, node.tag)
    content = False
    try:
        if node.text_field is not None:
            found = _get(data, node.text_field.keys)
            if found is not None:
                target.text = _format(node.text_field, found)
                content = True
        elif node.text_const is not None:
            target.text = node.text_const
        for name, value in node.attr_consts:
            target.set(name, value)
        for name, field_ in node.attr_fields:
            found = _get(data, field_.keys)
            if found is not None:
                target.set(name, _format(field_, found))
    except ValueError as exc:  # lxml refuses control characters in text and attributes
        path = node.text_field.path if node.text_field else node.tag
        raise WriteError(path, str(exc)) from None
    for child in node.children:
        if _write_child(child, target, data, level):
            content = True
    if content or el.required or node.constant:
        return content
    parent.remove(target)
    return False


def _write_child(node: _Node, parent: etree._Element, data: Mapping[str, Any], level: int) -> bool:
    el = node.el
    if el.since > level or el.fallback:
        return False
    if node.scope is None:
        return _build(node, parent, data, level)
    scoped = _get(data, node.scope)
    if el.many:
        wrote = False
        for index, item in enumerate(scoped or ()):
            if el.when is not None and not el.when(item):
                continue
            try:
                wrote = _build(node, parent, item, level) or wrote
            except WriteError as exc:
                raise exc.within(f"{el.scope}[{index}]") from None
        return wrote
    if scoped is None or (el.when is not None and not el.when(scoped)):
        return _build(node, parent, {}, level) if el.required else False
    try:
        return _build(node, parent, scoped, level)
    except WriteError as exc:
        raise exc.within(str(el.scope)) from None


def write(
    root: _Node, data: Mapping[str, Any], level: int, nsmap: Mapping[str | None, str]
) -> etree._Element:
    """The XML tree of ``data`` at profile ``level``; raises :class:`WriteError`."""
    element = etree.Element(root.tag, nsmap=dict(nsmap))  # type: ignore[arg-type]
    for child in root.children:
        _write_child(child, element, data, level)
    return element


# --- reading ----------------------------------------------------------------------------------


class ReadError(Exception):
    """An unreadable value, with the element it was found in."""

    def __init__(self, element: etree._Element, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.element = element
        self.problem = problem
        self.fix = fix


def _found(element: etree._Element, trail: tuple[str, ...], attribute: str | None) -> str | None:
    for tag in trail:
        child = element.find(tag)
        if child is None:
            return None
        element = child
    if attribute is not None:
        return element.get(attribute)
    return element.text.strip() if element.text is not None else None


def _selects(node: _Node, element: etree._Element) -> bool:
    return all(
        key.matches(_found(element, trail, attr)) for trail, attr, key in node.discriminators
    )


def _read_into(node: _Node, element: etree._Element, out: Data) -> None:
    try:
        text_field = node.text_field
        if text_field is not None and not (node.el.fallback and _has(out, text_field.keys)):
            parsed = text_field.kind.parse(element.text, element)
            if parsed is not None:
                _put(out, text_field.keys, parsed)
        for name, field_ in node.attr_fields:
            raw = element.get(name)
            if raw is not None:
                parsed = field_.kind.parse(raw, element)
                if parsed is not None:
                    _put(out, field_.keys, parsed)
    except UnreadableValueError as exc:
        raise ReadError(element, exc.problem, exc.fix) from None
    if node.by_tag and len(element):
        _read_children(node, element, out)


def _complete(node: _Node, item: Data) -> bool:
    return all(key in item for key in node.el.needs)


def _read_children(node: _Node, element: etree._Element, out: Data) -> None:
    by_tag = node.by_tag
    found: dict[_Node, list[etree._Element]] = {}
    order: list[_Node] = []
    for child in element:
        subs = by_tag.get(child.tag)  # comments and PIs have a non-str tag: no match
        if subs is None:
            continue
        for sub in subs:
            bucket = found.get(sub)
            if bucket is None:
                found[sub] = [child]
                order.append(sub)
            else:
                bucket.append(child)
    if not order:
        return
    for sub in node.children:  # declaration order: later declarations win, fallbacks last
        elements = found.get(sub)
        if elements:
            _read_node(sub, elements, out)


def _read_node(node: _Node, elements: list[etree._Element], out: Data) -> None:
    if node.discriminators:
        elements = [element for element in elements if _selects(node, element)]
        if not elements:
            return
    if node.scope is None:
        _read_into(node, elements[0], out)
        return
    if node.el.many:
        items: list[Data] = []
        for element in elements:
            item: Data = {}
            _read_into(node, element, item)
            if item and _complete(node, item):
                items.append(item)
        if items:
            existing = _get(out, node.scope)
            if isinstance(existing, list):
                existing.extend(items)
            else:
                _put(out, node.scope, items)
        return
    item = {}
    _read_into(node, elements[0], item)
    if item and _complete(node, item):
        _put(out, node.scope, item)


def read(root: _Node, element: etree._Element) -> Data:
    """The data ``element`` carries under the declaration ``root``; raises :class:`ReadError`."""
    out: Data = {}
    _read_children(root, element, out)
    return out


def element_tags(root: _Node, level: int) -> Iterable[tuple[str, ...]]:
    """Every element path (tags from the root) the binding may write at ``level``."""

    def walk(node: _Node, trail: tuple[str, ...]) -> Iterable[tuple[str, ...]]:
        for child in node.children:
            if child.el.since <= level and not child.el.fallback:
                path = (*trail, child.tag)
                yield path
                yield from walk(child, path)

    yield from walk(root, ())
