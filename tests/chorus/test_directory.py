"""ChorusDirectory: a buyer's demands read from the live directory (the sandbox's)."""

from __future__ import annotations

from chorusflow.chorus import ChorusDirectory
from chorusflow.rules.chorus import Requirement
from tests.chorus.conftest import SUPPLIER, Bench


def test_each_kind_of_buyer_reads_as_its_requirement(bench: Bench) -> None:
    directory = ChorusDirectory(bench.client(SUPPLIER))
    expected = {
        "12345678200028": Requirement.SERVICE,
        "12345678200036": Requirement.ENGAGEMENT,
        "12345678200044": Requirement.SERVICE_OR_ENGAGEMENT,
        "12345678200051": Requirement.NONE,
    }
    for siret, requirement in expected.items():
        entry = directory.lookup(siret)
        assert entry is not None and entry.active, siret
        assert entry.requirement is requirement, siret
    service = directory.lookup("12345678200028")
    assert service is not None and service.service("SERVICE_DEST_SERV_OBL") is not None
    assert directory.complete is True


def test_services_carry_their_state_and_engagement_demand(bench: Bench) -> None:
    entry = ChorusDirectory(bench.client(SUPPLIER)).lookup("21380185500015")
    assert entry is not None
    marches, ancien = entry.service("MARCHES"), entry.service("ANCIEN_SERVICE")
    technique = entry.service("SERVICES_TECHNIQUES")
    assert marches is not None and marches.engagement_required and marches.active
    assert ancien is not None and not ancien.active
    assert technique is not None and not technique.engagement_required


def test_unknown_inactive_and_private_structures(bench: Bench) -> None:
    directory = ChorusDirectory(bench.client(SUPPLIER))
    assert directory.lookup("99999999999999") is None
    inactive = directory.lookup("21690123400019")
    assert inactive is not None and not inactive.active
    assert directory.lookup(SUPPLIER) is None, "a private supplier is no public buyer"


def test_answers_are_cached_until_their_time_is_up(bench: Bench) -> None:
    clock = [0.0]
    directory = ChorusDirectory(bench.client(SUPPLIER), ttl=100, clock=lambda: clock[0])
    first = directory.lookup("12345678200028")
    assert directory.lookup("12345678200028") == first
    assert directory.lookup("99999999999999") is None
    assert directory.lookup("99999999999999") is None
    assert directory.walks == 2
    clock[0] = 101
    assert directory.lookup("12345678200028") == first
    assert directory.walks == 3
    directory.forget()
    directory.lookup("12345678200028")
    assert directory.walks == 4
