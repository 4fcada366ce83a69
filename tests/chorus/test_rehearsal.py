"""Rehearsal: real SIRETs and service codes swapped for the data set's, never in production."""

from __future__ import annotations

import pytest

from chorusflow.chorus import Environment, Rehearsal, RehearsalRefusedError, rehearse
from chorusflow.errors import ChorusflowError
from chorusflow.formats.model_json import read_json
from chorusflow.model import Invoice, routing
from tests.conftest import EXAMPLES


def _example() -> Invoice:
    return read_json((EXAMPLES / "service-code.json").read_bytes())


def test_seller_buyer_and_service_are_swapped_everywhere() -> None:
    invoice = _example()
    real = routing(invoice)
    assert real.seller_siret and real.buyer_siret
    mapping = Rehearsal(
        sirets={real.seller_siret: "93125027408770", real.buyer_siret: "12345678200044"},
        services={real.service_code or "none": "SERVICE_DEST_SERV_OBL"},
    )
    test = rehearse(invoice, mapping, Environment.QUALIFICATION)
    route = routing(test)
    assert (route.seller_siret, route.buyer_siret) == ("93125027408770", "12345678200044")
    assert real.service_code, "the example has a service code"
    assert route.service_code == "SERVICE_DEST_SERV_OBL"
    text = test.model_dump_json()
    assert real.seller_siret not in text and real.buyer_siret not in text
    assert invoice == _example(), "the original is untouched"
    assert test.lines == invoice.lines and test.totals == invoice.totals


def test_unmapped_invoices_are_left_alone() -> None:
    invoice = _example()
    assert (
        rehearse(invoice, Rehearsal({"00000000000000": "11111111111111"}), Environment.SANDBOX)
        == invoice
    )


def test_production_refuses_any_rehearsal() -> None:
    with pytest.raises(RehearsalRefusedError, match="production"):
        rehearse(_example(), Rehearsal(), Environment.PRODUCTION)


def test_a_mapping_of_non_sirets_is_refused() -> None:
    with pytest.raises(ChorusflowError, match="not a SIRET"):
        Rehearsal({"123": "93125027408770"}).check()
