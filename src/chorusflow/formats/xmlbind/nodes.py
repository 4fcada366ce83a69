"""The declaration: a tree of nodes that mirrors the XML, each tied to a field of the data.

:class:`El` is an element, :class:`Value` its text, :class:`Attr` an attribute, :class:`Const`
constant content the syntax requires and :class:`Key` a constant that also tells apart, on
reading, elements that share one tag. Fields are dotted paths into nested dicts
(``"item.name"``), relative to the current object or, with a leading ``/``, to the document's
(``"/currency"``). Everything the reader and the writer need is worked out here, once per
declaration, so that walking it costs no more than the document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from lxml import etree

from chorusflow.formats.xmlbind.kinds import TEXT, TOKEN, Kind

Data = dict[str, Any]
"""The data side of a binding: nested dicts, lists and values (Decimal, date, str, bytes)."""

Predicate = Callable[[etree._Element], bool]
"""Reading: whether an element of the declared tag is the one a declaration takes."""


def holds_nothing(group: Any, *but: str) -> bool:
    """Whether ``group`` is there but holds nothing: every field (but those named) None or an
    empty list."""
    return isinstance(group, dict) and not any(
        value is not None and (value.__class__ not in (list, tuple) or value)
        for key, value in group.items()
        if key not in but
    )


class Field:
    """A dotted field path, relative to the current object or (leading ``/``) to the root."""

    __slots__ = ("from_root", "name", "parts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.from_root = text.startswith("/")
        body = text.lstrip("/")
        self.parts: tuple[str, ...] = tuple(body.split(".")) if body else ()
        self.name = self.parts[0] if len(self.parts) == 1 and not self.from_root else None
        """The key when the path is one plain step (the common, fast case)."""

    def get(self, data: Any, root: Any) -> Any:
        """The value at this path (``data`` itself for the empty path), or None."""
        if self.name is not None:
            return data.get(self.name)
        value = root if self.from_root else data
        for part in self.parts:
            if value is None:
                return None
            value = value.get(part)
        return value

    def put(self, data: Data, root: Data, value: Any, fill: bool) -> None:
        """Store ``value``: lists extend, dicts merge (``fill``: only what is unset), and a
        scalar replaces the one there (``fill``: only when none is)."""
        name = self.name
        if name is not None and name not in data:
            data[name] = value
            return
        target = root if self.from_root else data
        *steps, last = self.parts
        for step in steps:
            target = target.setdefault(step, {})
        old = target.get(last)
        if old is None:
            target[last] = value
        elif isinstance(old, list) and isinstance(value, list):
            old.extend(value)
        elif isinstance(old, dict) and isinstance(value, dict):
            for key, item in value.items():
                if not fill or old.get(key) is None:
                    old[key] = item
        elif not fill:
            target[last] = value


class Value:
    """The text of the enclosing element ↔ a field (``""``: the item itself, in a list).

    ``filler`` is what the syntax writes when the element is required but the field is empty
    (e.g. ``NA``); it reads back as empty, and makes the enclosing element required.
    """

    __slots__ = ("field", "filled", "filler", "kind")

    def __init__(self, field: str, kind: Kind = TEXT, *, filler: str | None = None) -> None:
        self.field = Field(field)
        self.kind = kind
        self.filler = filler
        self.filled = kind.parse(filler) if filler is not None else None
        """The filler as read, to recognise it."""


class Attr:
    """An attribute of the enclosing element ↔ a field.

    ``read=False`` marks an attribute written from the data but not read back (e.g. every
    amount's ``currencyID``, taken from the document currency); such an attribute alone
    never makes an element worth writing.
    """

    __slots__ = ("field", "kind", "name", "read")

    def __init__(self, name: str, field: str, kind: Kind = TOKEN, *, read: bool = True) -> None:
        self.name = name
        self.field = Field(field)
        self.kind = kind
        self.read = read


class Const:
    """Constant text (or, with ``attribute``, an attribute) of the enclosing element: written
    whenever the element is, ignored on reading."""

    __slots__ = ("attribute", "text")

    def __init__(self, text: str, attribute: str | None = None) -> None:
        self.text = text
        self.attribute = attribute


class Key(Const):
    """A constant that also tells elements apart on reading (see ``El(keyed=True)``).

    ``accepts`` decides which values found in a file (stripped; None when absent) select the
    element; by default only the written one does.
    """

    __slots__ = ("accepts",)

    def __init__(
        self,
        text: str,
        attribute: str | None = None,
        accepts: Callable[[str | None], bool] | None = None,
    ) -> None:
        super().__init__(text, attribute)
        self.accepts = accepts

    def matches(self, found: str | None) -> bool:
        return self.accepts(found) if self.accepts is not None else found == self.text


Probe = tuple[Field, bool]
"""A field whose value lets an element have content; True when it is a group or a list."""
Discriminator = tuple[tuple[str, ...], str | None, Key]
"""Where a :class:`Key` sits below an element: child tags, attribute (None: text), key."""


class El:
    """An element (Clark tag) and what it holds.

    ``field``: the element holds that group (a nested dict), or with ``many`` one element per
    item of that list. A group element is read as a group whenever it is there, even empty
    (an empty postal address is still an address lacking its country, which the rules must
    see), and written when it holds a value or stands for a group that is there but empty.
    Without ``field`` the element is a plain wrapper around fields of the current object,
    written only when one of them has a value, or always when ``required``.

    ``when`` writes only the items it accepts (so two tags can share one list, e.g.
    identifiers with and without a scheme). ``select`` and, with ``keyed``, the :class:`Key`
    values below (not crossing a repeated child) choose which elements of this tag are read;
    without them the first (or with ``many`` every) element is. ``needs`` drops, on reading,
    an item lacking a field the model requires. ``alternative`` declares another spelling:
    read only into what is still unset, never written. ``since`` is the first level (e.g. a
    Factur-X profile) that carries the element.
    """

    __slots__ = (
        "alternative",
        "attrs",
        "const_attrs",
        "constant",
        "consts",
        "field",
        "keyed",
        "keys",
        "leaf",
        "many",
        "needs",
        "parts",
        "probes",
        "readable",
        "required",
        "scalar",
        "select",
        "since",
        "tag",
        "text",
        "value",
        "when",
        "written",
    )

    def __init__(
        self,
        tag: str,
        *children: El | Value | Attr | Const,
        field: str | None = None,
        many: bool = False,
        when: Callable[[Any], bool] | None = None,
        select: Predicate | None = None,
        keyed: bool = False,
        needs: tuple[str, ...] = (),
        alternative: bool = False,
        since: int = 0,
        required: bool = False,
    ) -> None:
        self.tag = tag
        self.field = Field(field) if field is not None else None
        self.many = many
        self.when = when
        self.select = select
        self.keyed = keyed
        self.needs = needs
        self.alternative = alternative
        self.since = since
        values = [child for child in children if isinstance(child, Value)]
        self.consts = tuple(child for child in children if isinstance(child, Const))
        texts = [const.text for const in self.consts if const.attribute is None]
        assert len(values) + len(texts) <= 1, "an element has one text"
        self.value = values[0] if values else None
        self.text = texts[0] if texts else None
        """Constant text, when the element has one."""
        self.attrs = tuple(child for child in children if isinstance(child, Attr))
        self.const_attrs = tuple(
            (const.attribute, const.text) for const in self.consts if const.attribute
        )
        self.parts = tuple(child for child in children if isinstance(child, El))
        """Child elements in the order they are written."""
        self.written = tuple(part for part in self.parts if not part.alternative)
        readable: dict[str, list[El]] = {}
        for part in self.parts:
            readable.setdefault(part.tag, []).append(part)
        self.readable = {tag: tuple(parts) for tag, parts in readable.items()}
        """Reading: the children declared for each tag."""
        self.leaf = not self.parts
        self.required = required or (self.value is not None and self.value.filler is not None)
        """Written even without a value (around a filler, or because the schema wants it)."""
        self.scalar = many and self.value is not None and not self.value.field.parts and self.leaf
        """The element's text stands for the item itself (a repeated plain value)."""
        self.probes = tuple(self._probes())
        self.constant: bool = (
            self.value is None and not self.attrs and all(part.constant for part in self.written)
        )
        """No field anywhere below: written only with an element that is."""
        self.keys = tuple(self._keys(())) if keyed else ()

    def _probes(self) -> Iterator[Probe]:
        if self.value is not None:
            yield (self.value.field, False)
        for attr in self.attrs:
            if attr.read:
                yield (attr.field, False)
        for part in self.written:
            if part.field is not None:
                yield (part.field, True)
            else:
                yield from part.probes

    def _keys(self, trail: tuple[str, ...]) -> Iterator[Discriminator]:
        for const in self.consts:
            if isinstance(const, Key):
                yield (trail, const.attribute, const)
        for part in self.parts:
            if not part.many:
                yield from part._keys((*trail, part.tag))

    # --- what a walk over the declaration asks ----------------------------------------------

    @property
    def scope(self) -> tuple[str, ...]:
        """The data keys this element moves to (empty: it holds fields of the same object)."""
        field = self.field
        return field.parts if field is not None and not field.from_root else ()

    def takes(self, element: etree._Element) -> bool:
        """Whether ``element`` (of this tag) is one this declaration reads."""
        if self.select is not None and not self.select(element):
            return False
        return all(
            key.matches(_found(element, trail, attribute)) for trail, attribute, key in self.keys
        )

    def place_of(self, keys: tuple[str | int, ...]) -> str | None:
        """``""`` when ``keys`` is this element's text, ``"@name"`` an attribute's, else None."""
        value = self.value
        if value is not None and not value.field.from_root and value.field.parts == keys:
            return ""
        for attr in self.attrs:
            if not attr.field.from_root and attr.field.parts == keys:
                return f"@{attr.name}"
        return None

    def paths(self, level: int) -> Iterator[tuple[str, ...]]:
        """Every element path (tags below this one) that may be written at ``level``."""
        for part in self.written:
            if part.since <= level:
                yield (part.tag,)
                for path in part.paths(level):
                    yield (part.tag, *path)


def _found(element: etree._Element, trail: tuple[str, ...], attribute: str | None) -> str | None:
    for tag in trail:
        child = element.find(tag)
        if child is None:
            return None
        element = child
    if attribute is not None:
        return element.get(attribute)
    return element.text.strip() if element.text is not None else None
