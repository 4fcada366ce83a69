"""Running `chorusflow ARGS` in this process: exit code, stdout and stderr."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from chorusflow.cli.main import run


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


Cli = Callable[..., Result]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """`chorusflow ARGS` through the real entry point (its error contract included)."""

    def invoke(*args: str) -> Result:
        with pytest.raises(SystemExit) as exit_:
            run(list(args))
        captured = capsys.readouterr()
        return Result(int(exit_.value.code or 0), captured.out, captured.err)

    return invoke
