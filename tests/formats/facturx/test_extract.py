"""Extraction from Factur-X and ZUGFeRD files, and refusal of bad or hostile PDFs."""

from __future__ import annotations

import io
import time
import zlib
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Name

from chorusflow.errors import InputError
from chorusflow.formats.facturx import embed_xml, extract_xml
from chorusflow.formats.files import read_input
from chorusflow.formats.limits import MAX_INPUT_BYTES, MiB
from chorusflow.formats.profiles import Profile
from chorusflow.rules.facturx import check_facturx
from tests.formats.facturx.conftest import CEN_CII, facturx_made, rendered

XML = (CEN_CII / "CII_example1.xml").read_bytes()


def one_sentence(error: InputError) -> None:
    assert error.message.endswith(".")
    assert "\n" not in str(error)
    assert "Traceback" not in str(error)


def test_files_made_by_the_factur_x_package_extract_byte_identical(cen_cii: Path) -> None:
    found = extract_xml(facturx_made(cen_cii))
    assert found.filename == "factur-x.xml"
    assert found.xml == cen_cii.read_bytes()


def with_attachment(name: str, data: bytes) -> bytes:
    """A PDF with one embedded file, as another producer would make it."""
    with pikepdf.open(io.BytesIO(rendered("simple-invoice"))) as document:
        spec = pikepdf.AttachedFileSpec(
            document,
            data,
            description="",
            filename=name,
            mime_type="text/xml",
            creation_date="",
            mod_date="",
        )
        document.attachments[name] = spec
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


@pytest.mark.parametrize(
    "name", ["ZUGFeRD-invoice.xml", "zugferd-invoice.xml", "xrechnung.xml", "Factur-X.xml"]
)
def test_zugferd_names_are_found(name: str) -> None:
    found = extract_xml(with_attachment(name, XML))
    assert (found.filename, found.xml) == (name, XML)


def test_factur_x_wins_over_other_names() -> None:
    pdf = embed_xml(with_attachment("zugferd-invoice.xml", b"<old/>"), XML, Profile.EN16931)
    # embedding replaced the ZUGFeRD XML; a PDF holding both would give factur-x.xml first
    assert extract_xml(pdf).filename == "factur-x.xml"


def refused(pdf: bytes, *words: str) -> InputError:
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        extract_xml(pdf)
    assert time.perf_counter() - started < 10, "refusing bad input must not take long"
    one_sentence(caught.value)
    for word in words:
        assert word in caught.value.message
    return caught.value


def test_a_pdf_without_xml_is_refused() -> None:
    refused(rendered("simple-invoice"), "no invoice XML")


def test_a_pdf_with_other_attachments_names_them() -> None:
    refused(with_attachment("notes.txt", b"hello"), "notes.txt")


def test_a_truncated_pdf_is_refused() -> None:
    pdf = embed_xml(rendered("simple-invoice"), XML, Profile.EN16931)
    refused(pdf[: len(pdf) // 2], "truncated")
    refused(pdf[:-40], "truncated")


@pytest.mark.parametrize(
    "data", [b"", b"hello", b'{"number": "1"}', b"\x89PNG\r\n\x1a\n" + bytes(99)]
)
def test_not_a_pdf_is_refused(data: bytes) -> None:
    refused(data, "not a PDF")


def test_an_oversized_pdf_is_refused_before_parsing() -> None:
    refused(b"%PDF-1.7\n" + bytes(MAX_INPUT_BYTES), "limit")


def test_a_200_mb_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    with big.open("wb") as handle:  # sparse: nothing is written but the size
        handle.truncate(200 * MiB)
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        read_input(big)
    assert time.perf_counter() - started < 1
    assert "200 MiB" in caught.value.message
    one_sentence(caught.value)


def test_read_input_reads_what_fits(tmp_path: Path) -> None:
    path = tmp_path / "invoice.pdf"
    path.write_bytes(b"%PDF-1.7 tiny")
    assert read_input(path) == b"%PDF-1.7 tiny"
    with pytest.raises(InputError, match="does not exist"):
        read_input(tmp_path / "missing.pdf")


def bomb_stream(size: int) -> bytes:
    """Flate data inflating to ``size`` spaces, built without holding them in memory."""
    packer = zlib.compressobj(9)
    chunk = b" " * MiB
    parts = [packer.compress(chunk) for _ in range(size // MiB)]
    return b"".join(parts) + packer.flush()


def with_raw_xml_stream(raw: bytes) -> bytes:
    """A PDF whose factur-x.xml stream holds ``raw`` as Flate data, as a hostile file would."""
    with pikepdf.open(io.BytesIO(rendered("simple-invoice"))) as document:
        stream = pikepdf.Stream(document, b"")
        stream.write(raw, filter=Name.FlateDecode)
        stream.Type = Name.EmbeddedFile
        stream.Subtype = Name("/text/xml")
        spec = document.make_indirect(
            pikepdf.Dictionary(
                Type=Name.Filespec,
                F=pikepdf.String("factur-x.xml"),
                UF=pikepdf.String("factur-x.xml"),
                EF=pikepdf.Dictionary(F=stream),
                AFRelationship=Name.Alternative,
            )
        )
        document.Root.AF = pikepdf.Array([spec])
        document.Root.Names = pikepdf.Dictionary(
            EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array(["factur-x.xml", spec]))
        )
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def test_a_decompression_bomb_is_refused_quickly() -> None:
    pdf = with_raw_xml_stream(bomb_stream(100 * MiB))
    assert len(pdf) < 2 * MiB
    refused(pdf, "inflates to more than 32 MiB")
    findings = check_facturx(pdf)
    assert "FX-PDF-08" in {f.rule for f in findings}


def test_corrupt_compressed_xml_is_refused() -> None:
    refused(with_raw_xml_stream(b"this is not flate data"), "corrupt")
    refused(with_raw_xml_stream(zlib.compress(XML)[:-30]), "truncated")


def test_embedded_garbage_is_refused() -> None:
    refused(with_attachment("factur-x.xml", b"\x00\x01 not xml"), "not well-formed")


def test_an_encrypted_pdf_is_refused() -> None:
    with pikepdf.open(io.BytesIO(rendered("simple-invoice"))) as document:
        out = io.BytesIO()
        document.save(out, encryption=pikepdf.Encryption(owner="o", user="u"))
    refused(out.getvalue(), "encrypted")
