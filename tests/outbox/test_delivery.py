"""End to end against the sandbox: queued, deposited, integrated, followed to payment."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from chorusflow.formats.profiles import Syntax
from chorusflow.outbox import SendOptions, State, Store, Worker, enqueue
from tests.chorus.conftest import SUPPLIER, Bench
from tests.outbox.conftest import QUICK, accounts, invoice_file


def numbers(prefix: str, count: int) -> list[str]:
    tag = uuid.uuid4().hex[:6].upper()
    return [f"{prefix}-{tag}-{i:03d}" for i in range(count)]


def on_platform(bench: Bench, number: str) -> list[dict[str, object]]:
    """The supplier's invoices with this number, as the sandbox holds them."""
    found = bench.api.call(
        "/cpro/factures/v1/rechercher/fournisseur",
        {"numeroFacture": number, "rechercheFactureParFournisseur": {"nbResultatsParPage": 50}},
        SUPPLIER,
    )
    items: list[dict[str, object]] = found.get("listeFactures", [])
    return [i for i in items if i["numeroFacture"] == number]


@pytest.mark.parametrize("syntax", ["json", "ubl", "cii", "facturx"])
def test_each_syntax_is_delivered_and_followed_to_payment(
    paying: Bench, store: Store, tmp_path: Path, syntax: str
) -> None:
    number = numbers(f"E2E{syntax[:2].upper()}", 1)[0]
    path = invoice_file(tmp_path, number, syntax)
    options = SendOptions(syntax=Syntax.UBL) if syntax == "json" else SendOptions()
    [queued] = enqueue(store, [path], options)
    assert queued.state is State.CHECKED, queued.findings
    Worker(store, accounts(paying), QUICK).run(until_idle=True)
    record = store.invoice(queued.invoice_id)
    assert record is not None
    assert record.state is State.PAID, record
    assert record.lifecycle == "MISE_EN_PAIEMENT"
    assert record.cpp_id is not None and record.flow_number
    found = on_platform(paying, number)
    assert len(found) == 1 and found[0]["identifiantFactureCPP"] == record.cpp_id
    moves = [(t.source, t.target) for t in store.history(record.id)]
    assert moves[:5] == [
        (None, State.QUEUED),
        (State.QUEUED, State.CHECKED),
        (State.CHECKED, State.DEPOSITING),
        (State.DEPOSITING, State.DEPOSITED),
        (State.DEPOSITED, State.INTEGRATED),
    ]
    assert moves[-1] == (State.INTEGRATED, State.PAID)
