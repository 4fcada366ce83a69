"""Native EN 16931 pre-flight against the official schematron, on the same invoices.

Prints the median time of :func:`chorusflow.rules.en16931.check_en16931` on a typical invoice
and on invoices of 1 to 1,000 lines (µs per line shows the growth is linear), and, side by
side, the official schematron (saxonche, stylesheet compiled once and kept warm) on the UBL
and CII the writers produce from the same invoices, with the ratio.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from chorusflow.formats.model_json import read_json
from chorusflow.model import Invoice, InvoiceLine, complete
from chorusflow.rules.en16931 import check_en16931

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "several-rates.json"


def median_seconds(work: Callable[[], object], *, budget: float = 0.5, least: int = 5) -> float:
    """Median wall time of ``work``, run for about ``budget`` seconds (at least ``least``)."""
    work()  # warm
    times: list[float] = []
    deadline = time.perf_counter() + budget
    while len(times) < least or time.perf_counter() < deadline:
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def with_lines(invoice: Invoice, count: int) -> Invoice:
    """``invoice`` with ``count`` lines cycling through its own, totals recomputed."""
    lines = tuple(
        line.model_copy(update={"id": str(n + 1), "net_amount": None})
        for n, line in zip(range(count), _cycle(invoice.lines), strict=False)
    )
    return complete(
        invoice.model_copy(update={"lines": lines, "vat_breakdown": (), "totals": None})
    )


def _cycle(lines: tuple[InvoiceLine, ...]) -> list[InvoiceLine]:
    return [lines[n % len(lines)] for n in range(1_000)]


def main() -> None:
    typical = read_json(EXAMPLE.read_bytes())
    assert not [f for f in check_en16931(typical) if f.rule != "BR-01"]
    native = median_seconds(lambda: check_en16931(typical))
    print(f"typical invoice ({len(typical.lines)} lines, {EXAMPLE.name})")
    print(f"  native check_en16931            {native * 1e6:9.1f} µs")
    print("growth in lines (native)")
    for count in (1, 10, 100, 1_000):
        invoice = with_lines(typical, count)
        seconds = median_seconds(lambda invoice=invoice: check_en16931(invoice), budget=0.3)
        print(f"  {count:>5} lines {seconds * 1e6:10.1f} µs   {seconds * 1e6 / count:6.2f} µs/line")
