"""Safe XML parsing: no DTD, no entities, no network, bounded size.

Invoices never need a DTD, so any document that declares one is refused outright, which
rules out external entities (XXE) and entity expansion ("billion laughs") together.
"""

from __future__ import annotations

from typing import Any, cast

from lxml import etree

from chorusflow.errors import InputError
from chorusflow.formats.limits import MAX_XML_BYTES, MiB

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
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise _refuse_dtd(what)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        detail = (exc.msg or "syntax error").rstrip(".")
        where = f" at line {exc.lineno}" if exc.lineno else ""
        raise InputError(
            f"The {what} is not well-formed XML: {detail}{where}.",
            "Check that the file is complete and was not truncated or edited by hand.",
        ) from None
    except ValueError as exc:  # e.g. an encoding declaration lxml cannot honour
        raise InputError(f"The {what} cannot be parsed: {exc}.") from None
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
