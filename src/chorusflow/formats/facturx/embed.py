"""Embedding the invoice XML into a PDF: the Factur-X layer.

The XML becomes the embedded file ``factur-x.xml`` (MIME text/xml), listed in the document's
/EmbeddedFiles name tree and in the catalog's /AF array (PDF/A-3 associated file), its file
specification stating the AFRelationship; the XMP gains the PDF/A-3b identification and the
``fx:`` properties with their extension schema (:mod:`.xmp`).

AFRelationship (Factur-X 1.0 specification, « Data relationship »): MINIMUM and BASIC WL do not
hold a complete invoice, so their XML is ``Data`` for the PDF, which stays the invoice; from
BASIC on, the XML is the invoice itself and the PDF its human-readable rendering, so the XML
is its ``Alternative``. (The factur-x package writes ``Data`` by default.)

The work is done with pikepdf in one open/save, in memory: about 1 ms for a one-page invoice,
where factur-x's ``generate_from_binary`` re-parses the XML, checks it against the XSD,
clones the whole PDF with pypdf and goes through a temporary file (about 6 ms). Its XMP also
omits ``rdf:about`` on its descriptions, which pikepdf's PDF/A reader then ignores, PDF/A
identification included (see docs/decisions.md, Factur-X).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import pikepdf
from pikepdf import Name

from chorusflow.errors import InputError
from chorusflow.formats.facturx.pdf import open_pdf, read_stream
from chorusflow.formats.facturx.xmp import FACTURX_FILENAME, facturx_xmp
from chorusflow.formats.limits import MAX_XML_BYTES
from chorusflow.formats.profiles import Profile

#: File names that hold the invoice XML in Factur-X and ZUGFeRD files; an embed replaces them.
INVOICE_FILENAMES: Final = (
    FACTURX_FILENAME,
    "zugferd-invoice.xml",
    "ZUGFeRD-invoice.xml",
    "xrechnung.xml",
)
_DATA_PROFILES: Final = frozenset({Profile.MINIMUM, Profile.BASIC_WL})


def af_relationship(profile: Profile) -> str:
    """The AFRelationship of factur-x.xml at ``profile`` (``Data`` or ``Alternative``)."""
    return "Data" if profile in _DATA_PROFILES else "Alternative"


@dataclass(frozen=True, slots=True)
class ExtraFile:
    """A further file to embed beside the XML (an invoice's supporting document, BG-24)."""

    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"
    description: str = ""
    relationship: str = "Supplement"


def xmp_bytes(metadata: object) -> bytes | None:
    """The XMP packet of a /Metadata entry, or None when there is none or it is unreadable."""
    if not isinstance(metadata, pikepdf.Stream):
        return None
    try:
        return read_stream(metadata, MAX_XML_BYTES, "XMP metadata")
    except InputError:
        return None


def _pdf_date(moment: dt.datetime) -> str:
    return moment.strftime("D:%Y%m%d%H%M%SZ")


def _forget(pdf: pikepdf.Pdf, filenames: set[str]) -> None:
    """Drop earlier files of these names (case-insensitive) from the name tree and /AF."""
    lowered = {name.lower() for name in filenames}
    stale = [name for name in pdf.attachments if name.lower() in lowered]
    stale_objects = set()
    for name in stale:
        stale_objects.add(pdf.attachments[name].obj.objgen)
        del pdf.attachments[name]
    af = pdf.Root.get("/AF")
    if isinstance(af, pikepdf.Array) and stale_objects:
        kept = [item for item in af if item.objgen not in stale_objects]
        pdf.Root.AF = pdf.make_indirect(pikepdf.Array(kept)) if af.is_indirect else kept


def _attach(pdf: pikepdf.Pdf, file: ExtraFile, moment: str) -> None:
    # pikepdf's stub omits ``relationship``, which its constructor takes (pikepdf >= 8)
    spec = pikepdf.AttachedFileSpec(  # type: ignore[call-arg]
        pdf,
        file.content,
        description=file.description,
        filename=file.filename,
        mime_type=file.mime_type,
        creation_date=moment,
        mod_date=moment,
        relationship=Name("/" + file.relationship),
    )
    pdf.attachments[file.filename] = spec
    filespec = pdf.attachments[file.filename].obj  # the indirect object the name tree holds
    af = pdf.Root.get("/AF")
    if not isinstance(af, pikepdf.Array):
        af = pikepdf.Array()
        pdf.Root.AF = af
        af = pdf.Root.AF
    if all(not item.is_indirect or item.objgen != filespec.objgen for item in af):
        af.append(filespec)


def _unique(files: Sequence[ExtraFile]) -> list[ExtraFile]:
    """Extra files with names that clash neither with the XML nor with each other."""
    taken = {name.lower() for name in INVOICE_FILENAMES}
    out: list[ExtraFile] = []
    for file in files:
        stem, dot, suffix = file.filename.rpartition(".")
        base, ext = (stem, dot + suffix) if dot and stem else (file.filename, "")
        name, counter = file.filename or "attachment", 2
        while name.lower() in taken:
            name, counter = f"{base}-{counter}{ext}", counter + 1
        taken.add(name.lower())
        out.append(
            ExtraFile(name, file.content, file.mime_type, file.description, file.relationship)
        )
    return out


def embed_xml(
    pdf: bytes,
    xml: bytes,
    profile: Profile,
    *,
    extra_files: Sequence[ExtraFile] = (),
    moment: dt.datetime | None = None,
) -> bytes:
    """``pdf`` with ``xml`` embedded as factur-x.xml at ``profile``: a Factur-X file.

    The visual layer is kept as it is: a PDF that is not PDF/A-3b already does not become
    one (fonts cannot be embedded after the fact), and :func:`chorusflow.rules.facturx.
    check_facturx` reports it. An invoice XML already embedded (Factur-X or ZUGFeRD names)
    is replaced, so embedding twice gives one XML.
    """
    return _embed(pdf, xml, profile, extra_files, moment, own_render=False)


def _embed(
    pdf: bytes,
    xml: bytes,
    profile: Profile,
    extra_files: Sequence[ExtraFile],
    moment: dt.datetime | None,
    *,
    own_render: bool,
) -> bytes:
    """:func:`embed_xml`; with ``own_render``, also drops fpdf2's opening zoom (/OpenAction).

    fpdf2 always writes an /OpenAction destination, which pikepdf's PDF/A validator does not
    check; on a PDF we rendered ourselves nothing depends on it, so the file goes without.
    """
    stamp = _pdf_date(moment or dt.datetime.now(dt.UTC))
    extras = _unique(extra_files)
    with open_pdf(pdf, "PDF to embed the invoice into") as document:
        _forget(document, {*INVOICE_FILENAMES, *(file.filename for file in extras)})
        _attach(
            document,
            ExtraFile(
                FACTURX_FILENAME,
                xml,
                "text/xml",
                "Factur-X invoice (UN/CEFACT CII)",
                af_relationship(profile),
            ),
            stamp,
        )
        for file in extras:
            _attach(document, file, stamp)
        metadata = document.Root.get("/Metadata")
        existing = xmp_bytes(metadata)
        stream = document.make_stream(facturx_xmp(existing, profile))
        stream.Type = Name.Metadata
        stream.Subtype = Name.XML
        document.Root.Metadata = stream
        if own_render and "/OpenAction" in document.Root:
            del document.Root.OpenAction
        out = io.BytesIO()
        document.save(out, fix_metadata_version=False)
        return out.getvalue()
