"""Writing: the XML a declaration makes of nested dicts, in declaration (schema) order.

An element is written when something in it carries a value; a group element also when it
stands for a group that is there but empty (so that the rules judging the file see what the
rules judging the model saw); a ``required`` one always. Constant content rides with the
element around it. Elements are only created where a field below may have a value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from lxml import etree

from chorusflow.formats.xmlbind.nodes import Data, El, Field, holds_nothing

_NOT_XML: Final = (
    "holds a character that XML cannot carry (a control character or a lone surrogate)"
)
_NOTHING: Final[Data] = {}


class WriteError(Exception):
    """A value that the XML cannot carry: the declared ``field`` and its full ``path``."""

    fix = "Remove control characters and non-finite numbers from that field."

    def __init__(self, field: str, path: str, problem: str) -> None:
        where = "" if path == field else f" (at {path})"
        super().__init__(f"the field {field} {problem}{where}")
        self.field = field
        self.path = path
        self.problem = problem

    def within(self, scope: str) -> WriteError:
        """The same error, its path prefixed with the enclosing object's."""
        return WriteError(self.field, f"{scope}.{self.path}", self.problem)


def _error(field: Field, problem: str) -> WriteError:
    name = field.text.lstrip("/") or "value"
    return WriteError(name, name, problem)


def _own(node: El, data: Any, root: Any) -> tuple[str | None, dict[str, str], bool]:
    """The element's text and attributes for ``data``, and whether a value is among them."""
    text = node.text
    content = False
    value = node.value
    if value is not None:
        found = value.field.get(data, root)
        if found is not None:
            try:
                text = value.kind.format(found)
            except ValueError as exc:
                raise _error(value.field, f"holds {found}, which is {exc}") from None
            content = True
        else:
            text = value.filler
    attributes: dict[str, str] = {}
    for attr in node.attrs:
        found = attr.field.get(data, root)
        if found is not None:
            try:
                attributes[attr.name] = attr.kind.format(found)
            except ValueError as exc:
                raise _error(attr.field, f"holds {found}, which is {exc}") from None
            content = content or attr.read
    for name, constant in node.const_attrs:
        attributes[name] = constant
    return text, attributes, content


def _element(
    parent: etree._Element, node: El, text: str | None, attributes: dict[str, str]
) -> etree._Element:
    try:
        element = etree.SubElement(parent, node.tag, attributes)
    except ValueError:
        raise _error(_culprit(node, attributes), _NOT_XML) from None
    if text is not None:
        try:
            element.text = text
        except ValueError:
            assert node.value is not None
            raise _error(node.value.field, _NOT_XML) from None
    return element


def _culprit(node: El, attributes: dict[str, str]) -> Field:
    """The attribute whose value lxml refused."""
    for attr in node.attrs:
        try:
            etree.Element("probe", {attr.name: attributes.get(attr.name, "")})
        except ValueError:
            return attr.field
    return Field("")  # pragma: no cover - only attributes can fail here


def _may_have_content(node: El, data: Any, root: Any) -> bool:
    for path, group in node.probes:
        found = path.get(data, root)
        if found if group else found is not None:
            return True
    return False


def _build(
    node: El, parent: etree._Element, data: Any, root: Any, level: int, present: bool
) -> bool:
    """Append ``node``'s element for ``data`` (a group that is there when ``present``) when
    it has something to say; True when it holds a value or stands for that group."""
    if node.leaf:
        text, attributes, content = _own(node, data, root)
        value = node.value
        if not node.required and not node.constant:
            blank = value is not None and text is None and value.kind.blank_is_absent
            if not content or blank:  # attributes alone (a unit without its quantity) are not
                if not (present and holds_nothing(data)):
                    return False
                content = True
        _element(parent, node, text, attributes)
        return content
    if not (present or node.required or node.constant or _may_have_content(node, data, root)):
        return False
    text, attributes, content = _own(node, data, root)
    element = _element(parent, node, text, attributes)
    if _write_children(node, element, data, root, level) or content:
        return True
    if present and holds_nothing(data):
        return True
    if not (node.required or node.constant):
        parent.remove(element)
    return False


def _write_children(node: El, element: etree._Element, data: Any, root: Any, level: int) -> bool:
    """Write what ``node``'s children declare for ``data``; True when any holds a value."""
    content = False
    for part in node.written:
        if part.since > level:
            continue
        field = part.field
        if field is None:
            content = _build(part, element, data, root, level, False) or content
            continue
        target = field.get(data, root)
        when = part.when
        if part.many:
            for index, item in enumerate(target or ()):
                if when is None or when(item):
                    try:
                        content = _build(part, element, item, root, level, True) or content
                    except WriteError as exc:
                        raise exc.within(f"{field.text}[{index}]") from None
        elif target is None or (when is not None and not when(target)):
            if part.required:  # the schema wants the element, though the group is not there
                _build(part, element, _NOTHING, root, level, False)
        else:
            try:
                content = _build(part, element, target, root, level, True) or content
            except WriteError as exc:
                raise exc.within(field.text) from None
    return content


def write(node: El, data: Data, nsmap: Mapping[str | None, str], level: int = 0) -> etree._Element:
    """The element ``node`` declares, written for ``data`` at ``level``; raises
    :class:`WriteError` for a value the XML cannot carry."""
    element = etree.Element(node.tag, nsmap=nsmap)  # type: ignore[arg-type]  # stubs: no None
    _write_children(node, element, data, data, level)
    return element
