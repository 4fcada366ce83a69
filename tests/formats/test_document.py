"""One entry for every invoice file: the syntax is recognised and read once, or refused clearly."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from chorusflow.errors import EXIT_UNREADABLE, InputError
from chorusflow.formats.cii import write_cii
from chorusflow.formats.document import detect, read_document, read_path, written_document
from chorusflow.formats.facturx import write_facturx
from chorusflow.formats.model_json import read_json
from chorusflow.formats.profiles import Profile, Syntax
from chorusflow.formats.ubl import write_ubl
from chorusflow.model import Invoice
from tests.conftest import CORPUS, EXAMPLES
from tests.strategies import invoices

SIMPLE = read_json((EXAMPLES / "simple-invoice.json").read_bytes())


def test_each_syntax_is_recognised_and_read_to_the_same_invoice() -> None:
    cii, ubl = write_cii(SIMPLE, Profile.EN16931), write_ubl(SIMPLE)
    pdf = write_facturx(SIMPLE, Profile.EN16931)
    documents = {
        Syntax.JSON: read_document((EXAMPLES / "simple-invoice.json").read_bytes(), "a.json"),
        Syntax.CII: read_document(cii, "a.xml"),
        Syntax.UBL: read_document(ubl, "a.xml"),
        Syntax.FACTURX: read_document(pdf, "a.pdf"),
    }
    for syntax, document in documents.items():
        assert document.syntax is syntax
        assert document.invoice.number == SIMPLE.number
        assert document.invoice.totals == SIMPLE.totals
    assert documents[Syntax.CII].profile is Profile.EN16931
    assert documents[Syntax.FACTURX].profile is Profile.EN16931
    assert documents[Syntax.FACTURX].xml == cii  # the embedded XML, as embedded
    assert documents[Syntax.UBL].xml == ubl and documents[Syntax.UBL].profile is None
    assert documents[Syntax.JSON].xml is None
    assert detect(pdf) is Syntax.FACTURX and detect(ubl) is Syntax.UBL


def test_corpus_files_are_read_from_disk(tmp_path: Path) -> None:
    cii = read_path(CORPUS / "cii" / "examples" / "CII_example1.xml")
    ubl = read_path(CORPUS / "ubl" / "examples" / "ubl-tc434-creditnote1.xml")
    assert (cii.syntax, ubl.syntax) == (Syntax.CII, Syntax.UBL)
    assert ubl.invoice.is_credit_note and cii.name == "CII_example1.xml"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"PK\x03\x04 zip", "neither JSON, XML nor PDF"),
        (b"<html><body/></html>", "root is <html>"),
        (b"<Invoice>", "not well-formed"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "DTD"),
        (b"%PDF-1.7\n%%EOF", "PDF"),
        (b'{"number": ', "not valid JSON"),
    ],
)
def test_what_is_no_invoice_is_refused_in_one_sentence(data: bytes, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        read_document(data, "in")
    assert expected in str(caught.value)
    assert caught.value.exit_code == EXIT_UNREADABLE and "\n" not in str(caught.value)


def test_a_missing_or_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_path(tmp_path / "nope.xml")
    big = tmp_path / "big.xml"
    with big.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: costs nothing, reads would
    with pytest.raises(InputError, match="over the 64 MiB limit"):
        read_path(big)


# --- a file chorusflow has just written -------------------------------------------------

_WRITERS = {
    Syntax.UBL: lambda invoice: write_ubl(invoice),
    Syntax.CII: lambda invoice: write_cii(invoice, Profile.EN16931),
}


def _same_as_read_back(invoice: Invoice, syntax: Syntax) -> None:
    data = _WRITERS[syntax](invoice)
    profile = Profile.EN16931 if syntax is Syntax.CII else None
    written = written_document(invoice, syntax, profile, data, "w.xml")
    read = read_document(data, "w.xml")
    assert written.invoice == read.invoice
    assert (written.syntax, written.profile, written.xml, written.data) == (
        read.syntax,
        read.profile,
        read.xml,
        read.data,
    )
    assert written.root is not None and written.root.tag == read.root.tag  # type: ignore[union-attr]


@pytest.mark.parametrize("syntax", [Syntax.UBL, Syntax.CII])
@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_a_written_document_is_what_reading_it_back_gives(example: Path, syntax: Syntax) -> None:
    _same_as_read_back(read_json(example.read_bytes()), syntax)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoices())
def test_a_written_document_is_what_reading_it_back_gives_on_generated_invoices(
    invoice: Invoice,
) -> None:
    for syntax in (Syntax.UBL, Syntax.CII):
        _same_as_read_back(invoice, syntax)


def test_a_written_factur_x_is_what_reading_it_back_gives() -> None:
    pdf = write_facturx(SIMPLE, Profile.EN16931)
    written = written_document(SIMPLE, Syntax.FACTURX, Profile.EN16931, pdf, "w.pdf")
    read = read_document(pdf, "w.pdf")
    assert written.invoice == read.invoice and written.xml == read.xml
    assert written.profile is read.profile is Profile.EN16931


def test_a_cii_below_en16931_is_read_back_from_its_bytes() -> None:
    data = write_cii(SIMPLE, Profile.BASIC)
    written = written_document(SIMPLE, Syntax.CII, Profile.BASIC, data, "w.xml")
    assert written.invoice == read_document(data, "w.xml").invoice
