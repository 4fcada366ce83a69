"""Reading: the data a declaration finds in an XML element, as nested dicts.

Elements are looked up by tag in any order (each element's children are indexed once, so
reading is linear in the document); the first element a declaration takes is read, or every
one for a list. Model construction is left to the caller.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from chorusflow.formats.xmlbind.kinds import Kind
from chorusflow.formats.xmlbind.nodes import Data, El


class ReadError(Exception):
    """A value that is not what its element holds; the codec words it for its syntax."""

    def __init__(
        self, element: etree._Element, attribute: str | None, text: str, kind: Kind, problem: str
    ) -> None:
        shown = text.strip()
        self.shown = repr(shown if len(shown) <= 40 else shown[:37] + "...")
        """The value, quoted and cut short (the input may be huge, and on several lines)."""
        self.expected = kind.expected
        self.problem = problem or f"{self.shown} is {kind.expected}"
        super().__init__(self.problem)
        self.element = element
        self.attribute = attribute
        self.fix = kind.fix


def text_of(element: etree._Element) -> str:
    """The text of ``element`` (comments or processing instructions may split it)."""
    if len(element):
        return "".join(str(text) for text in element.itertext())
    return element.text or ""


class _Reading:
    __slots__ = ("lenient", "root")

    def __init__(self, root: Data, lenient: bool) -> None:
        self.root = root
        self.lenient = lenient

    def parse(
        self, kind: Kind, raw: str, element: etree._Element, attribute: str | None = None
    ) -> Any:
        if kind.blank_is_absent and not raw.strip():
            return None
        problem = kind.check(element) if kind.check is not None else None
        if problem is None:
            try:
                return kind.parse(raw)
            except ValueError:
                pass
        if self.lenient:  # read it as blank: absent, or present and empty
            return None if kind.blank_is_absent else kind.parse("")
        raise ReadError(element, attribute, raw, kind, problem or "")

    def own(self, element: etree._Element, node: El, data: Data, fill: bool) -> None:
        """The text and attributes of ``element`` (declared by ``node``) into ``data``."""
        value = node.value
        if value is not None:
            parsed = self.parse(value.kind, text_of(element), element)
            if parsed is not None and not (value.filler is not None and parsed == value.filled):
                value.field.put(data, self.root, parsed, fill)
        for attr in node.attrs:
            if attr.read:
                raw = element.get(attr.name)
                if raw is not None:
                    parsed = self.parse(attr.kind, raw, element, attr.name)
                    if parsed is not None:
                        attr.field.put(data, self.root, parsed, fill)

    def into(self, element: etree._Element, node: El, data: Data, fill: bool) -> None:
        """What ``node`` declares inside ``element`` into ``data``."""
        if node.value is not None or node.attrs:
            self.own(element, node, data, fill)
        if node.leaf or not len(element):
            return
        readable = node.readable
        index: dict[str, list[etree._Element]] = {}
        for child in element:
            tag = child.tag
            if tag in readable:  # comments and PIs have a non-str tag: never declared
                found = index.get(tag)
                if found is None:
                    index[tag] = [child]
                else:
                    found.append(child)
        if not index:
            return
        for part in node.parts:
            found = index.get(part.tag)
            if not found:
                continue
            if part.select is not None or part.keys:
                found = [element for element in found if part.takes(element)]
                if not found:
                    continue
            if part.field is not None:
                self.group(part, found, data, fill or part.alternative)
            elif part.leaf:
                self.own(found[0], part, data, fill or part.alternative)
            else:
                self.into(found[0], part, data, fill or part.alternative)

    def group(self, part: El, found: list[etree._Element], data: Data, fill: bool) -> None:
        """The group (or list of groups, or of values) ``part`` holds, read from ``found``."""
        field = part.field
        assert field is not None
        if part.many:
            if part.scalar:
                assert part.value is not None
                kind = part.value.kind
                items: list[Any] = [self.parse(kind, text_of(e), e) for e in found]
            else:
                items = []
                for element in found:
                    item: Data = {}
                    self.into(element, part, item, False)
                    if not part.needs or all(key in item for key in part.needs):
                        items.append(item)
            if items:
                field.put(data, self.root, items, fill)
        else:
            group: Data = {}
            self.into(found[0], part, group, False)
            if not part.needs or all(key in group for key in part.needs):
                field.put(data, self.root, group, fill)


def read(node: El, element: etree._Element, *, lenient: bool = False) -> Data:
    """The fields ``node`` declares, read from ``element`` (its tag is not checked).

    A value that is not what its element holds (a date that is not one, an amount that is
    not a number) raises :class:`ReadError`, or reads as blank when ``lenient``.
    """
    data: Data = {}
    _Reading(data, lenient).into(element, node, data, False)
    return data
