"""Declaring a syntax with its usual prefixes (``cac:Party/cbc:EndpointID``), and the
predicates that choose, on reading, which elements of one tag a declaration takes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from lxml import etree

from chorusflow.formats.xmlbind.kinds import TEXT, Kind
from chorusflow.formats.xmlbind.nodes import Attr, Const, El, Key, Predicate, Value

C = TypeVar("C", bound=Const)


class Vocabulary:
    """Builds nodes from prefixed names (``cac:Party/cbc:EndpointID``) for one syntax."""

    def __init__(self, namespaces: Mapping[str, str]) -> None:
        self.namespaces = dict(namespaces)
        self.prefixes = {uri: prefix for prefix, uri in self.namespaces.items()}
        """Namespace → prefix, to show paths as the syntax is usually written."""

    def tag(self, name: str) -> str:
        prefix, _, local = name.rpartition(":")
        return f"{{{self.namespaces[prefix]}}}{local}" if prefix else local

    def _path(self, path: str) -> str:
        return "/".join(self.tag(step) for step in path.split("/"))

    def el(self, path: str, *children: El | Value | Attr | Const, **options: Any) -> El:
        """Nested elements along ``path``; the options (see :class:`El`) apply to its first
        step."""
        first, *rest = path.split("/")
        for step in reversed(rest):
            children = (El(self.tag(step), *children),)
        return El(self.tag(first), *children, **options)

    def leaf(
        self, path: str, field: str, kind: Kind = TEXT, *, filler: str | None = None, **options: Any
    ) -> El:
        """The element along ``path`` whose text is ``field``."""
        return self.el(path, Value(field, kind, filler=filler), **options)

    def nsmap(self, default: str | None = None) -> dict[str | None, str]:
        """The namespaces to write with, ``default`` (if any) without a prefix."""
        written: dict[str | None, str] = {None: default} if default else {}
        written.update(self.namespaces)
        return written

    def fixed(self, path: str, text: str) -> El | Const:
        """Constant content along ``path``; a last step ``@name`` is an attribute."""
        return self._along(path, lambda attribute: Const(text, attribute))

    def key(
        self, path: str, text: str, accepts: Callable[[str | None], bool] | None = None
    ) -> El | Key:
        """A :class:`Key` along ``path`` (a last step ``@name`` is an attribute)."""
        return self._along(path, lambda attribute: Key(text, attribute, accepts))

    def _along(self, path: str, make: Callable[[str | None], C]) -> El | C:
        steps = path.split("/")
        constant = make(steps.pop()[1:] if steps[-1].startswith("@") else None)
        return self.el("/".join(steps), constant) if steps else constant

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
        """True when the element has an element at ``path``."""
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
