"""Progress bars: on a terminal only, following numbers read while the work runs."""

from __future__ import annotations

import io
import time

import pytest
from rich.console import Console

from chorusflow.cli import progress


def test_a_followed_bar_shows_what_it_reads_on_a_terminal_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = io.StringIO()
    monkeypatch.setattr(progress, "err", Console(file=terminal, force_terminal=True))
    reads = iter([(1, 4, "1 paid, 3 checked"), (4, 4, "4 paid")])

    def read() -> tuple[int, int, str]:
        return next(reads, (4, 4, "4 paid"))

    with progress.following("delivering", read, enabled=progress.shown(False), every=0.05):
        time.sleep(0.3)
    shown = terminal.getvalue()
    assert "delivering" in shown and "4 paid" in shown and "4/4" in shown
    monkeypatch.setattr(progress, "err", Console(file=io.StringIO()))  # not a terminal
    assert not progress.shown(False) and not progress.shown(True)


def test_a_failing_read_never_breaks_the_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "err", Console(file=io.StringIO(), force_terminal=True))

    def broken() -> tuple[int, int, str]:
        raise RuntimeError("database locked")

    with progress.following("delivering", broken, enabled=True, every=0.01):
        time.sleep(0.05)
    with progress.counting("sending", 3, enabled=True) as advance:
        advance(3)
