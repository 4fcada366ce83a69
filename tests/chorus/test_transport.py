"""What goes wrong on the way, classified so that the outbox can act: not sent, ambiguous,
rate-limited, unavailable — provoked for real with the sandbox's faults."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from chorusflow.chorus import (
    AmbiguousError,
    HttpOptions,
    NotSentError,
    RateLimitedError,
    Timeouts,
    UnavailableError,
)
from chorusflow.chorus._transport import retry_after
from tests.chorus.conftest import LOCAL, Bench, start_bench
from tests.sandbox.invoices import Facture, ubl


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    """A sandbox of its own: its fault plan changes under these tests."""
    stop, bench = start_bench(tmp_path_factory.mktemp("faults"))
    yield bench
    stop()


@pytest.fixture(autouse=True)
def calm(faulty: Bench) -> Iterator[None]:
    faulty.faults("")
    yield
    faulty.faults("")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_connection_refused_is_not_sent(faulty: Bench) -> None:
    client = faulty.client(api_url=f"http://127.0.0.1:{free_port()}")
    client.tokens.token()
    with pytest.raises(NotSentError) as caught:
        client.recuperer_devises()
    assert caught.value.may_have_arrived is False
    assert "nothing was sent" in caught.value.message


def test_an_unreachable_token_endpoint_is_not_sent(faulty: Bench) -> None:
    client = faulty.client()
    client.tokens._token_url = f"http://127.0.0.1:{free_port()}/api/oauth/token"
    with pytest.raises(NotSentError):
        client.recuperer_devises()


def test_a_slow_answer_is_ambiguous(faulty: Bench) -> None:
    client = faulty.client(http=replace(LOCAL, timeouts=Timeouts(read=0.3)))
    client.tokens.token()
    faulty.faults("latency=1.5")
    with pytest.raises(AmbiguousError) as caught:
        client.recuperer_devises()
    assert caught.value.may_have_arrived is True


def test_a_deposit_dropped_after_commit_is_ambiguous_and_did_land(faulty: Bench) -> None:
    client = faulty.client()
    client.tokens.token()
    number = f"DROP-{uuid.uuid4().hex[:8]}"
    faulty.faults("drop=1")
    with pytest.raises(AmbiguousError) as caught:
        client.deposit_flow(ubl(Facture(number)), "d.xml", "IN_DP_E1_UBL_INVOICE")
    assert caught.value.may_have_arrived
    faulty.faults("")
    found = []
    for _ in range(500):
        found = list(client.rechercher_facture_par_fournisseur.all(numeroFacture=number))
        if found:
            break
        time.sleep(0.02)
    assert [f.numeroFacture for f in found] == [number], "the deposit was committed"


def test_5xx_is_unavailable(faulty: Bench) -> None:
    client = faulty.client()
    client.tokens.token()
    faulty.faults("5xx=1,seed=1")
    with pytest.raises(UnavailableError) as caught:
        client.recuperer_devises()
    assert caught.value.status in (500, 502, 503)


def test_429_is_rate_limited_with_its_delay(faulty: Bench) -> None:
    client = faulty.client()
    client.tokens.token()
    faulty.faults("429=1,retry_after=7")
    with pytest.raises(RateLimitedError) as caught:
        client.rechercher_facture_par_fournisseur()
    assert caught.value.retry_after == 7
    assert caught.value.may_have_arrived is False


def test_maintenance_is_unavailable_and_not_processed(faulty: Bench) -> None:
    client = faulty.client()
    faulty.faults("maintenance=0+60")
    with pytest.raises(UnavailableError) as caught:
        client.recuperer_devises()
    error = caught.value
    assert error.status == 503 and error.may_have_arrived is False
    assert error.retry_after is not None and 0 < error.retry_after <= 60


def test_retry_after_reads_seconds_and_dates() -> None:
    assert retry_after("12") == 12
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert retry_after("soon") is None
    assert retry_after(None) is None


def test_bad_tls_files_are_one_sentence(tmp_path: Path) -> None:
    from chorusflow.chorus._transport import Transport
    from chorusflow.errors import ChorusflowError

    with pytest.raises(ChorusflowError, match="Cannot load"):
        Transport(HttpOptions(ca_bundle=tmp_path / "missing.pem"))
