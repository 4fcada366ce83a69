"""Getting the invoice XML out of a Factur-X or ZUGFeRD PDF.

The XML is looked for among the PDF's embedded files under the names the specifications
give it: ``factur-x.xml`` (Factur-X, ZUGFeRD 2.1+), ``zugferd-invoice.xml`` (ZUGFeRD 2.0),
``ZUGFeRD-invoice.xml`` (ZUGFeRD 1.0) and ``xrechnung.xml`` (ZUGFeRD 2.1 XRechnung profile),
in that order and regardless of case, first in the /EmbeddedFiles name tree, then among the
catalog's associated files (/AF). The bytes come back exactly as embedded; the XML is parsed
(safely) only to make sure it is XML, so a PDF whose "invoice" is garbage is refused here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

import pikepdf

from chorusflow.errors import InputError
from chorusflow.formats.facturx.pdf import open_pdf, read_stream
from chorusflow.formats.limits import MAX_XML_BYTES
from chorusflow.formats.xml import parse_xml

#: Names of the invoice XML, in the order they are looked for.
XML_FILENAMES: Final = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")


@dataclass(frozen=True, slots=True)
class EmbeddedInvoice:
    """The invoice XML found in a PDF, with the name it was embedded under."""

    filename: str
    xml: bytes


def _filespec_name(spec: pikepdf.Object) -> str | None:
    if not isinstance(spec, pikepdf.Dictionary):
        return None
    for key in ("/UF", "/F"):
        value = spec.get(key)
        if isinstance(value, pikepdf.String):
            return str(value)
    return None


def _embedded_stream(spec: pikepdf.Object) -> pikepdf.Stream | None:
    if not isinstance(spec, pikepdf.Dictionary):
        return None
    files = spec.get("/EF")
    if not isinstance(files, pikepdf.Dictionary):
        return None
    for key in ("/UF", "/F"):
        stream = files.get(key)
        if isinstance(stream, pikepdf.Stream):
            return stream
    return None


def embedded_files(pdf: pikepdf.Pdf) -> Iterator[tuple[str, pikepdf.Object]]:
    """(name, file specification) of every embedded file: name tree first, then /AF."""
    seen: set[tuple[int, int]] = set()
    try:
        attachments = list(pdf.attachments.items())
    except (pikepdf.PdfError, ValueError, TypeError):
        attachments = []
    for name, helper in attachments:
        seen.add(helper.obj.objgen)
        yield name, helper.obj
    af = pdf.Root.get("/AF")
    if isinstance(af, pikepdf.Array):
        for spec in af:
            if not isinstance(spec, pikepdf.Dictionary):  # null or missing (the soak found it)
                continue
            if spec.is_indirect and spec.objgen in seen:
                continue
            spec_name = _filespec_name(spec)
            if spec_name is not None:
                yield spec_name, spec


def find_invoice_xml(pdf: pikepdf.Pdf) -> tuple[str, pikepdf.Stream] | None:
    """The name and stream of the invoice XML, by the order of :data:`XML_FILENAMES`."""
    found: dict[str, tuple[str, pikepdf.Stream]] = {}
    for name, spec in embedded_files(pdf):
        key = name.strip().lower()
        stream = _embedded_stream(spec)
        if key not in XML_FILENAMES or stream is None:
            continue
        if key in found and found[key][1].objgen != stream.objgen:
            # two different invoices under one name: which one is meant cannot be told
            raise InputError(
                f"The PDF embeds two different files named {name}, so its invoice is ambiguous.",
                "Embed the invoice XML once (chorusflow convert --to facturx --pdf FILE).",
            )
        found.setdefault(key, (name, stream))
    for wanted in XML_FILENAMES:
        if wanted in found:
            return found[wanted]
    return None


def extract_xml(pdf: bytes) -> EmbeddedInvoice:
    """The invoice XML embedded in a Factur-X or ZUGFeRD PDF, byte for byte."""
    with open_pdf(pdf) as document:
        found = find_invoice_xml(document)
        if found is None:
            names = [name for name, _ in embedded_files(document)]
            listed = f" (it embeds {', '.join(sorted(names)[:5])})" if names else ""
            raise InputError(
                f"The PDF carries no invoice XML: no factur-x.xml or ZUGFeRD file is "
                f"embedded in it{listed}.",
                "Give a Factur-X PDF, or embed the XML with `chorusflow convert`.",
            )
        name, stream = found
        xml = read_stream(stream, MAX_XML_BYTES, f"embedded {name}")
    parse_xml(xml, f"embedded {name}")
    return EmbeddedInvoice(name, xml)
