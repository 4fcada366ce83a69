"""On the CEN's whole invoices, native and official verdicts are the same.

Every example of the CEN corpus (UBL and CII) and every UBL test file (Peppol BIS Billing
samples, minimum and maximum content) is judged twice: by the official schematron on the file
as it is, and by :func:`check_en16931` on what the project readers make of it. CII files are
judged by the Factur-X EN 16931 schematron, so the rules it words differently are left out
(``FACTURX_WORDING``), and so are the rules the native engine does not check.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chorusflow.formats import cii, ubl
from chorusflow.formats.xml import parse_xml
from chorusflow.rules.en16931 import NOT_CHECKED, check_en16931
from chorusflow.rules.official import Artefact, schematron_findings
from tests.conftest import CORPUS
from tests.rules.en16931.test_differential import FACTURX_WORDING

FILES = sorted(
    [
        *(CORPUS / "ubl" / "examples").glob("*"),
        *(CORPUS / "cii" / "examples").glob("*"),
        *(CORPUS / "test" / "testfiles").glob("*.xml"),
    ]
)


def test_the_corpus_has_its_whole_invoices() -> None:
    assert len(FILES) >= 19 + 15 + 29


@pytest.mark.parametrize("path", FILES, ids=lambda path: Path(path).name)
def test_a_cen_invoice_gets_the_official_verdict(path: Path) -> None:
    root = parse_xml(path.read_bytes())
    left_out = set(NOT_CHECKED)
    if ubl.is_ubl(root):
        credit_note = root.tag.endswith("}CreditNote")
        artefact = Artefact.UBL_CREDIT_NOTE if credit_note else Artefact.UBL_INVOICE
        invoice = ubl.read_ubl(root)
    else:
        artefact = Artefact.FACTURX_EN16931
        invoice = cii.read_cii(root)
        left_out |= set(FACTURX_WORDING)
    official = {f.rule for f in schematron_findings(root, artefact) if f.rule.startswith("BR-")}
    native = {f.rule for f in check_en16931(invoice)}
    if artefact is Artefact.FACTURX_EN16931:  # it has no code-list rules
        native = {rule for rule in native if not rule.startswith("BR-CL-")}
    assert native - left_out == official - left_out
