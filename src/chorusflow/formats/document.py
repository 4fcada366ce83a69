"""Any invoice file in, the model out: what the file is, read once, kept as it was given.

Every command that takes a file (validate, convert, inspect, send) and the sandbox's flow
processing start here, so a syntax is recognised and refused the same way everywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from lxml import etree

from chorusflow.errors import InputError
from chorusflow.formats.cii import as_written as cii_as_written
from chorusflow.formats.cii import is_cii, profile_of, read_cii, write_cii
from chorusflow.formats.facturx import extract_xml
from chorusflow.formats.files import read_input
from chorusflow.formats.model_json import read_json
from chorusflow.formats.profiles import NS_UBL_CREDIT_NOTE, NS_UBL_INVOICE, Profile, Syntax
from chorusflow.formats.ubl import as_written as ubl_as_written
from chorusflow.formats.ubl import read_ubl
from chorusflow.formats.xml import parse_xml
from chorusflow.model import Invoice

_UBL_NAMESPACES = frozenset({NS_UBL_INVOICE, NS_UBL_CREDIT_NOTE})
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True, slots=True)
class Document:
    """An invoice file as read: its syntax and profile, the invoice, and the bytes behind it."""

    name: str
    syntax: Syntax
    profile: Profile | None
    """The Factur-X profile a CII (or Factur-X) file declares in BT-24; None for UBL/JSON."""
    invoice: Invoice
    xml: bytes | None
    """The CII or UBL XML as read (for Factur-X, the embedded XML); None for JSON."""
    data: bytes
    """The file exactly as given."""
    root: etree._Element | None = field(default=None, compare=False, repr=False)
    """The parsed ``xml`` (so that checks on the file need not parse it again)."""


def _sniff(data: bytes) -> Syntax | None:
    """JSON or Factur-X from the first bytes; None when the file looks like XML."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise InputError("The file is empty.", "Give an invoice: JSON, CII, UBL or Factur-X.")
    if head.startswith(b"%PDF-"):
        return Syntax.FACTURX
    if head[:1] in (b"{", b"["):
        return Syntax.JSON
    if head[:1] == b"<" or head.startswith(_UTF16_BOMS):
        return None  # XML, even when a comment in it mentions %PDF- (the hostile corpus did)
    if b"%PDF-" in data[:1024]:  # PDF allows bytes before its header
        return Syntax.FACTURX
    raise InputError(
        "The file is neither JSON, XML nor PDF, so it is no invoice chorusflow reads.",
        "Give a JSON invoice (see `chorusflow schema`), a CII or UBL XML file, or a Factur-X PDF.",
    )


def detect(data: bytes) -> Syntax:
    """The syntax of a file, from its first bytes (XML is told apart by its root)."""
    return _sniff(data) or _xml_syntax(parse_xml(data))


def _xml_syntax(root: etree._Element) -> Syntax:
    if is_cii(root):
        return Syntax.CII
    name = etree.QName(root)
    if name.namespace in _UBL_NAMESPACES:
        return Syntax.UBL
    raise InputError(
        f"The XML file is not an invoice chorusflow reads: its root is <{name.localname}> in "
        f"namespace {name.namespace or '(none)'}.",
        "Give a UN/CEFACT CII D16B (Factur-X) or a UBL 2.1 Invoice or CreditNote document.",
    )


def _from_xml(data: bytes, what: str) -> tuple[Syntax, Profile | None, Invoice, etree._Element]:
    root = parse_xml(data, what)
    syntax = _xml_syntax(root)
    if syntax is Syntax.CII:
        return syntax, profile_of(root), read_cii(root), root
    return syntax, None, read_ubl(root), root


def read_document(data: bytes, name: str = "input") -> Document:
    """Read an invoice file of any syntax chorusflow knows, or raise :class:`InputError`."""
    syntax = _sniff(data)
    if syntax is Syntax.JSON:
        return Document(name, syntax, None, read_json(data, name), None, data)
    if syntax is Syntax.FACTURX:
        embedded = extract_xml(data)
        xml_syntax, profile, invoice, root = _from_xml(
            embedded.xml, f"XML embedded in {name} ({embedded.filename})"
        )
        if xml_syntax is not Syntax.CII:
            raise InputError(
                f"The XML embedded in {name} is UBL; a Factur-X file carries CII.",
                "Embed the CII version of the invoice (chorusflow convert --to facturx).",
            )
        return Document(name, Syntax.FACTURX, profile, invoice, embedded.xml, data, root)
    xml_syntax, profile, invoice, root = _from_xml(data, name)
    return Document(name, xml_syntax, profile, invoice, data, data, root)


def read_path(path: str | os.PathLike[str]) -> Document:
    """Read the invoice file at ``path``, refusing an oversized one before reading it."""
    return read_document(read_input(path), Path(path).name)


#: Profiles whose CII reads back exactly as :func:`chorusflow.formats.cii.as_written` says.
_EXACT_CII: Final = frozenset({Profile.EN16931, Profile.EXTENDED})


def written_document(
    invoice: Invoice, syntax: Syntax, profile: Profile | None, data: bytes, name: str
) -> Document:
    """The :class:`Document` that reading ``data`` back would give, where chorusflow has just
    written ``data`` from ``invoice`` (``profile`` for CII and Factur-X).

    The writers state what each syntax's ``as_written`` says, and reading what they wrote
    gives that invoice (the formats' round-trip tests hold them to it), so the model is not
    rebuilt from the bytes; the XML is still parsed, for the checks on the file (XSD). Where
    that promise is not made (CII below EN 16931, JSON), the bytes are read back.
    """
    if syntax is Syntax.UBL:
        return Document(name, syntax, None, ubl_as_written(invoice), data, data, parse_xml(data))
    if syntax in (Syntax.CII, Syntax.FACTURX) and profile in _EXACT_CII:
        xml = data if syntax is Syntax.CII else write_cii(invoice, profile)
        stated = cii_as_written(invoice, profile)
        return Document(name, syntax, profile, stated, xml, data, parse_xml(xml))
    return read_document(data, name)
