"""From a deposited file to the invoice the checks judge, through the project's one reader.

Chorus Pro takes structured invoices only (UBL, CII, Factur-X): a JSON document, which
:func:`chorusflow.formats.document.read_document` also reads, is refused here.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from chorusflow.errors import InputError
from chorusflow.formats.cii import profile_of
from chorusflow.formats.document import Document, detect, read_document
from chorusflow.formats.facturx import extract_xml
from chorusflow.formats.profiles import Profile, Syntax
from chorusflow.formats.xml import parse_xml
from chorusflow.model import Invoice
from chorusflow.rules.findings import Finding
from chorusflow.rules.official import Artefact, xsd_findings
from chorusflow.rules.validate import artefact_for


@dataclass(frozen=True, slots=True)
class ReadInvoice:
    """An invoice file as the sandbox understood it."""

    document: Document
    root: etree._Element
    artefact: Artefact

    @property
    def syntax(self) -> Syntax:
        return self.document.syntax

    @property
    def profile(self) -> Profile | None:
        return self.document.profile

    @property
    def xml(self) -> bytes:
        assert self.document.xml is not None
        return self.document.xml

    @property
    def invoice(self) -> Invoice:
        return self.document.invoice


def read_invoice_file(data: bytes, name: str = "fichier de facture") -> ReadInvoice:
    """Read a Factur-X PDF, a CII or a UBL invoice; InputError when it is none of them."""
    document = read_document(data, name)
    if document.root is None:
        raise InputError(
            "Le fichier n'est pas une facture structurée : Chorus Pro reçoit UBL, CII ou "
            "Factur-X, pas de JSON."
        )
    root = document.root
    return ReadInvoice(document, root, artefact_for(document.syntax, document.profile, root))


def schema_errors(data: bytes) -> list[Finding]:
    """The XSD's fatal findings on a file whose invoice could not be read.

    Chorus Pro validates a file against its schema before reading it, so a value our reader
    refuses (a date that is not one) is first an XSD error (irrecevability, ERR_XSD_001).
    Empty when the file is no XML invoice at all.
    """
    try:
        xml = extract_xml(data).xml if b"%PDF-" in data[:1024] else data
        syntax = detect(xml)
        root = parse_xml(xml)
    except InputError:
        return []
    if syntax not in (Syntax.CII, Syntax.UBL):
        return []
    profile = profile_of(root) if syntax is Syntax.CII else None
    return [f for f in xsd_findings(root, artefact_for(syntax, profile, root)) if f.fatal]
