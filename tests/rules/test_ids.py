"""Identifiers checked with python-stdnum (SIRET, SIREN, VAT, IBAN, BIC) wherever they sit."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from chorusflow.formats.model_json import read_json
from chorusflow.model import (
    Buyer,
    CreditTransfer,
    Delivery,
    DirectDebit,
    ElectronicAddress,
    Invoice,
    PartyIdentifier,
    Payee,
    PaymentInstructions,
    Seller,
    TaxRepresentative,
)
from chorusflow.rules.findings import Layer, Severity
from chorusflow.rules.ids import identifier_findings, occurrences
from tests.strategies import invoices

QUALIFICATION_SUPPLIER = "93125027408770"  # API.md §12.2: 14 digits, fails the Luhn check
GOOD_SIRET = "90123456700005"
GOOD_IBAN = "FR7630006000011234567890189"


def seller(*idents: PartyIdentifier, vat: str | None = None) -> Invoice:
    return Invoice(seller=Seller(identifiers=idents, vat_id=vat))


def rules(invoice: Invoice, **kwargs: Severity) -> list[tuple[str, str | None, Severity]]:
    return [(f.rule, f.location, f.severity) for f in identifier_findings(invoice, **kwargs)]


def test_the_examples_have_only_valid_identifiers(example_path: Path) -> None:
    assert identifier_findings(read_json(example_path.read_bytes())) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoices())
def test_generated_invoices_have_only_valid_identifiers(invoice: Invoice) -> None:
    assert identifier_findings(invoice) == []


def test_a_siret_failing_luhn_is_fatal_by_default_and_a_warning_in_rehearsal() -> None:
    invoice = seller(PartyIdentifier(value=QUALIFICATION_SUPPLIER, scheme="0009"))
    assert rules(invoice) == [("ID-SIRET-LUHN", "/seller/identifiers/0/value", Severity.FATAL)]
    assert rules(invoice, luhn=Severity.WARNING) == [
        ("ID-SIRET-LUHN", "/seller/identifiers/0/value", Severity.WARNING)
    ]


def test_la_poste_sirets_follow_their_own_rule() -> None:
    # La Poste establishments: digits summing to a multiple of 5 instead of Luhn.
    assert rules(seller(PartyIdentifier(value="35600000000010", scheme="0009"))) == []
    assert [
        r for r, *_ in rules(seller(PartyIdentifier(value="35600000000011", scheme="0009")))
    ] == ["ID-SIRET-LUHN"]


@pytest.mark.parametrize("value", ["9012345670000", "901234567000051", "9012345670000A", "SIRET"])
def test_a_malformed_siret_is_fatal_even_in_rehearsal(value: str) -> None:
    invoice = Invoice(buyer=Buyer(identifier=PartyIdentifier(value=value, scheme="0009")))
    assert rules(invoice, luhn=Severity.WARNING) == [
        ("ID-SIRET-FORMAT", "/buyer/identifier/value", Severity.FATAL)
    ]


def test_sirens_under_scheme_0002() -> None:
    assert rules(seller(PartyIdentifier(value="901234567", scheme="0002"))) == []
    assert rules(seller(PartyIdentifier(value="901234568", scheme="0002"))) == [
        ("ID-SIREN-LUHN", "/seller/identifiers/0/value", Severity.FATAL)
    ]
    assert [r for r, *_ in rules(seller(PartyIdentifier(value="90123456", scheme="0002")))] == [
        "ID-SIREN-FORMAT"
    ]


def test_other_schemes_are_not_judged_as_sirets() -> None:
    assert rules(seller(PartyIdentifier(value="not a siret", scheme="0088"))) == []
    assert rules(seller(PartyIdentifier(value="not a siret"))) == []


def test_french_vat_numbers() -> None:
    assert rules(seller(vat="FR15901234567")) == []
    assert rules(seller(vat="FR 15 901234567")) == []
    assert rules(seller(vat="FR16901234567")) == [("ID-VAT-KEY", "/seller/vat_id", Severity.FATAL)]
    assert [r for r, *_ in rules(seller(vat="FR1590123456"))] == ["ID-VAT-FORMAT"]
    # The SIREN inside fails Luhn: the qualification data set's kind of number.
    fake = "FR" + "00" + QUALIFICATION_SUPPLIER[:9]
    assert rules(seller(vat=fake), luhn=Severity.WARNING) == [
        ("ID-VAT-LUHN", "/seller/vat_id", Severity.WARNING)
    ]


def test_other_eu_vat_numbers_by_their_country_rules_and_non_eu_ones_left_alone() -> None:
    assert rules(Invoice(buyer=Buyer(vat_id="DE136695976"))) == []
    assert rules(Invoice(buyer=Buyer(vat_id="DE136695977"))) == [
        ("ID-VAT-KEY", "/buyer/vat_id", Severity.FATAL)
    ]
    assert [r for r, *_ in rules(Invoice(buyer=Buyer(vat_id="BE12")))] == ["ID-VAT-FORMAT"]
    assert rules(Invoice(buyer=Buyer(vat_id="CHE-123.456.788 MWST"))) == []
    assert rules(Invoice(buyer=Buyer(vat_id="GB123456789"))) == []


def test_a_vat_number_on_another_siren_than_the_partys_is_a_warning() -> None:
    invoice = seller(PartyIdentifier(value=GOOD_SIRET, scheme="0009"), vat="FR11123456782")
    assert rules(invoice) == [("ID-VAT-SIREN", "/seller/vat_id", Severity.WARNING)]
    same = seller(PartyIdentifier(value=GOOD_SIRET, scheme="0009"), vat="FR15901234567")
    assert rules(same) == []
    foreign = seller(PartyIdentifier(value=GOOD_SIRET, scheme="0009"), vat="DE136695976")
    assert rules(foreign) == []


def test_iban_and_bic_of_credit_transfers() -> None:
    def pay(account: str, bic: str | None = None, means: str = "30") -> Invoice:
        transfer = CreditTransfer(account_id=account, provider_id=bic)
        return Invoice(payment=PaymentInstructions(means_code=means, credit_transfers=(transfer,)))

    assert rules(pay(GOOD_IBAN, "AGRIFRPPXXX")) == []
    assert rules(pay("FR76 3000 6000 0112 3456 7890 189")) == []
    assert rules(pay(GOOD_IBAN[:-1] + "8")) == [
        ("ID-IBAN-KEY", "/payment/credit_transfers/0/account_id", Severity.FATAL)
    ]
    assert rules(pay(GOOD_IBAN, "AGRI-FR")) == [
        ("ID-BIC-FORMAT", "/payment/credit_transfers/0/provider_id", Severity.FATAL)
    ]
    # A proprietary account number is allowed for a plain credit transfer, not for SEPA (58).
    assert rules(pay("123-456-789")) == []
    assert [r for r, *_ in rules(pay("123-456-789", means="58"))] == ["ID-IBAN-KEY"]


def test_every_place_an_identifier_sits_is_visited() -> None:
    bad = "12345678901234"
    ident = PartyIdentifier(value=bad, scheme="0009")
    address = ElectronicAddress(value=bad, scheme="0009")
    invoice = Invoice(
        seller=Seller(identifiers=(ident,), legal_registration=ident, electronic_address=address),
        buyer=Buyer(identifier=ident, legal_registration=ident, electronic_address=address),
        payee=Payee(identifier=ident, legal_registration=ident),
        tax_representative=TaxRepresentative(vat_id="FR00000000000"),
        delivery=Delivery(location_id=ident),
        payment=PaymentInstructions(direct_debit=DirectDebit(debited_account_id="FR00 1234")),
    )
    terms = [o.term for o in occurrences(invoice)]
    assert terms == [
        "BT-29", "BT-30", "BT-34", "BT-46", "BT-47", "BT-49", "BT-60", "BT-61", "BT-63",
        "BT-71", "BT-91",
    ]  # fmt: skip
    findings = identifier_findings(invoice)
    assert {f.layer for f in findings} == {Layer.IDS}
    assert all(f.message_fr and f.message_en and f.fix for f in findings)
    assert len(findings) == len(terms)


def test_a_vat_number_as_electronic_address_under_eas_9957() -> None:
    invoice = Invoice(
        seller=Seller(electronic_address=ElectronicAddress(value="FR16901234567", scheme="9957"))
    )
    assert rules(invoice) == [("ID-VAT-KEY", "/seller/electronic_address/value", Severity.FATAL)]
