"""Chorus Pro deposit rules: routing with a directory, number, attachments, credit notes, cadre."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from chorusflow.formats.model_json import read_json
from chorusflow.model import (
    Address,
    Attachment,
    Buyer,
    Invoice,
    PartyIdentifier,
    PrecedingInvoice,
    Seller,
    SupportingDocument,
)
from chorusflow.rules.chorus import BuyerDirectoryEntry, ServiceEntry
from chorusflow.rules.deposit import (
    MAX_ATTACHMENT_BYTES,
    MAX_FLOW_FILE_BYTES,
    deposit_findings,
)
from chorusflow.rules.directory import FileDirectory
from chorusflow.rules.findings import Layer, Severity
from tests.conftest import EXAMPLES
from tests.strategies import invoices

BUYER = "12345678200028"
SELLER = "90123456700005"


def base(**changes: object) -> Invoice:
    invoice = Invoice(
        number="FA-2026-0001",
        type_code="380",
        business_process="A1",
        seller=Seller(
            legal_registration=PartyIdentifier(value=SELLER, scheme="0009"),
            address=Address(country="FR"),
        ),
        buyer=Buyer(identifier=PartyIdentifier(value=BUYER, scheme="0009")),
    )
    return invoice.model_copy(update=changes)


def found(invoice: Invoice, **kwargs: object) -> list[tuple[str, Severity]]:
    return [(f.rule, f.severity) for f in deposit_findings(invoice, **kwargs)]  # type: ignore[arg-type]


def doc(name: str | None, size: int = 10) -> SupportingDocument:
    return SupportingDocument(
        reference="PJ",
        attachment=Attachment(content=b"x" * size, mime_code="application/pdf", filename=name),
    )


def test_the_examples_pass_the_deposit_rules(example_path: Path) -> None:
    assert deposit_findings(read_json(example_path.read_bytes())) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoices())
def test_generated_invoices_pass_the_deposit_rules(invoice: Invoice) -> None:
    assert deposit_findings(invoice) == []


def test_a_clean_invoice_has_no_finding_and_every_finding_is_of_the_chorus_layer() -> None:
    assert found(base()) == []
    broken = base(number="FA 2026/é", business_process="Z9", buyer=None)
    findings = deposit_findings(broken)
    assert {f.layer for f in findings} == {Layer.CHORUS}
    assert all(f.message_en and f.message_fr and f.fix and f.location for f in findings)


def test_buyer_siret_present_and_fourteen_digits() -> None:
    assert found(base(buyer=None)) == [("CPRO-BUYER-SIRET", Severity.FATAL)]
    no_scheme = Buyer(identifier=PartyIdentifier(value=BUYER))
    (finding,) = deposit_findings(base(buyer=no_scheme))
    assert finding.rule == "CPRO-BUYER-SIRET" and "0009" in (finding.fix or "")
    spaced = Buyer(identifier=PartyIdentifier(value="123 456 782 00028", scheme="0009"))
    assert found(base(buyer=spaced)) == [("CPRO-BUYER-SIRET-FORMAT", Severity.FATAL)]


def test_buyer_demands_come_from_the_directory() -> None:
    entry = BuyerDirectoryEntry(
        siret=BUYER, service_code_required=True, services=(ServiceEntry("SVC"),)
    )
    directory = FileDirectory.of([entry])
    assert found(base(), directory=directory) == [("CPRO-SERVICE-REQUIRED", Severity.FATAL)]
    assert found(base(buyer_reference="SVC"), directory=directory) == []
    assert found(base(buyer_reference="NOPE"), directory=directory) == [
        ("CPRO-SERVICE-UNKNOWN", Severity.FATAL)
    ]
    # Without a directory the demands are not known, so not judged.
    assert found(base()) == []


def test_a_buyer_missing_from_the_directory() -> None:
    other = FileDirectory.of([BuyerDirectoryEntry(siret="12345678200051")])
    assert found(base(), directory=other) == [("CPRO-BUYER-NOT-IN-DIRECTORY", Severity.WARNING)]
    complete = FileDirectory.of(other.entries.values(), complete=True)
    assert found(base(), directory=complete) == [("CPRO-BUYER-UNKNOWN", Severity.FATAL)]


def test_engagement_length_is_checked_with_or_without_a_directory() -> None:
    long = base(purchase_order_reference="E" * 51)
    assert found(long) == [("CPRO-ENGAGEMENT-LENGTH", Severity.FATAL)]
    assert found(base(purchase_order_reference="E" * 50)) == []


def test_french_seller_needs_a_well_formed_siret() -> None:
    french = Seller(address=Address(country="FR"))
    assert found(base(seller=french)) == [("CPRO-SELLER-SIRET", Severity.FATAL)]
    spaced = Seller(
        identifiers=(PartyIdentifier(value="901 234 567 00005", scheme="0009"),),
        address=Address(country="FR"),
    )
    assert found(base(seller=spaced)) == [("CPRO-SELLER-SIRET-FORMAT", Severity.FATAL)]
    foreign = Seller(name="GmbH", address=Address(country="DE"))
    assert found(base(seller=foreign)) == []


@pytest.mark.parametrize("number", ["FA-2026-0001", "A_1/2+3", "12345678901234567890"])
def test_invoice_numbers_chorus_pro_accepts(number: str) -> None:
    assert found(base(number=number)) == []


@pytest.mark.parametrize(
    ("number", "rules"),
    [
        ("FA 2026", ["CPRO-NUMBER-CHARS"]),
        ("FACTURE-É1", ["CPRO-NUMBER-CHARS"]),
        ("FA.1", ["CPRO-NUMBER-CHARS"]),
        ("123456789012345678901", ["CPRO-NUMBER-LENGTH"]),
        ("FA 2026 0000000000000001", ["CPRO-NUMBER-CHARS", "CPRO-NUMBER-LENGTH"]),
    ],
)
def test_invoice_numbers_chorus_pro_refuses(number: str, rules: list[str]) -> None:
    assert [r for r, _ in found(base(number=number))] == rules


def test_attachment_names_and_types() -> None:
    ok = base(
        supporting_documents=(
            doc("pv.pdf"),
            doc("releve.CSV"),
            doc(None).model_copy(update={"attachment": None}),
        )
    )
    assert found(ok) == []
    assert found(base(supporting_documents=(doc(None),))) == [
        ("CPRO-ATTACHMENT-NAME", Severity.FATAL)
    ]
    assert found(base(supporting_documents=(doc("x" * 47 + ".pdf"),))) == [
        ("CPRO-ATTACHMENT-NAME-LENGTH", Severity.FATAL)
    ]
    assert found(base(supporting_documents=(doc("x" * 46 + ".pdf"),))) == []
    assert found(base(supporting_documents=(doc("setup.exe"),))) == [
        ("CPRO-ATTACHMENT-TYPE", Severity.FATAL)
    ]
    assert found(base(supporting_documents=(doc("README"),))) == [
        ("CPRO-ATTACHMENT-TYPE", Severity.FATAL)
    ]
    assert found(base(supporting_documents=(doc("schema.xsd"),))) == [
        ("CPRO-ATTACHMENT-TYPE", Severity.WARNING)
    ]


def test_attachment_and_flow_sizes() -> None:
    big = base(supporting_documents=(doc("scan.pdf", MAX_ATTACHMENT_BYTES),))
    assert found(big) == [("CPRO-ATTACHMENT-SIZE", Severity.FATAL)]
    just = base(supporting_documents=(doc("scan.pdf", MAX_ATTACHMENT_BYTES - 1),))
    assert found(just) == []
    two = base(supporting_documents=(doc("a.pdf", 6_000_000), doc("b.pdf", 6_000_000)))
    assert found(two) == [("CPRO-FLOW-SIZE", Severity.FATAL)]
    # A file already built is judged by its own size.
    assert found(base(), file_size=MAX_FLOW_FILE_BYTES + 1) == [("CPRO-FLOW-SIZE", Severity.FATAL)]
    assert found(base(), file_size=MAX_FLOW_FILE_BYTES) == []


def test_a_credit_note_names_the_invoice_it_corrects() -> None:
    assert found(base(type_code="381")) == [("CPRO-CREDIT-NOTE-ORIGIN", Severity.FATAL)]
    origin = (PrecedingInvoice(reference="FA-2026-0001"),)
    assert found(base(type_code="381", preceding_invoices=origin)) == []
    assert found(base(type_code="380")) == []


@pytest.mark.parametrize(
    ("process", "expected"),
    [
        (None, []),
        ("A1", []),
        ("A2_FACTURE_FOURNISSEUR_DEJA_PAYEE", []),
        ("a9", []),
        ("A12", []),
        ("A4", [("CPRO-FRAMEWORK-CIRCUIT", Severity.WARNING)]),
        ("urn:fdc:peppol.eu:2017:poacc:billing:01:1.0", [("CPRO-FRAMEWORK", Severity.FATAL)]),
        ("A26", [("CPRO-FRAMEWORK", Severity.FATAL)]),
    ],
)
def test_invoicing_frameworks(process: str | None, expected: list[tuple[str, Severity]]) -> None:
    assert found(base(business_process=process)) == expected


def test_the_service_code_example_against_the_qualification_directory() -> None:
    invoice = read_json((EXAMPLES / "service-code.json").read_bytes())
    entry = BuyerDirectoryEntry(
        siret=BUYER, service_code_required=True, services=(ServiceEntry("SERVICE_DEST_SERV_OBL"),)
    )
    assert deposit_findings(invoice, FileDirectory.of([entry])) == []
    without = invoice.model_copy(update={"buyer_reference": None})
    assert [f.rule for f in deposit_findings(without, FileDirectory.of([entry]))] == [
        "CPRO-SERVICE-REQUIRED"
    ]


def test_the_refused_characters_are_named() -> None:
    (finding,) = deposit_findings(base(number="FA 2026.é"))
    assert "contains a space, '.', 'é'" in finding.message_en
    assert "contient une espace, « . », « é »" in finding.message_fr
