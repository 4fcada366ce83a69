"""write_facturx: which of an invoice's attached documents go into the PDF, per profile."""

from __future__ import annotations

import pytest

from chorusflow.formats.facturx import supporting_files
from chorusflow.formats.model_json import read_json
from chorusflow.formats.profiles import Profile
from tests.conftest import EXAMPLES

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
