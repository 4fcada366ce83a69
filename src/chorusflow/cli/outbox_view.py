"""How the outbox is shown: a table on a terminal, rows as JSON for programs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from chorusflow.outbox import NEEDS_THE_USER, InvoiceRecord, State

_STYLE = {
    State.PAID: "green",
    State.INTEGRATED: "cyan",
    State.INVALID: "red",
    State.REJECTED: "red",
    State.REFUSED: "red",
    State.NEEDS_USER: "yellow",
    State.HELD: "yellow",
}


def when(at: float | None) -> str:
    if at is None:
        return ""
    return datetime.fromtimestamp(at, UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")


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
        "updated": when(record.updated_at),
    }


def table(records: list[InvoiceRecord]) -> Table:
    view = Table(show_lines=False, pad_edge=False)
    for name in (
        "#",
        "number",
        "buyer",
        "state",
        "status",
        "flow",
        "CPP id",
        "error / fix",
        "updated",
    ):
        view.add_column(name, overflow="fold")
    for r in records:
        style = _STYLE.get(r.state, "")
        state = r.state.value + (" (needs you)" if r.state in NEEDS_THE_USER else "")
        problem = ""
        if r.error_message and r.state not in (State.PAID, State.INTEGRATED):
            problem = r.error_message + (f" — fix: {r.error_fix}" if r.error_fix else "")
        view.add_row(
            str(r.id),
            r.number,
            r.buyer or "",
            f"[{style}]{state}[/]" if style else state,
            r.lifecycle or "",
            r.flow_number or "",
            str(r.cpp_id or ""),
            problem,
            when(r.updated_at),
        )
    return view


def show(console: Console, records: list[InvoiceRecord]) -> None:
    if not records:
        console.print("The outbox is empty.")
        return
    console.print(table(records))
    counts: dict[str, int] = {}
    for r in records:
        counts[r.state.value] = counts.get(r.state.value, 0) + 1
    console.print(", ".join(f"{n} {s}" for s, n in sorted(counts.items())), markup=False)
