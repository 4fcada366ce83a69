"""The buyer's demands (API.md §5.6) as findings, for each kind of structure."""

import pytest

from chorusflow.model import Buyer, Invoice, PartyIdentifier
from chorusflow.rules.chorus import BuyerDirectoryEntry, Requirement, ServiceEntry, routing_findings

SIRET = "12345678200028"


def invoice(service: str | None = None, engagement: str | None = None) -> Invoice:
    return Invoice(
        buyer=Buyer(identifier=PartyIdentifier(value=SIRET, scheme="0009")),
        buyer_reference=service,
        purchase_order_reference=engagement,
    )


def rules(inv: Invoice, entry: BuyerDirectoryEntry | None) -> set[str]:
    return {f.rule for f in routing_findings(inv, entry)}


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({}, Requirement.NONE),
        ({"service_code_required": True}, Requirement.SERVICE),
        ({"engagement_required": True}, Requirement.ENGAGEMENT),
        (
            {"service_code_required": True, "engagement_required": True},
            Requirement.SERVICE_AND_ENGAGEMENT,
        ),
        (
            {"service_or_engagement": True, "service_code_required": True},
            Requirement.SERVICE_OR_ENGAGEMENT,
        ),
    ],
)
def test_requirement_follows_the_directory_flags_in_order(
    flags: dict[str, bool], expected: Requirement
) -> None:
    assert BuyerDirectoryEntry(siret=SIRET, **flags).requirement is expected


def test_each_requirement_is_enforced_and_satisfied() -> None:
    svc = (ServiceEntry("S1"),)
    service = BuyerDirectoryEntry(siret=SIRET, service_code_required=True, services=svc)
    assert rules(invoice(), service) == {"CPRO-SERVICE-REQUIRED"}
    assert rules(invoice("S1"), service) == set()
    engagement = BuyerDirectoryEntry(siret=SIRET, engagement_required=True)
    assert rules(invoice(), engagement) == {"CPRO-ENGAGEMENT-REQUIRED"}
    assert rules(invoice(engagement="EJ1"), engagement) == set()
    either = BuyerDirectoryEntry(siret=SIRET, service_or_engagement=True, services=svc)
    assert rules(invoice(), either) == {"CPRO-SERVICE-OR-ENGAGEMENT"}
    assert rules(invoice("S1"), either) == rules(invoice(engagement="EJ"), either) == set()


def test_unknown_inactive_buyers_and_services() -> None:
    assert rules(Invoice(), None) == {"CPRO-BUYER-SIRET"}
    assert rules(invoice(), None) == {"CPRO-BUYER-UNKNOWN"}
    assert rules(invoice(), BuyerDirectoryEntry(siret=SIRET, active=False)) == {
        "CPRO-BUYER-INACTIVE"
    }
    entry = BuyerDirectoryEntry(
        siret=SIRET,
        services=(ServiceEntry("OLD", active=False), ServiceEntry("EJ", engagement_required=True)),
    )
    assert rules(invoice("NOPE"), entry) == {"CPRO-SERVICE-UNKNOWN"}
    assert rules(invoice("OLD"), entry) == {"CPRO-SERVICE-INACTIVE"}
    assert rules(invoice("EJ"), entry) == {"CPRO-ENGAGEMENT-REQUIRED"}
    assert rules(invoice(engagement="x" * 51), entry) == {"CPRO-ENGAGEMENT-LENGTH"}


def test_findings_speak_french_and_english_and_say_the_fix() -> None:
    (finding,) = routing_findings(
        invoice(), BuyerDirectoryEntry(siret=SIRET, engagement_required=True)
    )
    assert "engagement" in finding.message_en and "engagement" in finding.message_fr
    assert finding.fix and finding.location == "/purchase_order_reference"


def test_a_buyer_siret_that_is_not_fourteen_digits_cannot_be_routed() -> None:
    bad = Invoice(buyer=Buyer(identifier=PartyIdentifier(value="1234567820002", scheme="0009")))
    assert rules(bad, BuyerDirectoryEntry(siret="1234567820002")) == {"CPRO-BUYER-SIRET-FORMAT"}


def test_an_engagement_too_long_is_reported_even_for_an_unknown_buyer() -> None:
    assert rules(invoice(engagement="x" * 51), None) == {
        "CPRO-BUYER-UNKNOWN",
        "CPRO-ENGAGEMENT-LENGTH",
    }
