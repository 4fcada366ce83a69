"""Factur-X test material: CEN CII examples, PDFs made by fpdf2 and by the factur-x package."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import pikepdf
import pytest
from facturx import generate_from_binary
from fpdf import FPDF
from pypdf import PdfReader

from chorusflow.formats.facturx import render_pdf
from chorusflow.formats.model_json import read_json
from tests.conftest import CORPUS, example_paths

CEN_CII = CORPUS / "cii" / "examples"


def cen_cii_paths() -> list[Path]:
    return sorted(CEN_CII.glob("*.xml"))


@cache
def plain_pdf() -> bytes:
    """A PDF a user might have: fpdf2, core font Helvetica, no PDF/A."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Invoice 42 - made by some ERP")
    return bytes(pdf.output())


@cache
def rendered(name: str) -> bytes:
    """The rendered PDF of the example ``name`` (cached: rendering is the slow part)."""
    path = next(p for p in example_paths() if p.stem == name)
    return render_pdf(read_json(path.read_bytes()))


@cache
def facturx_made(path: Path) -> bytes:
    """A Factur-X made by the factur-x package itself from a CEN CII example."""
    made = generate_from_binary(
        rendered("simple-invoice"),
        path.read_bytes(),
        flavor="factur-x",
        level="en16931",
        check_xsd=False,
    )
    return bytes(made)


def page_text(pdf: bytes) -> str:
    """All the text a reader extracts from the pages (through the fonts' ToUnicode maps)."""
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def page_count(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


@pytest.fixture(params=cen_cii_paths(), ids=lambda p: p.stem)
def cen_cii(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path
