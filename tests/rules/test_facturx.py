"""check_facturx: nothing on good files, the right rule on each deliberately broken one."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache

import pikepdf
import pytest
from lxml import etree
from pikepdf import Name

from chorusflow.errors import InputError
from chorusflow.formats.facturx import embed_xml
from chorusflow.formats.facturx.xmp import NS_FX, NS_PDFA_EXTENSION, NS_PDFAID, facturx_xmp
from chorusflow.formats.profiles import Profile
from chorusflow.formats.xml import parse_xml
from chorusflow.rules.facturx import check_facturx
from chorusflow.rules.findings import Layer, Severity
from tests.formats.facturx.conftest import CEN_CII, cen_cii_paths, facturx_made, rendered
from tests.formats.facturx.test_extract import bomb_stream

XML = (CEN_CII / "CII_example1.xml").read_bytes()


@cache
def good() -> bytes:
    return embed_xml(rendered("simple-invoice"), XML, Profile.EN16931)


def broken(change: Callable[[pikepdf.Pdf], None], source: bytes | None = None) -> bytes:
    with pikepdf.open(io.BytesIO(source or good())) as document:
        change(document)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def rules(pdf: bytes) -> set[str]:
    return {finding.rule for finding in check_facturx(pdf)}


def set_xmp(document: pikepdf.Pdf, xmp: bytes) -> None:
    document.Root.Metadata = document.make_stream(xmp, Type=Name.Metadata, Subtype=Name.XML)


def edit_xmp(document: pikepdf.Pdf, edit: Callable[[etree._Element], None]) -> None:
    root = parse_xml(document.Root.Metadata.read_bytes())
    edit(root)
    set_xmp(document, etree.tostring(root))


def fx_element(root: etree._Element, name: str) -> etree._Element:
    found = root.find(f".//{{{NS_FX}}}{name}")
    assert found is not None
    return found


def test_our_file_has_no_finding() -> None:
    assert check_facturx(good()) == []


def test_findings_are_factur_x_layer_with_both_languages_and_a_fix() -> None:
    findings = check_facturx(broken(lambda d: d.Root.__delitem__("/AF")))
    assert findings
    for finding in findings:
        assert finding.layer is Layer.FACTURX
        assert finding.rule.startswith("FX-PDF-")
        assert finding.message_en and finding.message_fr and finding.fix
        assert finding.message_en != finding.message_fr


def test_missing_af_in_the_catalog() -> None:
    found = rules(broken(lambda d: d.Root.__delitem__("/AF")))
    assert "FX-PDF-03" in found
    assert "FX-PDF-30" in found  # pikepdf too: an embedded file that is not associated


def test_missing_af_relationship() -> None:
    found = rules(broken(lambda d: d.Root.AF[0].__delitem__("/AFRelationship")))
    assert {rule for rule in found if not rule.startswith("FX-PDF-3")} == {"FX-PDF-04"}
    assert "FX-PDF-30" in found  # PDF/A-3 itself requires it, and pikepdf says so


def test_wrong_af_relationship() -> None:
    def supplement(document: pikepdf.Pdf) -> None:
        document.Root.AF[0].AFRelationship = Name.Supplement

    assert rules(broken(supplement)) == {"FX-PDF-04"}


def test_minimum_must_be_data() -> None:
    minimum = XML.replace(b"urn:cen.eu:en16931:2017", b"urn:factur-x.eu:1p0:minimum", 1)
    pdf = embed_xml(rendered("simple-invoice"), minimum, Profile.MINIMUM)
    assert check_facturx(pdf) == []

    def alternative(document: pikepdf.Pdf) -> None:
        document.Root.AF[0].AFRelationship = Name.Alternative

    assert rules(broken(alternative, pdf)) == {"FX-PDF-11"}


def test_wrong_mime_type() -> None:
    def octets(document: pikepdf.Pdf) -> None:
        document.Root.AF[0].EF.F.Subtype = Name("/application/octet-stream")

    assert rules(broken(octets)) == {"FX-PDF-06"}


def attached_as(name: str) -> bytes:
    with pikepdf.open(io.BytesIO(rendered("simple-invoice"))) as document:
        spec = pikepdf.AttachedFileSpec(
            document,
            XML,
            description="",
            filename=name,
            mime_type="text/xml",
            creation_date="",
            mod_date="D:20260101000000Z",
        )
        document.attachments[name] = spec
        set_xmp(document, facturx_xmp(document.Root.Metadata.read_bytes(), Profile.EN16931))
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def test_wrong_file_name() -> None:
    assert rules(attached_as("invoice.xml")) >= {"FX-PDF-01"}


def test_zugferd_file_name() -> None:
    found = rules(attached_as("zugferd-invoice.xml"))
    assert "FX-PDF-02" in found
    assert "FX-PDF-01" not in found


def test_wrong_xmp_conformance_level() -> None:
    def basic(document: pikepdf.Pdf) -> None:
        set_xmp(document, facturx_xmp(document.Root.Metadata.read_bytes(), Profile.BASIC))

    findings = check_facturx(broken(basic))
    assert [f.rule for f in findings] == ["FX-PDF-29"]
    assert "EN 16931" in findings[0].message_en and "BASIC" in findings[0].message_en


@pytest.mark.parametrize(
    ("name", "value", "rule", "severity"),
    [
        ("DocumentType", "ORDER", "FX-PDF-26", Severity.FATAL),
        ("DocumentFileName", "invoice.xml", "FX-PDF-27", Severity.FATAL),
        ("Version", "2p0", "FX-PDF-28", Severity.WARNING),
    ],
)
def test_wrong_xmp_values(name: str, value: str, rule: str, severity: Severity) -> None:
    def change(document: pikepdf.Pdf) -> None:
        edit_xmp(document, lambda root: setattr(fx_element(root, name), "text", value))

    findings = check_facturx(broken(change))
    assert [(f.rule, f.severity) for f in findings] == [(rule, severity)]


def test_no_extension_schema() -> None:
    def drop_schema(root: etree._Element) -> None:
        for schemas in root.iter(f"{{{NS_PDFA_EXTENSION}}}schemas"):
            description = schemas.getparent()
            assert description is not None
            description.remove(schemas)

    assert rules(broken(lambda d: edit_xmp(d, drop_schema))) == {"FX-PDF-24"}


def test_no_fx_properties() -> None:
    def drop_fx(root: etree._Element) -> None:
        for name in ("DocumentType", "DocumentFileName", "Version", "ConformanceLevel"):
            element = fx_element(root, name)
            parent = element.getparent()
            assert parent is not None
            parent.remove(element)

    assert rules(broken(lambda d: edit_xmp(d, drop_fx))) == {"FX-PDF-22"}


def test_not_pdfa_3() -> None:
    def part_2(root: etree._Element) -> None:
        found = root.find(f".//{{{NS_PDFAID}}}part")
        assert found is not None
        found.text = "2"

    found = rules(broken(lambda d: edit_xmp(d, part_2)))
    assert "FX-PDF-21" in found


def test_no_xmp_at_all() -> None:
    found = rules(broken(lambda d: d.Root.__delitem__("/Metadata")))
    assert "FX-PDF-20" in found
    assert "FX-PDF-30" in found  # and pikepdf misses the PDF/A identification


def test_no_invoice_xml() -> None:
    assert "FX-PDF-01" in rules(rendered("simple-invoice"))


def test_the_xml_profile_is_unknown() -> None:
    other = XML.replace(b"urn:cen.eu:en16931:2017", b"urn:example:custom", 1)
    assert rules(embed_xml(rendered("simple-invoice"), other, Profile.EN16931)) == {"FX-PDF-10"}


def test_a_non_pdf_is_input_error() -> None:
    with pytest.raises(InputError, match="not a PDF"):
        check_facturx(b"<Invoice/>")


def test_factur_x_package_output_is_fine_but_for_its_xmp_form() -> None:
    """The factur-x package's files carry a correct Factur-X layer; pikepdf, however, does
    not see their PDF/A identification: their XMP descriptions lack rdf:about."""
    findings = check_facturx(facturx_made(cen_cii_paths()[4]))
    assert {f.rule for f in findings if not f.rule.startswith("FX-PDF-3")} == set()
    assert any("pdfaid" in f.message_en for f in findings if f.rule == "FX-PDF-30")


def test_a_content_stream_bomb_is_reported_without_exhausting_memory() -> None:
    def bomb(document: pikepdf.Pdf) -> None:
        stream = pikepdf.Stream(document, b"")
        stream.write(bomb_stream(300 * 1024 * 1024), filter=Name.FlateDecode)
        document.pages[0].Contents = document.make_indirect(stream)

    findings = check_facturx(broken(bomb))
    assert [f.rule for f in findings] == ["FX-PDF-30"]
    assert "content stream" in findings[0].message_en
