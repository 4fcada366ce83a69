"""Faults on demand: each one seen by a client, and nothing committed is lost."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from chorusflow.errors import ChorusflowError
from chorusflow.sandbox.faults import FaultPlan
from tests.sandbox.conftest import FAST, Api, launch
from tests.sandbox.invoices import SUPPLIER, Facture, ubl

SEARCH = "/cpro/factures/v1/rechercher/fournisseur"


def test_fault_specs_are_parsed_or_refused_in_one_sentence() -> None:
    plan = FaultPlan.parse(
        "latency=0.05,5xx=0.1,429=0.05,retry_after=3,timeout=0.05,timeout_seconds=2,drop=0.05,maintenance=30+10,revoke=20,seed=7"
    )
    assert (plan.latency, plan.error_5xx, plan.throttle_429, plan.retry_after) == (
        0.05,
        0.1,
        0.05,
        3,
    )
    assert (plan.timeout, plan.timeout_seconds, plan.drop, plan.seed) == (0.05, 2, 0.05, 7)
    assert (plan.maintenance_at, plan.maintenance_for, plan.revoke_at) == (30, 10, 20)
    for wrong in ("5xx=2", "latency", "nonsense=1", "429=abc"):
        with pytest.raises(ChorusflowError, match="not understood"):
            FaultPlan.parse(wrong)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    sandbox, api = launch(tmp_path_factory.mktemp("faults"), FAST)
    yield api
    api.close()
    sandbox.stop()


def set_faults(api: Api, spec: str) -> None:
    answer = api.http.put("/admin/faults", content=spec)
    assert answer.status_code == 200, answer.text


def test_5xx_and_429_with_retry_after(faulty: Api) -> None:
    set_faults(faulty, "5xx=1,seed=1")
    assert faulty.post(SEARCH, {}, SUPPLIER).status_code in (500, 502, 503)
    set_faults(faulty, "429=1,retry_after=7")
    throttled = faulty.post(SEARCH, {}, SUPPLIER)
    assert throttled.status_code == 429 and throttled.headers["retry-after"] == "7"
    set_faults(faulty, "")
    assert faulty.post(SEARCH, {}, SUPPLIER).status_code == 200
    assert faulty.http.get("/admin/faults").json()["error_5xx"] == 0


def test_faults_injected_are_counted_by_kind(faulty: Api) -> None:
    set_faults(faulty, "5xx=1,seed=1")
    for _ in range(3):
        faulty.post(SEARCH, {}, SUPPLIER)
    set_faults(faulty, "429=1")
    faulty.post(SEARCH, {}, SUPPLIER)
    seen = faulty.http.get("/admin/faults/seen").json()
    assert seen["429"] == 1 and seen["calls"] >= 1 and "5xx" not in seen  # a new plan, new counts
    set_faults(faulty, "")


def test_a_timeout_is_a_timeout_for_the_client(faulty: Api) -> None:
    set_faults(faulty, "timeout=1,timeout_seconds=1")
    with pytest.raises(httpx.ReadTimeout):
        faulty.post(SEARCH, {}, SUPPLIER, timeout=0.2)
    set_faults(faulty, "")
    assert faulty.post(SEARCH, {}, SUPPLIER).status_code == 200


def test_a_dropped_connection_after_commit_keeps_the_deposit(faulty: Api) -> None:
    number = f"DROP-{uuid.uuid4().hex[:8]}"
    set_faults(faulty, "drop=1")
    with pytest.raises(httpx.RemoteProtocolError):
        faulty.deposit(ubl(Facture(number)), "d.xml", "IN_DP_E1_UBL_INVOICE", SUPPLIER)
    set_faults(faulty, "")
    found: list[dict[str, object]] = []
    for _ in range(200):
        found = faulty.call(SEARCH, {"numeroFacture": number}, SUPPLIER).get("listeFactures", [])
        if found:
            break
        time.sleep(0.05)
    assert [f["numeroFacture"] for f in found] == [number], "the flow was committed before the drop"


def test_maintenance_window_and_token_revocation_from_the_plan(tmp_path: Path) -> None:
    sandbox, api = launch(tmp_path, FAST, FaultPlan.parse("maintenance=0+30,seed=1"))
    try:
        down = api.http.post(SEARCH, json={}, headers={"Content-Type": "application/json"})
        assert down.status_code == 503 and int(down.headers["retry-after"]) > 0
        assert "maintenance" in down.text
        set_faults(api, "")
        headers = api.headers(SUPPLIER)
        set_faults(api, "revoke=0")  # the tokens handed out so far die at the next call
        assert api.http.post(SEARCH, json={}, headers=headers).status_code == 401
        api.forget_tokens()
        assert api.post(SEARCH, {}, SUPPLIER).status_code == 200
    finally:
        api.close()
        sandbox.stop()


def test_latency_is_added(faulty: Api) -> None:
    set_faults(faulty, "latency=0.3")
    answer = faulty.post(SEARCH, {}, SUPPLIER)
    set_faults(faulty, "")
    assert answer.status_code == 200 and answer.elapsed.total_seconds() >= 0.3
