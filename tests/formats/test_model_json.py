"""JSON input: examples load and complete; bad input is one clear sentence, exit 2."""

import json
from pathlib import Path

import pytest

from chorusflow.errors import EXIT_UNREADABLE, InputError
from chorusflow.formats.model_json import json_schema, read_json, write_json
from chorusflow.model import Invoice


def test_examples_load_complete_and_round_trip(example_path: Path) -> None:
    invoice = read_json(example_path.read_bytes())
    assert invoice.number and invoice.totals and invoice.totals.payable is not None
    assert invoice.vat_breakdown
    assert read_json(write_json(invoice)) == invoice


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"number": "F1", "colour": "red"}', "Unknown field 'colour'"),
        (b'{"lines": [{"unit": "XX"}]}', "lines[0].unit: 'XX' is not in the UN/ECE Rec. 20"),
        (b'{"currency": "EURO"}', "'EURO' is not in the ISO 4217 currency code list"),
        (b'{"issue_date": "2026-13-01"}', "issue_date: "),
        (b'{"lines": [{"quantity": "ten"}]}', "lines[0].quantity: "),
        (b'{"number": "F1", ', "not valid JSON"),
        (b"", "not valid JSON"),
        (b"[1, 2]", "must be an object"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 50000, "not valid JSON"),
    ],
)
def test_bad_input_is_one_sentence_with_exit_code_2(data: bytes, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        read_json(data)
    assert expected in str(caught.value)
    assert caught.value.exit_code == EXIT_UNREADABLE
    assert "\n" not in str(caught.value) and "Traceback" not in str(caught.value)


def test_readers_may_hold_wrong_codes_but_input_may_not() -> None:
    assert Invoice.model_validate({"currency": "EURO"}).currency == "EURO"
    with pytest.raises(InputError):
        read_json(b'{"currency": "EURO"}')


def test_schema_documents_terms_and_code_lists() -> None:
    schema = json_schema()
    text = json.dumps(schema)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "BT-1 Invoice number" in text and "BG-25 INVOICE LINE" in text
    assert '"C62"' in text and '"VATEX-FR-FRANCHISE"' in text
