"""Short crash and fault runs (the long ones are `make crash` and `make faults`).

Real `chorusflow worker` processes on one database are killed with SIGKILL, some of them
between a deposit and its commit, against a sandbox process; then every invoice must be on
the sandbox exactly once, agree with the outbox, and hold no lease.
"""

from __future__ import annotations

import pytest
from bench.crash import SOAK, crash_run
from bench.outbox_runs import postgres_answers

DATABASES = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not postgres_answers(), reason="no PostgreSQL server answers"),
        ],
    ),
]


def assert_clean(report: object) -> None:
    from bench.crash import Report

    assert isinstance(report, Report)
    census = report.census
    assert census is not None, report
    assert (census.lost, census.duplicated, census.disagree, census.stuck) == (0, 0, 0, 0), (
        report.lines()
    )
    assert census.integrated == report.invoices, report.lines()


@pytest.mark.parametrize("kind", DATABASES)
def test_workers_killed_during_deposits_lose_and_duplicate_nothing(kind: str) -> None:
    # flows of 2 at 0.3 s a call: delivery lasts long enough for workers to be caught in it
    report = crash_run(
        kind, 30, 3, limit=300, lease=3.0, settle_delay=1.0, latency=0.3, batch_invoices=2
    )
    assert report.kills == 3
    assert report.kills_during_deposit >= 1, report.lines()
    assert_clean(report)


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def test_a_faulty_sandbox_and_kills_lose_and_duplicate_nothing(kind: str) -> None:
    faults = f"{SOAK},revoke=3,maintenance=6+2,seed=3"
    if kind == "postgresql" and not postgres_answers():
        pytest.skip("no PostgreSQL server answers")
    report = crash_run(
        kind, 30, 2, faults=faults, workers=1, limit=300, lease=3.0, settle_delay=1.0
    )
    assert report.seen["calls"] > 0 and report.seen["revoke"] == 1, report.lines()
    assert_clean(report)
