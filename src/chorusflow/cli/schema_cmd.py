"""`chorusflow schema`: the JSON Schema of the invoice input."""

from __future__ import annotations

import sys

import typer

from chorusflow.formats.model_json import dumps_schema


def schema() -> None:
    """Print the JSON Schema of the invoice input documents.

    Example: chorusflow schema > invoice.schema.json
    """
    sys.stdout.write(dumps_schema() + "\n")


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)
