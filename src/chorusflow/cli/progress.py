"""Progress on standard error while long work runs — only for a person at a terminal.

Programs (``--json``, a pipe, a log file) get none: their output stays what the command
prints at the end. Two shapes: a bar advanced by the caller as it goes (``counting``), and a
bar that follows numbers read every half second from elsewhere, such as the outbox's counts
while workers deliver (``following``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from chorusflow.cli.output import err


def shown(as_json: bool, count: int = 1, least: int = 1) -> bool:
    """Whether to show progress: a terminal on stderr, no --json, enough work to watch."""
    return not as_json and count >= least and err.is_terminal


def _bar(label: str) -> Progress:
    columns = (
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
    )
    return Progress(*columns, console=err, transient=True)


@contextmanager
def counting(label: str, total: int, *, enabled: bool) -> Iterator[Callable[[int], None]]:
    """A bar of ``total`` steps; the callable advances it (a no-op when not shown)."""
    if not enabled:

        def nothing(_steps: int) -> None:
            return None

        yield nothing
        return
    with _bar(label) as progress:
        task = progress.add_task("", total=total)

        def advance(steps: int) -> None:
            progress.advance(task, steps)

        yield advance


@contextmanager
def following(
    label: str,
    read: Callable[[], tuple[int, int, str]],
    *,
    enabled: bool,
    every: float = 0.5,
) -> Iterator[None]:
    """A bar that shows ``read() -> (done, total, words)`` every ``every`` seconds."""
    if not enabled:
        yield
        return
    stop = threading.Event()
    with _bar(label) as progress:
        task = progress.add_task("", total=None)

        def refresh() -> None:
            while True:
                try:
                    done, total, words = read()
                except Exception:  # a bar must never break the work it shows
                    done, total, words = 0, 0, ""
                progress.update(task, completed=done, total=total or None, description=words)
                if stop.wait(every):
                    return

        thread = threading.Thread(target=refresh, name="progress", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(2)
