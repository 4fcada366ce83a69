"""`chorusflow schema` prints a JSON Schema that the examples satisfy."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema


def chorusflow(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chorusflow", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_schema_validates_every_example(example_path: Path) -> None:
    result = chorusflow("schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator(schema).validate(json.loads(example_path.read_text()))


def test_usage_errors_exit_2_without_traceback() -> None:
    result = chorusflow("no-such-command")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "No such command" in result.stderr
