"""Properties of the readers on generated documents, and of the model ↔ CII/UBL round trips.

Readers never crash: any bytes, and valid CII, UBL, JSON and Factur-X files mutated at
random, either read into an invoice or raise the project's InputError, never anything else.
Round trips hold on generated invoices. `make test` runs a short version; `make soak` runs
the long one (``CHORUSFLOW_SOAK_EXAMPLES``, 10,000 by default) under the ``slow`` mark.
"""

from __future__ import annotations

import os
from functools import cache

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from chorusflow.errors import InputError
from chorusflow.formats import cii, ubl
from chorusflow.formats.document import Document, read_document
from chorusflow.formats.facturx import write_facturx
from chorusflow.formats.model_json import read_json, write_json
from chorusflow.formats.profiles import Profile
from chorusflow.formats.xml import parse_xml
from chorusflow.model import Invoice
from tests.conftest import EXAMPLES
from tests.strategies import invoices

SHORT = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SOAK = settings(
    SHORT,
    max_examples=int(os.environ.get("CHORUSFLOW_SOAK_EXAMPLES", "10000")),
    suppress_health_check=list(HealthCheck),
)


@cache
def valid_files() -> tuple[bytes, ...]:
    """The simple example in each syntax the readers take."""
    invoice = read_json((EXAMPLES / "simple-invoice.json").read_bytes())
    return (
        write_json(invoice),
        cii.write_cii(invoice, Profile.EN16931),
        ubl.write_ubl(invoice),
        write_facturx(invoice, Profile.EN16931),
    )


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A valid file with a few random byte edits: flips, deletions, insertions, a cut."""
    data = bytearray(draw(st.sampled_from(valid_files())))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        edit = draw(st.sampled_from(("flip", "delete", "insert", "cut", "markup")))
        if edit == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif edit == "markup":
            data[at:at] = draw(st.sampled_from((b"<", b">", b"&", b'"', b"</x>", b"{", b"\0")))
        else:
            del data[max(at, 1) :]
        if not data:
            break
    return bytes(data)


def reads_or_refuses(data: bytes) -> None:
    refusal: InputError | None = None
    try:
        document: Document | None = read_document(data, "generated")
    except InputError as error:
        refusal, document = error, None
    if refusal is not None:  # one sentence, on one line
        assert refusal.message and "\n" not in str(refusal)
        return
    assert document is not None and isinstance(document.invoice, Invoice)


@SHORT
@given(st.binary(max_size=4096))
def test_random_bytes_are_read_or_refused(data: bytes) -> None:
    reads_or_refuses(data)


@SHORT
@given(mutated())
def test_mutated_files_are_read_or_refused(data: bytes) -> None:
    reads_or_refuses(data)


def round_trips(invoice: Invoice) -> None:
    xml = cii.write_cii(invoice, Profile.EN16931)
    assert cii.read_cii(parse_xml(xml)) == cii.as_written(invoice, Profile.EN16931)
    # a payee with the seller's name or identifier is the seller in UBL (BR-17, UBL-SR-19..21)
    payee, seller = invoice.payee, invoice.seller
    if payee and seller:
        assume(payee.name not in (seller.name, seller.trading_name))
        ids = {identifier.value for identifier in seller.identifiers}
        assume(not payee.identifier or payee.identifier.value not in ids)
    assert ubl.read_ubl(parse_xml(ubl.write_ubl(invoice))) == ubl.as_written(invoice)


@SHORT
@given(invoices())
def test_model_cii_and_ubl_round_trips(invoice: Invoice) -> None:
    round_trips(invoice)


@pytest.mark.slow
@SOAK
@given(invoices())
def test_soak_model_cii_and_ubl_round_trips(invoice: Invoice) -> None:
    round_trips(invoice)


@pytest.mark.slow
@SOAK
@given(mutated())
def test_soak_mutated_files_are_read_or_refused(data: bytes) -> None:
    reads_or_refuses(data)
