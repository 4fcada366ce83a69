"""Crash test and fault soak: workers killed with SIGKILL while they deliver, on SQLite and
PostgreSQL, with or without a sandbox that misbehaves; then the census.

    python -m bench.crash                           # 2,000 invoices, 30 kills, both databases
    python -m bench.crash --faults                  # the same under the fault soak plan
    python -m bench.crash --invoices 60 --kills 5 --db sqlite

Invoices are queued with ``chorusflow send`` (UBL, flows of 10), then ``--workers``
``chorusflow worker`` processes deliver them against a sandbox process slowed by a latency
(so that kills land between a deposit and its commit). At random moments one worker is
frozen (SIGSTOP), what it holds is noted (invoices between their deposit and its commit),
then it is killed (SIGKILL) and a new one started. Once every invoice is on the platform the
workers are stopped (SIGTERM) and every invoice is checked against the sandbox: integrated
exactly once, same identifiantFactureCPP and state, no lease held, nothing left depositing.
Exit status 0 when lost, duplicated, disagreeing and stuck are all 0; 1 otherwise.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.outbox_runs import (  # noqa: E402
    Census,
    Workers,
    census,
    database,
    depositing_held_by,
    load,
    on_platform,
    postgres_answers,
    reader,
    scratch,
    send,
    start,
    wait_on_platform,
    write_invoices,
)
from chorusflow.outbox import Store  # noqa: E402

#: The fault soak (docs/sandbox.md "Faults"): shares of calls, a token revocation and a
#: maintenance window mid-run; timeouts last 3 s and the client gives up after 1 s.
SOAK = "5xx=0.1,429=0.05,retry_after=1,timeout=0.05,timeout_seconds=3,drop=0.05"


@dataclass
class Report:
    """One run's figures."""

    database: str
    invoices: int
    faults: str
    kills: int = 0
    kills_during_deposit: int = 0
    seconds: float = 0.0
    census: Census | None = None
    seen: Counter[str] = field(default_factory=Counter)
    worker_exits: Counter[int] = field(default_factory=Counter)

    @property
    def clean(self) -> bool:
        return self.census is not None and self.census.clean

    def lines(self) -> list[str]:
        c = self.census
        assert c is not None
        out = [
            f"{self.database}: {self.invoices} invoices, {self.kills} kills "
            f"({self.kills_during_deposit} during a deposit), {self.seconds:.1f} s; "
            f"integrated {c.integrated}, lost {c.lost}, duplicated {c.duplicated}, "
            f"disagreeing {c.disagree}, stuck {c.stuck}; landed without their commit and "
            f"adopted {c.adopted}, proved absent and re-sent {c.resent}",
        ]
        if self.faults:
            seen = ", ".join(f"{k} {v}" for k, v in sorted(self.seen.items()))
            out.append(f"  faults '{self.faults}': {seen}")
        out.append(f"  worker exit codes: {dict(self.worker_exits)}")
        out += [f"  {note}" for note in c.notes[:20]]
        return out


def crash_run(
    kind: str,
    invoices: int,
    kills: int,
    *,
    faults: str = "",
    workers: int = 2,
    latency: float = 0.1,
    limit: float = 1800.0,
    lease: float = 5.0,
    settle_delay: float = 2.0,
    seed: int = 0,
    batch_invoices: int = 10,
) -> Report:
    """One crash run (see the module's docstring) on ``kind`` (sqlite or postgresql)."""
    folder = scratch("crash")
    prefix = f"K{uuid.uuid4().hex[:6].upper()}"
    paths = write_invoices(folder / "in", invoices, prefix)
    plan = ",".join(p for p in (f"latency={latency}" if latency else "", faults) if p)
    report = Report(kind, invoices, plan)
    chosen = random.Random(seed)
    with database(kind, folder) as url:
        outbox = start(
            folder,
            url,
            "--manual-buyer",
            batch_invoices=batch_invoices,
            lease=lease,
            settle_delay=settle_delay,
            rate=0,
            read_timeout=1.0 if faults else 30.0,
        )
        store = Store.open(url)
        watch = reader(url)
        try:
            send(outbox, paths, "ubl", per_call=500)
            started = time.perf_counter()
            crew = Workers(outbox, settled=min(4.0, lease))
            crew.start(workers)
            outbox.set_faults(plan)  # now: the revocation and maintenance times count from here
            while report.kills < kills and on_platform(watch) < invoices:
                if time.perf_counter() - started > limit:
                    break
                crew.died()
                while len(crew.running) < workers:
                    crew.start()
                # every other kill waits for a worker caught between a deposit and its commit
                frozen = crew.catch(watch, chosen, during_deposit=report.kills % 2 == 0)
                if frozen is None:
                    continue
                held = depositing_held_by(watch, frozen.pid)
                crew.kill(frozen)
                report.kills += 1
                report.kills_during_deposit += held > 0
            crew.died()
            while len(crew.running) < workers:
                crew.start()
            left = max(1.0, limit - (time.perf_counter() - started))
            wait_on_platform(watch, invoices, left, crew)
            report.seconds = time.perf_counter() - started
            crew.stop()
            report.worker_exits = crew.exits
            report.seen = outbox.faults_seen()
            outbox.set_faults("")  # the census reads the sandbox without faults
            report.census = census(store, outbox.api, prefix, invoices)
        finally:
            watch.dispose()
            store.close()
            outbox.stop()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crash", description=__doc__)
    parser.add_argument("--invoices", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--faults", action="store_true", help="the fault soak plan as well")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(f"machine: {load()}", flush=True)
    clean = True
    for kind in args.db.split(","):
        if kind == "postgresql" and not postgres_answers():
            print("postgresql: no server answers at 127.0.0.1:5432; skipped")
            continue
        faults = ""
        if args.faults:
            # seconds after the workers start: the revocation and the maintenance window fall
            # within the run
            faults = f"{SOAK},revoke=10,maintenance=25+8,seed={args.seed + 1}"
        command = " ".join(["python -m bench.crash", *(argv or sys.argv[1:])])
        report = crash_run(
            kind, args.invoices, args.kills, faults=faults, workers=args.workers, seed=args.seed
        )
        for line in report.lines():
            print(line, flush=True)
        print(f"  command: {command}; machine after: {load()}", flush=True)
        clean &= report.clean
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
