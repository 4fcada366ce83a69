"""JSON documents of the model: the input format of chorusflow, and its JSON Schema.

Input is held to the strict code lists and to the schema (unknown fields are refused), and
every computable amount it leaves out is computed (:func:`chorusflow.model.complete`).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from chorusflow.errors import InputError
from chorusflow.formats.limits import MAX_INPUT_BYTES, MiB
from chorusflow.model import STRICT, Invoice, complete

SCHEMA_ID = "https://chorusflow.org/schema/invoice.json"


def error_path(loc: tuple[int | str, ...]) -> str:
    """``('lines', 0, 'unit')`` → ``lines[0].unit``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _sentence(error: ErrorDetails) -> str:
    path = error_path(tuple(error["loc"]))
    kind = error["type"]
    if kind == "json_invalid":
        return f"The file is not valid JSON: {error['ctx'].get('error', error['msg'])}."
    if kind == "extra_forbidden":
        return f"Unknown field '{path}'; `chorusflow schema` lists the fields an invoice takes."
    if kind == "model_type" and not path:
        return "The JSON document must be an object (an invoice), not a list or a value."
    message = error["msg"].rstrip(".")
    if kind != "code_list" and "input" in error and not isinstance(error["input"], dict | list):
        message = f"{message} (got {error['input']!r})"
    return f"{path}: {message}." if path else f"{message}."


def read_json(data: bytes, name: str = "the JSON invoice") -> Invoice:
    """Parse and complete an invoice from its JSON document, or raise :class:`InputError`."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name} is over the {MAX_INPUT_BYTES // MiB} MiB limit.")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not UTF-8 text (byte {exc.start} is invalid).",
            "Save the file as UTF-8.",
        ) from None
    try:
        invoice = Invoice.model_validate_json(data, context=STRICT)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        more = len(errors) - 1
        tail = f" ({more} more error{'s' if more > 1 else ''} after this one)" if more else ""
        raise InputError(
            f"{name}: {_sentence(errors[0])}{tail}",
            "Run `chorusflow schema` for the expected shape, or see examples/.",
        ) from None
    return complete(invoice)


def write_json(invoice: Invoice) -> bytes:
    """The invoice as its JSON document (the inverse of :func:`read_json`)."""
    return invoice.model_dump_json(indent=2, exclude_none=True, exclude_defaults=True).encode()


def json_schema() -> dict[str, Any]:
    """The JSON Schema of an invoice input document."""
    schema = Invoice.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "chorusflow invoice (EN 16931)",
        "description": (
            "An invoice or credit note in the EN 16931 semantic model. Amounts are decimal "
            "strings or numbers; dates are YYYY-MM-DD; line net amounts, the VAT breakdown "
            "and the document totals are computed when omitted."
        ),
        **{k: v for k, v in schema.items() if k not in {"title", "description"}},
    }


def dumps_schema() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False)
