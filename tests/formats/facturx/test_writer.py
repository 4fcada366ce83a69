"""write_facturx: the whole Factur-X file, and which attached documents go into the PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from chorusflow.formats.cii import write_cii
from chorusflow.formats.facturx import extract_xml, supporting_files, write_facturx
from chorusflow.formats.model_json import read_json
from chorusflow.formats.profiles import Profile
from chorusflow.model import Invoice
from chorusflow.rules.facturx import check_facturx
from tests.conftest import EXAMPLES
from tests.strategies import invoices

INVOICE = read_json((EXAMPLES / "with-attachments.json").read_bytes())


@pytest.mark.parametrize("profile", [Profile.EN16931, Profile.EXTENDED])
def test_profiles_whose_xml_holds_attachments_embed_none_again(profile: Profile) -> None:
    assert supporting_files(INVOICE, profile) == []


@pytest.mark.parametrize("profile", [Profile.MINIMUM, Profile.BASIC_WL, Profile.BASIC])
def test_poorer_profiles_embed_the_attached_documents(profile: Profile) -> None:
    files = supporting_files(INVOICE, profile)
    # the third supporting document is an external URI (BT-124): nothing to embed
    assert [(f.filename, f.mime_type, f.relationship) for f in files] == [
        ("pv-reception.pdf", "application/pdf", "Supplement"),
        ("releve-heures.csv", "text/csv", "Supplement"),
    ]
    attachment = INVOICE.supporting_documents[1].attachment
    assert attachment is not None
    assert files[1].content == attachment.content
    assert files[1].description == "Relevé des heures d'intervention"


# --- the whole file: render + CII + embed, read back --------------------------------------


def _round_trip(invoice: Invoice, profile: Profile) -> None:
    pdf = write_facturx(invoice, profile)
    embedded = extract_xml(pdf)
    assert embedded.filename == "factur-x.xml"
    assert embedded.xml == write_cii(invoice, profile)  # byte for byte
    assert check_facturx(pdf) == []  # Factur-X layer and pikepdf's PDF/A-3b check


@pytest.mark.parametrize("profile", list(Profile))
def test_every_example_makes_a_clean_facturx_whose_xml_extracts_byte_identical(
    example_path: Path, profile: Profile
) -> None:
    _round_trip(read_json(example_path.read_bytes()), profile)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoices())
def test_random_invoices_make_clean_facturx(invoice: Invoice) -> None:
    _round_trip(invoice, Profile.EN16931)
