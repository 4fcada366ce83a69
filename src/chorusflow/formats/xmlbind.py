"""XML elements declared once as data, read and written by the same declaration.

A binding is a tree of nodes that mirrors the XML: :class:`El` for an element, :class:`Value`
for its text, :class:`Attr` for an attribute and :class:`Fixed` for constant content the
syntax requires. Each ties a piece of XML to a field of the object being read or written:
``"name"``, dotted into nested objects (``"item.name"``), or from the document root
(``"/currency"``). The path of a business term is therefore written down once, and the
reader and the writer cannot drift apart.

Writing follows the declaration order, which is the order the schema requires, and writes an
element only when something in it carries a value. Reading looks elements up by tag (in any
order), builds plain dicts and leaves model construction to the caller. Neither compiles an
XPath per call: each element's children are indexed once, so both are linear in the document.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from lxml import etree

from chorusflow.errors import InputError

# --- value kinds ----------------------------------------------------------------------------


class UnreadableError(ValueError):
    """A value that is not what its kind requires; the binding adds where it sits."""

    def __init__(self, expected: str, fix: str) -> None:
        super().__init__(expected)
        self.expected = expected
        self.fix = fix


@dataclass(frozen=True, slots=True)
class Kind:
    """How a value is spelt in XML: ``parse`` (raises :class:`UnreadableError`) and ``format``."""

    name: str
    parse: Callable[[str], Any]
    format: Callable[[Any], str]
    blank_is_absent: bool
    """A blank date or number holds no value and reads as absent; blank text reads as it is
    (the element is there, and the rules may want to know)."""


# ASCII digits only, as XML Schema has them (Python's \d and int() take any script's digits)
_DATE = re.compile(r"\s*([0-9]{4})-([0-9]{2})-([0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?\s*")
_DECIMAL = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*")


def _parse_date(text: str) -> dt.date:
    match = _DATE.fullmatch(text)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise UnreadableError("not a date", "Write dates as YYYY-MM-DD, e.g. 2026-11-05.")


def _parse_decimal(text: str) -> Decimal:
    if _DECIMAL.fullmatch(text):
        try:
            return Decimal(text.strip())
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            pass
    raise UnreadableError(
        "not a number",
        "Write numbers with a dot for decimals and no thousands separator, e.g. 1234.50.",
    )


def _format_decimal(value: Decimal) -> str:
    return format(value, "f")


def _parse_bool(text: str) -> bool:
    value = text.strip()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise UnreadableError("not a boolean", "Write true or false.")


def _parse_base64(text: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise UnreadableError(
            "not base64", "Embed attachments as base64 text (RFC 4648), or link them by URI."
        ) from None


def _format_base64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _as_is(text: str) -> str:
    return text


def _format_text(value: object) -> str:
    return str(value)


TEXT: Final = Kind("text", _as_is, _format_text, False)
"""Free text and identifiers, kept exactly as written."""
CODE: Final = Kind("code", str.strip, _format_text, False)
"""A code from a list: surrounding blanks carry no meaning (the official rules normalise)."""
DATE: Final = Kind("date", _parse_date, dt.date.isoformat, True)
"""An ISO date (xs:date; a time zone suffix is accepted and ignored)."""
DECIMAL: Final = Kind("decimal", _parse_decimal, _format_decimal, True)
"""An xs:decimal: no exponent, no thousands separator; written as stated (250.0 stays)."""
BOOL: Final = Kind("boolean", _parse_bool, lambda value: "true" if value else "false", True)
BASE64: Final = Kind("base64", _parse_base64, _format_base64, False)


# --- field paths ----------------------------------------------------------------------------


class _Field:
    """A dotted field path, relative to the current object or (leading ``/``) to the root."""

    __slots__ = ("from_root", "name", "parts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.from_root = text.startswith("/")
        body = text.lstrip("/")
        self.parts: tuple[str, ...] = tuple(body.split(".")) if body else ()
        self.name = self.parts[0] if len(self.parts) == 1 and not self.from_root else None
        """The attribute name when the path is one plain step (the common, fast case)."""

    def get(self, obj: Any, root: Any) -> Any:
        if self.name is not None:
            return getattr(obj, self.name)
        value = root if self.from_root else obj
        for part in self.parts:
            if value is None:
                return None
            value = getattr(value, part)
        return value

    def assign(self, data: dict[str, Any], root: dict[str, Any], value: Any) -> None:
        if self.name is not None and self.name not in data:
            data[self.name] = value
            return
        target = root if self.from_root else data
        assert self.parts, "only a repeated element's text may stand for the object itself"
        *path, last = self.parts
        for part in path:
            target = target.setdefault(part, {})
        _merge(target, last, value)


def _merge(target: dict[str, Any], key: str, value: Any) -> None:
    """Store ``value`` unless one is there: dicts merge, lists extend, the first scalar wins."""
    old = target.get(key)
    if old is None:
        target[key] = value
    elif isinstance(old, dict) and isinstance(value, dict):
        for name, item in value.items():
            _merge(old, name, item)
    elif isinstance(old, list) and isinstance(value, list):
        old.extend(value)


# --- nodes ----------------------------------------------------------------------------------

Predicate = Callable[[etree._Element], bool]


class Value:
    """The text of the enclosing element ↔ a field (``""``: the object itself).

    ``filler`` is what the syntax writes when the element is required but the field is empty
    (e.g. ``NA``); it reads back as empty, and makes the enclosing element required.
    ``derive`` computes, when writing, a value the object leaves out but the syntax needs
    (e.g. a net price from the gross price and the discount); reading keeps what is written.
    """

    __slots__ = ("derive", "field", "filler", "kind")

    def __init__(
        self,
        field: str,
        kind: Kind = TEXT,
        *,
        filler: str | None = None,
        derive: Callable[[Any], Any] | None = None,
    ) -> None:
        self.field = _Field(field)
        self.kind = kind
        self.filler = filler
        self.derive = derive

    def text(self, obj: Any, root: Any) -> tuple[str | None, bool]:
        """What to write for ``obj``, and whether it is a value (rather than a filler)."""
        value = self.field.get(obj, root)
        if value is None and self.derive is not None:
            value = self.derive(obj)
        if value is None:
            return self.filler, False
        return self.kind.format(value), True


class Attr:
    """An attribute of the enclosing element ↔ a field.

    ``read=False`` marks an attribute written from the model but not read back (e.g. every
    amount's ``currencyID``, taken from the document currency); such an attribute alone
    never makes an element worth writing.
    """

    __slots__ = ("field", "kind", "name", "read")

    def __init__(self, name: str, field: str, kind: Kind = CODE, *, read: bool = True) -> None:
        self.name = name
        self.field = _Field(field)
        self.kind = kind
        self.read = read


class Fixed:
    """Constant content the syntax requires, written whenever the enclosing element is.

    ``tags`` is a chain of element tags (Clark notation) to create, and ``attribute`` names
    an attribute of the last one (or of the enclosing element when there are no tags) to set
    instead of its text. Reading ignores it: use ``El.when`` to tell elements apart.
    """

    __slots__ = ("attribute", "tags", "text")

    def __init__(self, tags: tuple[str, ...], text: str, attribute: str | None = None) -> None:
        self.tags = tags
        self.text = text
        self.attribute = attribute

    def write(self, element: etree._Element) -> None:
        for tag in self.tags:
            element = etree.SubElement(element, tag)
        if self.attribute is None:
            element.text = self.text
        else:
            element.set(self.attribute, self.text)


class El:
    """An element (Clark tag) and what it holds.

    ``field``: the element holds that (nested) object, or with ``many`` one element per item
    of that sequence. Such an element is written whenever the object is there, even empty,
    and read as an object whenever the element is there, even empty: an empty postal address
    is still an address that lacks its country, which is what the rules must see. Without
    ``field`` the element is a plain wrapper around fields of the current object, written only
    when one of them has a value. ``when`` chooses, on reading, which of the elements with
    this tag the declaration takes (e.g. the ``AllowanceCharge`` that is a charge); without
    it the first (or with ``many`` every) element is taken. ``read_only`` declares another
    spelling accepted on reading but never written.
    """

    __slots__ = (
        "attrs",
        "children",
        "field",
        "fixed_attrs",
        "leaf",
        "many",
        "parts",
        "read_only",
        "required",
        "scalar",
        "tag",
        "value",
        "when",
    )

    def __init__(
        self,
        tag: str,
        *children: El | Value | Attr | Fixed,
        field: str | None = None,
        many: bool = False,
        when: Predicate | None = None,
        read_only: bool = False,
    ) -> None:
        self.tag = tag
        self.children = children
        self.field = _Field(field) if field is not None else None
        self.many = many
        self.when = when
        self.read_only = read_only
        values = [child for child in children if isinstance(child, Value)]
        assert len(values) <= 1, "an element has one text"
        self.value = values[0] if values else None
        self.attrs = tuple(child for child in children if isinstance(child, Attr))
        self.fixed_attrs = tuple(
            child for child in children if isinstance(child, Fixed) and not child.tags
        )
        self.parts = tuple(
            child
            for child in children
            if isinstance(child, El) or (isinstance(child, Fixed) and child.tags)
        )
        """Child elements, declared and constant, in the order they are written."""
        self.leaf = not self.parts
        self.required = (self.value is not None and self.value.filler is not None) or (
            self.field is not None and not many
        )
        """Written even without a value: it holds an object, or a filler."""
        self.scalar = (
            self.value is not None
            and not self.value.field.parts
            and not self.value.field.from_root
            and not self.attrs
            and self.leaf
        )
        """The element's text stands for the item itself (a repeated plain value)."""


# --- declaring with prefixes ----------------------------------------------------------------


class Vocabulary:
    """Builds nodes from prefixed names (``cac:Party/cbc:EndpointID``) for one syntax."""

    def __init__(self, namespaces: Mapping[str, str]) -> None:
        self.namespaces = dict(namespaces)

    def tag(self, name: str) -> str:
        prefix, _, local = name.rpartition(":")
        return f"{{{self.namespaces[prefix]}}}{local}" if prefix else local

    def _path(self, path: str) -> str:
        return "/".join(self.tag(step) for step in path.split("/"))

    def el(
        self,
        path: str,
        *children: El | Value | Attr | Fixed,
        field: str | None = None,
        many: bool = False,
        when: Predicate | None = None,
        read_only: bool = False,
    ) -> El:
        """Nested elements along ``path``; the options apply to its first step."""
        first, *rest = path.split("/")
        for step in reversed(rest):
            children = (El(self.tag(step), *children),)
        return El(
            self.tag(first), *children, field=field, many=many, when=when, read_only=read_only
        )

    def leaf(
        self,
        path: str,
        field: str,
        kind: Kind = TEXT,
        *,
        filler: str | None = None,
        derive: Callable[[Any], Any] | None = None,
    ) -> El:
        """The element along ``path`` whose text is ``field``."""
        return self.el(path, Value(field, kind, filler=filler, derive=derive))

    def fixed(self, path: str, text: str) -> Fixed:
        """Constant content along ``path``; a last step ``@name`` is an attribute."""
        steps = path.split("/")
        attribute = steps.pop()[1:] if steps[-1].startswith("@") else None
        return Fixed(tuple(self.tag(step) for step in steps), text, attribute)

    def text_in(self, path: str, *values: str) -> Predicate:
        """True when the element at ``path`` reads (blank-trimmed, any case) one of ``values``."""
        tags = self._path(path)
        wanted = frozenset(v.upper() for v in values)

        def check(element: etree._Element) -> bool:
            text = element.findtext(tags)
            return text is not None and " ".join(text.split()).upper() in wanted

        return check

    def attr_in(self, path: str, attribute: str, *values: str) -> Predicate:
        """True when ``attribute`` of the element at ``path`` is one of ``values`` (any case)."""
        tags = self._path(path)
        wanted = frozenset(v.upper() for v in values)

        def check(element: etree._Element) -> bool:
            found = element.find(tags)
            value = found.get(attribute) if found is not None else None
            return value is not None and value.strip().upper() in wanted

        return check

    def has(self, path: str) -> Predicate:
        """True when ``element`` has an element at ``path``."""
        tags = self._path(path)

        def check(element: etree._Element) -> bool:
            return element.find(tags) is not None

        return check


def none_of(*predicates: Predicate) -> Predicate:
    """True when none of ``predicates`` holds."""

    def check(element: etree._Element) -> bool:
        return not any(predicate(element) for predicate in predicates)

    return check


def all_of(*predicates: Predicate) -> Predicate:
    """True when all of ``predicates`` hold."""

    def check(element: etree._Element) -> bool:
        return all(predicate(element) for predicate in predicates)

    return check


# --- reading --------------------------------------------------------------------------------


def _text(element: etree._Element) -> str:
    if len(element):  # comments or processing instructions split the text
        return "".join(str(text) for text in element.itertext())
    return element.text or ""


class _Reading:
    __slots__ = ("document", "lenient", "root", "top")

    def __init__(
        self, root: dict[str, Any], top: etree._Element, lenient: bool, document: str
    ) -> None:
        self.root = root
        self.top = top
        self.lenient = lenient
        self.document = document

    def parse(self, kind: Kind, raw: str, element: etree._Element, attribute: str | None) -> Any:
        if kind.blank_is_absent and not raw.strip():
            return None
        try:
            return kind.parse(raw)
        except UnreadableError as error:
            if self.lenient:  # read it as blank: absent, or present and empty
                return None if kind.blank_is_absent else kind.parse("")
            where = location(element, self.top) + (f"/@{attribute}" if attribute else "")
            line = f" (line {element.sourceline})" if element.sourceline else ""
            shown = raw.strip()
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            raise InputError(
                f"The {self.document} has {where}{line} = '{shown}', which is {error.expected}.",
                error.fix,
            ) from None

    def leaf(self, element: etree._Element, node: El, data: dict[str, Any]) -> None:
        """Read the text and attributes of ``element`` (declared by ``node``) into ``data``."""
        value = node.value
        if value is not None:
            parsed = self.parse(value.kind, _text(element), element, None)
            if value.filler is not None and parsed == self.parse(
                value.kind, value.filler, element, None
            ):
                parsed = None
            if parsed is not None:
                value.field.assign(data, self.root, parsed)
        for attr in node.attrs:
            if attr.read:
                raw = element.get(attr.name)
                if raw is not None:
                    parsed = self.parse(attr.kind, raw, element, attr.name)
                    if parsed is not None:
                        attr.field.assign(data, self.root, parsed)


def location(element: etree._Element, top: etree._Element) -> str:
    """The path from ``top`` to ``element`` (``cac:InvoiceLine[2]/cbc:Note``), as the file
    spells it."""
    steps: list[str] = []
    node = element
    while node is not top:
        parent = node.getparent()
        if parent is None:
            break
        qname = etree.QName(node)
        name = f"{node.prefix}:{qname.localname}" if node.prefix else qname.localname
        same = list(parent.iterchildren(node.tag))
        steps.append(f"{name}[{same.index(node) + 1}]" if len(same) > 1 else name)
        node = parent
    return "/".join(reversed(steps)) or etree.QName(element).localname


def _index(element: etree._Element) -> dict[str, list[etree._Element]]:
    index: dict[str, list[etree._Element]] = {}
    for child in element:
        tag = child.tag
        if tag.__class__ is str:  # not a comment or processing instruction
            found = index.get(tag)
            if found is None:
                index[tag] = [child]
            else:
                found.append(child)
    return index


def _read_into(element: etree._Element, node: El, data: dict[str, Any], reading: _Reading) -> None:
    """Read what ``node`` declares inside ``element`` into ``data``."""
    reading.leaf(element, node, data)
    if node.leaf:
        return
    index = _index(element)
    for part in node.parts:
        if not isinstance(part, El):
            continue
        found = index.get(part.tag)
        if not found:
            continue
        if part.when is not None:
            found = [candidate for candidate in found if part.when(candidate)]
            if not found:
                continue
        if part.many:
            assert part.field is not None
            if part.scalar:
                assert part.value is not None
                kind = part.value.kind
                items: list[Any] = [
                    reading.parse(kind, _text(candidate), candidate, None) for candidate in found
                ]
            else:
                items = []
                for candidate in found:
                    item: dict[str, Any] = {}
                    _read_into(candidate, part, item, reading)
                    items.append(item)
            part.field.assign(data, reading.root, items)
        elif part.field is not None:
            group: dict[str, Any] = {}
            _read_into(found[0], part, group, reading)
            part.field.assign(data, reading.root, group)
        elif part.leaf:
            reading.leaf(found[0], part, data)
        else:
            _read_into(found[0], part, data, reading)


def read(
    element: etree._Element,
    node: El,
    *,
    document: str = "XML document",
    lenient: bool = False,
) -> dict[str, Any]:
    """The fields ``node`` declares, read from ``element`` (its tag is not checked).

    An unreadable value (a date that is not one, an amount that is not a number) raises
    :class:`InputError` naming the element and ``document``, or is left out when ``lenient``.
    """
    data: dict[str, Any] = {}
    _read_into(element, node, data, _Reading(data, element, lenient, document))
    return data


# --- writing --------------------------------------------------------------------------------


def _culprit(node: El, attributes: dict[str, str]) -> _Field:
    """The attribute whose value lxml refused."""
    for attr in node.attrs:
        try:
            etree.Element("probe", {attr.name: attributes.get(attr.name, "")})
        except ValueError:
            return attr.field
    return _Field("")  # pragma: no cover - only attributes can fail here


def _not_xml(field: _Field) -> InputError:
    return InputError(
        f"The field {field.text.lstrip('/') or 'value'} holds a character that XML cannot "
        "carry (a control character or a lone surrogate).",
        "Remove control characters (other than tab and newline) from the invoice data.",
    )


def _write_leaf(parent: etree._Element, node: El, obj: Any, root: Any) -> bool:
    """Write a childless element when it has something to say; True for a value."""
    text: str | None = None
    content = False
    if node.value is not None:
        text, content = node.value.text(obj, root)
        if text is None and node.value.kind.blank_is_absent and not node.required:
            # a number or date left blank is no value (and not XML Schema valid): its
            # attributes alone, e.g. a unit without its quantity, do not make it worth writing
            return False
    attributes: dict[str, str] = {}
    for attr in node.attrs:
        value = attr.field.get(obj, root)
        if value is not None:
            attributes[attr.name] = attr.kind.format(value)
            content = content or attr.read
    if not (content or node.required):
        return False
    try:
        element = etree.SubElement(parent, node.tag, attributes)
    except ValueError:
        raise _not_xml(_culprit(node, attributes)) from None
    if text is not None:
        try:
            element.text = text
        except ValueError:
            assert node.value is not None
            raise _not_xml(node.value.field) from None
    for fixed in node.fixed_attrs:
        fixed.write(element)
    return content


def _write_into(element: etree._Element, node: El, obj: Any, root: Any) -> bool:
    """Write what ``node`` declares for ``obj`` into ``element``; True when a value was."""
    content = False
    if node.value is not None:
        text, content = node.value.text(obj, root)
        if text is not None:
            try:
                element.text = text
            except ValueError:
                raise _not_xml(node.value.field) from None
    for attr in node.attrs:
        value = attr.field.get(obj, root)
        if value is not None:
            try:
                element.set(attr.name, attr.kind.format(value))
            except ValueError:
                raise _not_xml(attr.field) from None
            content = content or attr.read
    for fixed in node.fixed_attrs:
        fixed.write(element)
    for part in node.parts:
        if not isinstance(part, El):
            part.write(element)
            continue
        if part.read_only:
            continue
        target = obj if part.field is None else part.field.get(obj, root)
        if target is None:
            continue
        if part.many:
            for item in target:
                _write_into(etree.SubElement(element, part.tag), part, item, root)
                content = True
            continue
        if part.leaf:
            wrote = _write_leaf(element, part, target, root)
        else:
            child = etree.SubElement(element, part.tag)
            wrote = _write_into(child, part, target, root)
            if not (wrote or part.required):
                element.remove(child)
        # an object that is there counts, even empty; a filler alone does not
        content = content or wrote or part.field is not None
    return content


def write(node: El, obj: Any, nsmap: Mapping[str | None, str]) -> etree._Element:
    """The element ``node`` declares, written for ``obj`` (also the root for ``/`` fields)."""
    element = etree.Element(node.tag, nsmap=nsmap)  # type: ignore[arg-type]  # stubs: no None
    _write_into(element, node, obj, obj)
    return element
