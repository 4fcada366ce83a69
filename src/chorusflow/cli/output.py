"""How the command speaks: results on stdout, one-sentence errors on stderr."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

from rich.console import Console

from chorusflow.errors import ChorusflowError

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(value: Any) -> None:
    """Machine-readable output: one JSON document on stdout."""
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n")


def error_line(error: ChorusflowError) -> str:
    return f"error: {error.message}" + (f" {error.fix}" if error.fix else "")


def fail(error: ChorusflowError) -> NoReturn:
    """Report ``error`` in one line and exit with its code."""
    err.print(error_line(error), markup=False)
    raise SystemExit(error.exit_code)
