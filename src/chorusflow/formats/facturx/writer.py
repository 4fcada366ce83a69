"""A Factur-X file from the model: the rendered (or the user's) PDF with the CII embedded."""

from __future__ import annotations

from typing import Final

from chorusflow.formats.cii import write_cii
from chorusflow.formats.facturx.embed import ExtraFile, _embed
from chorusflow.formats.facturx.render import render_pdf
from chorusflow.formats.profiles import Profile
from chorusflow.model import Invoice

#: Profiles whose CII carries the attached documents themselves (BT-125).
_XML_CARRIES_ATTACHMENTS: Final = frozenset({Profile.EN16931, Profile.EXTENDED})


def supporting_files(invoice: Invoice, profile: Profile) -> list[ExtraFile]:
    """The invoice's attached documents (BG-24) to embed beside the XML.

    At EN 16931 and EXTENDED the CII already holds them (BT-125): embedding them again would
    double the file for nothing, so none are. Below, the XML cannot hold them, so they become
    PDF attachments with AFRelationship Supplement, and nothing the invoice carries is lost.
    """
    if profile in _XML_CARRIES_ATTACHMENTS:
        return []
    files = []
    for document in invoice.supporting_documents:
        attachment = document.attachment
        if attachment is None:
            continue
        name = attachment.filename or f"{document.reference or 'attachment'}.bin"
        files.append(
            ExtraFile(
                filename=name.replace("/", "-"),
                content=attachment.content,
                mime_type=attachment.mime_code or "application/octet-stream",
                description=document.description or document.reference or "",
            )
        )
    return files


def write_facturx(
    invoice: Invoice, profile: Profile = Profile.EN16931, pdf: bytes | None = None
) -> bytes:
    """The Factur-X file of ``invoice`` at ``profile``, on ``pdf`` or on a rendered page.

    The XML is :func:`chorusflow.formats.cii.write_cii`'s, embedded byte for byte.
    """
    xml = write_cii(invoice, profile)
    visual = render_pdf(invoice) if pdf is None else pdf
    extras = supporting_files(invoice, profile)
    return _embed(visual, xml, profile, extras, None, own_render=pdf is None)
