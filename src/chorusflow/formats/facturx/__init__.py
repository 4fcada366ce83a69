"""Factur-X: a PDF/A-3b invoice for people with its CII XML embedded for machines.

``render_pdf`` draws the invoice, ``embed_xml`` adds the XML to any PDF, ``write_facturx``
does both from the model, and ``extract_xml`` gets the XML back out of a Factur-X or ZUGFeRD
file. The Factur-X layer is checked by :func:`chorusflow.rules.facturx.check_facturx`.
"""

from chorusflow.formats.facturx.embed import ExtraFile, af_relationship, embed_xml
from chorusflow.formats.facturx.extract import EmbeddedInvoice, extract_xml
from chorusflow.formats.facturx.render import render_pdf
from chorusflow.formats.facturx.writer import supporting_files, write_facturx
from chorusflow.formats.facturx.xmp import FACTURX_FILENAME

__all__ = [
    "FACTURX_FILENAME",
    "EmbeddedInvoice",
    "ExtraFile",
    "af_relationship",
    "embed_xml",
    "extract_xml",
    "render_pdf",
    "supporting_files",
    "write_facturx",
]
