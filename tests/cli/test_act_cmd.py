"""`chorusflow act`: help with an example, and usage errors before anything is called."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Cli


@pytest.mark.parametrize("action", ["recycle", "complete", "reissue"])
def test_each_action_has_help_with_an_example(cli: Cli, action: str) -> None:
    result = cli("act", action, "--help")
    assert result.returncode == 0
    assert "Example: chorusflow act " + action in result.stdout


def test_an_unreadable_attachment_is_exit_2_without_a_traceback(cli: Cli, tmp_path: Path) -> None:
    result = cli("act", "complete", "1", "--attach", str(tmp_path / "missing.pdf"))
    assert result.returncode == 2
    assert "Cannot read the attachment" in result.stderr
    assert "Traceback" not in result.stderr
