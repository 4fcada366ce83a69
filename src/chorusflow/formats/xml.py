"""Safe XML parsing: no DTD, no entities, no network, bounded size.

Invoices never need a DTD, so any document that declares one is refused outright, which
rules out external entities (XXE) and entity expansion ("billion laughs") together.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from lxml import etree

from chorusflow.errors import InputError
from chorusflow.formats.limits import MAX_XML_BYTES, MAX_XML_MARKUP, MiB

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_blank_text=False,
)


def _refuse_dtd(what: str) -> InputError:
    return InputError(
        f"The {what} declares a DTD or entities (<!DOCTYPE>/<!ENTITY>), which invoices never "
        "need and chorusflow refuses for safety.",
        "Remove the <!DOCTYPE ...> declaration from the file.",
    )


def parse_xml(data: bytes, what: str = "XML document") -> etree._Element:
    """Parse ``data`` into its root element, or raise :class:`InputError` in one sentence."""
    if len(data) > MAX_XML_BYTES:
        raise InputError(
            f"The {what} is {len(data) // MiB} MiB, over the {MAX_XML_BYTES // MiB} MiB limit.",
            "Split the batch or remove large embedded attachments.",
        )
    if data.count(b"<") > MAX_XML_MARKUP:
        raise InputError(
            f"The {what} has more than {MAX_XML_MARKUP:,} elements, far more than an invoice has.",
            "Split the invoice, or check that the file is the invoice you meant.",
        )
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise _refuse_dtd(what)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        # libxml2 quotes the text around the fault, line breaks included: one line here
        detail = " ".join((exc.msg or "syntax error").split()).rstrip(".")
        where = f" at line {exc.lineno}" if exc.lineno else ""
        raise InputError(
            f"The {what} is not well-formed XML: {detail}{where}.",
            "Check that the file is complete and was not truncated or edited by hand.",
        ) from None
    except ValueError as exc:  # e.g. an encoding declaration lxml cannot honour
        raise InputError(f"The {what} cannot be parsed: {' '.join(str(exc).split())}.") from None
    docinfo = cast(Any, root.getroottree().docinfo)  # lxml-stubs lack DocInfo.doctype
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _refuse_dtd(what)
    return root


def local_name(element: etree._Element) -> str:
    """The tag without its namespace."""
    return etree.QName(element).localname


def namespace(element: etree._Element) -> str | None:
    """The namespace URI of the tag."""
    return etree.QName(element).namespace


def step_name(tag: str, prefixes: Mapping[str, str]) -> str:
    """A Clark tag (``{urn:...}Name``) as ``prefix:Name`` with the prefix ``prefixes`` gives its
    namespace (none when it gives none)."""
    name = etree.QName(tag)
    prefix = prefixes.get(name.namespace or "")
    return f"{prefix}:{name.localname}" if prefix else name.localname


def xpath_of(
    element: etree._Element,
    prefixes: Mapping[str, str] | None = None,
    top: etree._Element | None = None,
) -> str:
    """The path to ``element``, with an index where siblings share its tag, for messages.

    Absolute (``/rsm:X/ram:Y[2]``) or, below ``top``, relative (``ram:Y[2]``); each step with
    the prefix ``prefixes`` maps its namespace to, or the one the file itself uses.
    """
    steps: list[str] = []
    node: etree._Element | None = element
    while node is not None and node is not top:
        parent = node.getparent()
        if prefixes is None:
            local = etree.QName(node).localname
            step = f"{node.prefix}:{local}" if node.prefix else local
        else:
            step = step_name(node.tag, prefixes)
        if parent is not None:
            same = [sibling for sibling in parent if sibling.tag == node.tag]
            if len(same) > 1:
                step += f"[{same.index(node) + 1}]"
        steps.append(step)
        node = parent
    path = "/".join(reversed(steps))
    if top is None:
        return "/" + path
    return path or etree.QName(element).localname
