"""Embedding the XML into a PDF: ours, a user's plain PDF, a PDF/A one."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from facturx import get_facturx_xml_from_pdf

from chorusflow.formats.facturx import ExtraFile, af_relationship, embed_xml, extract_xml
from chorusflow.formats.profiles import Profile
from chorusflow.rules.facturx import check_facturx
from tests.formats.facturx.conftest import CEN_CII, plain_pdf, rendered

XML = (CEN_CII / "CII_example1.xml").read_bytes()


def rules(pdf: bytes) -> set[str]:
    return {finding.rule for finding in check_facturx(pdf)}


def test_embedding_into_our_pdfa_gives_a_clean_facturx() -> None:
    out = embed_xml(rendered("simple-invoice"), XML, Profile.EN16931)
    assert extract_xml(out).xml == XML
    assert check_facturx(out) == []


def test_the_factur_x_package_reads_what_we_embed(cen_cii: Path) -> None:
    xml = cen_cii.read_bytes()
    out = embed_xml(rendered("simple-invoice"), xml, Profile.EN16931)
    filename, found = get_facturx_xml_from_pdf(out, check_xsd=False)
    assert (filename, found) == ("factur-x.xml", xml)


def test_a_plain_pdf_gets_the_facturx_layer_but_stays_not_pdfa() -> None:
    """A non-PDF/A input: the XML, /AF and XMP are there, the visual layer is reported."""
    out = embed_xml(plain_pdf(), XML, Profile.EN16931)
    assert extract_xml(out).xml == XML
    findings = check_facturx(out)
    assert findings, "a core-font PDF without output intent is not PDF/A-3b"
    assert {f.rule for f in findings} <= {"FX-PDF-30", "FX-PDF-31"}  # visual layer only
    messages = " ".join(f.message_en for f in findings)
    assert "font" in messages.lower() or "OutputIntent" in messages


def test_embedding_twice_replaces_the_xml() -> None:
    once = embed_xml(rendered("simple-invoice"), b"<old/>", Profile.EN16931)
    twice = embed_xml(once, XML, Profile.BASIC)
    assert extract_xml(twice).xml == XML
    with pikepdf.open(io.BytesIO(twice)) as document:
        assert list(document.attachments) == ["factur-x.xml"]
        assert len(document.Root.AF) == 1


@pytest.mark.parametrize(
    ("profile", "relationship"),
    [
        (Profile.MINIMUM, "/Data"),
        (Profile.BASIC_WL, "/Data"),
        (Profile.BASIC, "/Alternative"),
        (Profile.EN16931, "/Alternative"),
        (Profile.EXTENDED, "/Alternative"),
    ],
)
def test_af_relationship_follows_the_profile(profile: Profile, relationship: str) -> None:
    assert "/" + af_relationship(profile) == relationship
    out = embed_xml(rendered("simple-invoice"), XML, profile)
    with pikepdf.open(io.BytesIO(out)) as document:
        spec = document.Root.AF[0]
        assert str(spec.AFRelationship) == relationship
        assert str(spec.EF.F.Subtype) == "/text/xml"
        assert document.open_metadata().pdfa_status == "3B"


def test_extra_files_are_supplements_listed_in_af() -> None:
    extras = [
        ExtraFile("releve.csv", b"a;b\n1;2\n", "text/csv", "Relevé"),
        ExtraFile("factur-x.xml", b"not the invoice", "text/plain"),  # renamed, not a clash
    ]
    out = embed_xml(rendered("simple-invoice"), XML, Profile.BASIC, extra_files=extras)
    assert extract_xml(out).xml == XML
    with pikepdf.open(io.BytesIO(out)) as document:
        names = sorted(document.attachments)
        assert names == ["factur-x-2.xml", "factur-x.xml", "releve.csv"]
        relationships = sorted(str(spec.AFRelationship) for spec in document.Root.AF)
        assert relationships == ["/Alternative", "/Supplement", "/Supplement"]
        assert document.attachments["releve.csv"].get_file().read_bytes() == b"a;b\n1;2\n"
    # the XML declares EN 16931 and was embedded as BASIC: only that mismatch is reported
    assert rules(out) == {"FX-PDF-29"}


def test_the_xmp_keeps_the_pdfs_own_metadata() -> None:
    out = embed_xml(rendered("simple-invoice"), XML, Profile.EN16931)
    with pikepdf.open(io.BytesIO(out)) as document:
        meta = document.open_metadata()
        assert meta["dc:title"] == "Facture / Invoice FA-2026-0001"
        assert meta["pdf:Producer"] == "chorusflow"
