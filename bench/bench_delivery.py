"""Delivery speed: JSON invoices to integrated flows, end to end, against a sandbox process.

    python -m bench delivery          # CHORUSFLOW_BENCH_INVOICES=1000 for a shorter run

The sandbox runs in its own process (``chorusflow sandbox serve --flow-delay 0``); the outbox
side is ``chorusflow send`` and ``chorusflow worker`` processes, as users run them.

* End to end, per syntax: ``send --format S`` on the JSON files (1,000 a call) while one
  worker delivers, timed from the first send to the last invoice integrated (SQLite).
  Factur-X renders a PDF per invoice and gets a fifth of the invoices.
* Peak memory (RSS high-water mark) of ``send`` with 100, 1,000 and all the files in one
  call, and of the workers.
* Workers on PostgreSQL (a schema of its own in ``test``, dropped after): the invoices queued
  first, then 1, 2 and 4 worker processes deliver them; invoices integrated a second.
* One per flow, one after another (what connectors do): each invoice's file deposited alone
  and its flow report awaited before the next, through the same client; the ratio.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.outbox_runs import (  # noqa: E402
    Outbox,
    Workers,
    database,
    load,
    postgres_answers,
    reader,
    scratch,
    send,
    start,
    wait_on_platform,
    write_invoices,
)
from chorusflow.chorus import ChorusClient, load_settings  # noqa: E402
from chorusflow.outbox import Store  # noqa: E402

INVOICES = int(os.environ.get("CHORUSFLOW_BENCH_INVOICES", "10000"))
PER_CALL = 1000
#: Invoices queued for each worker count on PostgreSQL (their enqueueing is not timed).
SCALING = min(INVOICES, 3000)
OUTBOX = {"batch_invoices": 50, "lease": 60, "settle_delay": 30, "rate": 0}
FINAL = ("IN_INTEGRE", "IN_INTEGRE_PARTIEL", "IN_REJETE")


def end_to_end(folder: Path, syntax: str, count: int, prefix: str) -> tuple[float, float, float]:
    """Invoices a second from JSON to integrated; peak MB of send and of the worker."""
    paths = write_invoices(folder / prefix, count, prefix)
    with database("sqlite", folder) as url:
        outbox = start(folder, url, "--manual-buyer", **OUTBOX)
        watch = reader(url)
        crew = Workers(outbox, poll=0.05)
        try:
            started = time.perf_counter()
            crew.start(1)
            sent = send(outbox, paths, syntax, PER_CALL)
            wait_on_platform(watch, count, 7200, crew)
            seconds = time.perf_counter() - started
            crew.stop()
        finally:
            watch.dispose()
            outbox.stop()
    return count / seconds, max(s.peak_mb for s in sent), crew.peak_mb


def send_memory(folder: Path, paths: list[Path], per_call: int) -> tuple[float, float]:
    """Peak RSS of the largest send process, and peak PSS of send with its preparing
    processes (MB)."""
    with database("sqlite", folder) as url:
        outbox = start(folder, url, "--manual-buyer", **OUTBOX)
        try:
            calls = send(outbox, paths, "ubl", per_call)
            return max(s.peak_mb for s in calls), max(s.tree_mb for s in calls)
        finally:
            outbox.stop()


def queued_rate(folder: Path, paths: list[Path], kind: str, workers: int) -> float:
    """UBL invoices, queued first, integrated a second by ``workers`` processes on ``kind``
    (``sqlite`` or ``postgresql``)."""
    with database(kind, folder) as url:
        outbox = start(folder, url, "--manual-buyer", **OUTBOX)
        watch = reader(url)
        crew = Workers(outbox, poll=0.05)
        try:
            send(outbox, paths, "ubl", PER_CALL)
            started = time.perf_counter()
            crew.start(workers)
            wait_on_platform(watch, len(paths), 7200, crew)
            elapsed = time.perf_counter() - started
            crew.stop()
        finally:
            watch.dispose()
            outbox.stop()
    return len(paths) / elapsed


def one_per_flow(outbox: Outbox, store: Store, count: int) -> float:
    """The queued files deposited one per flow, each report awaited before the next."""
    files = [(r.filename, store.content(r.id), r.syntaxe_flux) for r in store.invoices()[:count]]
    settings = load_settings(outbox.env)
    with ChorusClient.from_settings(settings) as client:
        started = time.perf_counter()
        for name, data, syntaxe in files:
            numero = client.deposit_flow(data, name, syntaxe).numeroFluxDepot or ""
            while str(client.flow_report(numero).etatCourantDepotFlux) not in FINAL:
                time.sleep(0.02)
        return len(files) / (time.perf_counter() - started)


def main() -> None:
    folder = scratch("bench-delivery")
    print(f"machine: {load()}; {INVOICES} invoices", flush=True)
    rows: list[tuple[str, str, str]] = []
    for syntax, count, target in (
        ("ubl", INVOICES, 100),
        ("cii", INVOICES, 100),
        ("facturx", max(50, INVOICES // 5), 40),
    ):
        rate, send_mb, worker_mb = end_to_end(folder, syntax, count, f"E2E{syntax.upper()}")
        rows.append(
            (
                f"end to end, {syntax}, {count} invoices, 1 worker, SQLite",
                f"{rate:,.1f} invoices/s",
                f"≥ {target}",
            )
        )
        rows.append(
            (
                "  peak RSS: send (1,000 a call) / worker",
                f"{send_mb:.0f} / {worker_mb:.0f} MB",
                "≤ 300",
            )
        )
        print(*rows[-2], sep=" | ", flush=True)
    paths = write_invoices(folder / "MEM", INVOICES, "MEM")
    for per_call in sorted({100, 1000, INVOICES}):
        mb, tree = send_memory(folder, paths, per_call)
        rows.append(
            (
                f"peak memory of send, {per_call} files a call (UBL): RSS of a process / "
                "PSS of send and its preparing processes",
                f"{mb:.0f} / {tree:.0f} MB",
                "≤ 300",
            )
        )
        print(*rows[-1], sep=" | ", flush=True)
    if postgres_answers():
        for workers in (1, 2, 4):
            scaled = write_invoices(folder / f"PG{workers}", SCALING, f"PG{workers}W")
            rate = queued_rate(folder, scaled, "postgresql", workers)
            rows.append(
                (
                    f"delivery, UBL, {SCALING} queued, {workers} worker(s), PostgreSQL",
                    f"{rate:,.1f} invoices/s",
                    "",
                )
            )
            print(*rows[-1], sep=" | ", flush=True)
    else:
        print("PostgreSQL: no server answers at 127.0.0.1:5432; worker scaling not measured")
    # side by side: the same UBL files, outbox flows of 50 vs one per flow, one after another
    sample = max(20, min(500, INVOICES // 10))
    side = write_invoices(folder / "SIDE", sample, "SIDE")
    with database("sqlite", folder) as url:
        outbox = start(folder, url, "--manual-buyer", **OUTBOX)
        store = Store.open(url)
        try:
            send(outbox, side, "ubl", PER_CALL)
            single = one_per_flow(outbox, store, sample)
        finally:
            store.close()
            outbox.stop()
    side_b = write_invoices(folder / "SIDEB", sample, "SIDEB")
    batched = queued_rate(folder, side_b, "sqlite", 1)
    rows.append(
        (
            f"one per flow, one after another, UBL, {sample} invoices",
            f"{single:,.1f} invoices/s",
            "",
        )
    )
    rows.append(
        (
            f"outbox, flows of 50, 1 worker, same {sample} invoices",
            f"{batched:,.1f} invoices/s",
            f"×{batched / single:,.1f}",
        )
    )
    print(*rows[-2], sep=" | ", flush=True)
    print(*rows[-1], sep=" | ", flush=True)
    print(f"\nmachine after: {load()}")
    print("| measure | figure | target or ratio |\n|---|---|---|")
    for row in rows:
        print(f"| {' | '.join(row)} |")


if __name__ == "__main__":
    main()
