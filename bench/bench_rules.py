"""`python -m bench rules`: native EN 16931 pre-flight against the official schematrons.

Both sides judge the same invoices: :func:`chorusflow.rules.en16931.check_en16931` on the
model, and the official schematron (saxonche, each stylesheet compiled once and kept warm) on
the CII (Factur-X EN 16931 schematron) and the UBL (CEN schematron) the writers produce,
already parsed. Figures are
medians of warm runs; the ratio is official time / native time. Growth goes to 1,000 lines
(µs per line shows it is linear).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from chorusflow.formats.cii import write_cii
from chorusflow.formats.model_json import read_json
from chorusflow.formats.ubl import write_ubl
from chorusflow.formats.xml import parse_xml
from chorusflow.model import Invoice, complete
from chorusflow.rules.en16931 import check_en16931
from chorusflow.rules.official import Artefact, schematron_findings

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
        invoice.lines[n % len(invoice.lines)].model_copy(
            update={"id": str(n + 1), "net_amount": None}
        )
        for n in range(count)
    )
    return complete(
        invoice.model_copy(update={"lines": lines, "vat_breakdown": (), "totals": None})
    )


def _sides(invoice: Invoice) -> dict[str, Callable[[], object]]:
    cii = parse_xml(write_cii(invoice))
    ubl = parse_xml(write_ubl(invoice))
    return {
        "native": lambda: check_en16931(invoice),
        "official Factur-X": lambda: schematron_findings(cii, Artefact.FACTURX_EN16931),
        "official UBL": lambda: schematron_findings(ubl, Artefact.UBL_INVOICE),
    }


def main() -> None:
    typical = read_json(EXAMPLE.read_bytes())
    print(f"typical invoice: {EXAMPLE.name}, {len(typical.lines)} lines")
    times = {name: median_seconds(work) for name, work in _sides(typical).items()}
    native = times["native"]
    for name, seconds in times.items():
        ratio = "" if seconds is native else f"   native is {seconds / native:,.0f}× faster"
        print(f"  {name:<18}{seconds * 1e6:10.1f} µs{ratio}")
    print("growth in lines (µs, and µs per line)")
    for count in (1, 10, 100, 1_000):
        sides = _sides(with_lines(typical, count))
        row = []
        for name, work in sides.items():
            seconds = median_seconds(work, budget=0.3, least=3)
            row.append(f"{name} {seconds * 1e6:9.0f} ({seconds * 1e6 / count:6.1f})")
        print(f"  {count:>5} lines  " + "  ".join(row))
