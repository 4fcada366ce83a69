"""How the outbox is shown: a table on a terminal, rows as JSON for programs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from chorusflow.outbox import NEEDS_THE_USER, SETTLED, InvoiceRecord, State, Store

_STYLE = {
    State.PAID: "green",
    State.INTEGRATED: "cyan",
    State.INVALID: "red",
    State.REJECTED: "red",
    State.REFUSED: "red",
    State.NEEDS_USER: "yellow",
    State.HELD: "yellow",
}


def row_json(record: InvoiceRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "number": record.number,
        "supplier": record.supplier,
        "buyer": record.buyer,
        "source": record.source,
        "syntax": record.syntax,
        "state": record.state.value,
        "needs_user": record.state in NEEDS_THE_USER,
        "status": record.lifecycle,
        "flow": record.flow_number,
        "cpp_id": record.cpp_id,
        "attempts": record.attempts,
        "error": (
            {"code": record.error_code, "message": record.error_message, "fix": record.error_fix}
            if record.error_message
            else None
        ),
        "updated": datetime.fromtimestamp(record.updated_at, UTC).isoformat(timespec="seconds")
        if record.updated_at is not None
        else None,
        "next_step": next_step(record) or None,
    }


#: What to run for an invoice that needs you, by Chorus Pro status (or outbox state).
_NEXT: dict[str, str] = {
    "A_RECYCLER": "chorusflow act recycle {id} --service … (or --buyer, --engagement)",
    "SUSPENDUE": "chorusflow act complete {id} --attach FILE --comment …",
    "REJETEE": "chorusflow act reissue {id} --number NEW-NUMBER",
    State.HELD.value: "chorusflow confirm {id}",
    State.INVALID.value: "correct the invoice, then chorusflow send it again",
    State.REJECTED.value: "correct the invoice, then chorusflow send it again",
}


def next_step(record: InvoiceRecord) -> str:
    """The command (or the step) that moves an invoice that needs you."""
    if record.state not in NEEDS_THE_USER:
        return ""
    hint = _NEXT.get(record.lifecycle or "") or _NEXT.get(record.state.value, "")
    return hint.format(id=record.id)


def when(at: float | None, today: str | None = None) -> str:
    """Local time; the date only when it is not today."""
    if at is None:
        return ""
    moment = datetime.fromtimestamp(at, UTC).astimezone()
    today = today or datetime.now().astimezone().strftime("%Y-%m-%d")
    day = moment.strftime("%Y-%m-%d")
    return moment.strftime("%H:%M:%S") if day == today else f"{day} {moment:%H:%M}"


def table(records: list[InvoiceRecord]) -> Table:
    view = Table(show_lines=False, pad_edge=False, box=box.SIMPLE_HEAD)
    # The flow number (25 characters) is in --json; the CPP id names the invoice on Chorus Pro.
    for name in ("#", "number", "buyer", "state", "Chorus Pro", "CPP id", "updated"):
        view.add_column(name, no_wrap=True, overflow="fold")
    view.add_column("what went wrong / what to do", overflow="fold", ratio=1, min_width=20)
    for r in records:
        style = _STYLE.get(r.state, "")
        state = r.state.value.replace("_", " ")
        problem = ""
        if r.error_message and r.state not in (State.PAID, State.INTEGRATED):
            problem = r.error_message + (f" — fix: {r.error_fix}" if r.error_fix else "")
        if step := next_step(r):
            problem = f"{problem}\n→ {step}" if problem else f"→ {step}"
        view.add_row(
            str(r.id),
            r.number,
            r.buyer or "",
            f"[{style}]{state}[/]" if style else state,
            r.lifecycle or "",
            str(r.cpp_id or ""),
            when(r.updated_at),
            problem,
        )
    return view


#: Rows a table shows at most; the counts line and `chorusflow status` tell the rest.
MAX_ROWS = 200


#: Below this many columns the table would cut SIRETs and numbers: one entry per invoice.
WIDE = 120


def _entry(console: Console, r: InvoiceRecord) -> None:
    """One invoice in two or three lines, for a narrow terminal or a pipe of 80 columns."""
    style = _STYLE.get(r.state, "")
    state = r.state.value.replace("_", " ")
    status = f" ({r.lifecycle})" if r.lifecycle else ""
    cpp = f", CPP {r.cpp_id}" if r.cpp_id else ""
    head = f"#{r.id} {r.number} → {r.buyer or '?'}: "
    console.print(head, end="", markup=False)
    console.print(f"[{style}]{state}[/]" if style else state, end="")
    console.print(f"{status}{cpp}, {when(r.updated_at)}", markup=False)
    if r.error_message and r.state not in (State.PAID, State.INTEGRATED):
        fix = f" — fix: {r.error_fix}" if r.error_fix else ""
        console.print(f"    {r.error_message}{fix}", markup=False)
    if step := next_step(r):
        console.print(f"    → {step}", markup=False)


def show(console: Console, records: list[InvoiceRecord], *, limit: int | None = None) -> None:
    """The table of ``records`` and a line of counts by state. With ``limit``, at most that
    many rows, those that need the user first (a table of 10,000 rows helps nobody, and
    drawing it costs seconds and memory)."""
    if not records:
        console.print("The outbox is empty.")
        return
    shown = records
    if limit is not None and len(records) > limit:
        first = [r for r in records if r.state in NEEDS_THE_USER][:limit]
        shown = first + [r for r in records if r.state not in NEEDS_THE_USER][: limit - len(first)]
        shown.sort(key=lambda r: r.id)
    if console.width >= WIDE:
        console.print(table(shown))
    else:
        for record in shown:
            _entry(console, record)
    if len(shown) < len(records):
        console.print(
            f"… {len(records) - len(shown)} more not shown (chorusflow status lists them all).",
            markup=False,
        )
    counts: dict[str, int] = {}
    for r in records:
        counts[r.state.value] = counts.get(r.state.value, 0) + 1
    console.print(", ".join(f"{n} {s}" for s, n in sorted(counts.items())), markup=False)


def settling(store: Store, ids: list[int] | None = None) -> Callable[[], tuple[int, int, str]]:
    """What a progress bar shows while workers deliver: invoices settled (final or waiting
    for you) out of all of them (or of ``ids``), and the count in each state."""

    def read() -> tuple[int, int, str]:
        counts = store.counts(ids)
        settled = sum(n for state, n in counts.items() if state in SETTLED)
        words = ", ".join(f"{n} {state.value}" for state, n in sorted(counts.items()))
        return settled, sum(counts.values()), words

    return read
