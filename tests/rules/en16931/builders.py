"""Valid invoices per VAT category, and single-field edits of them, for rule tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from chorusflow.model import (
    Address,
    Buyer,
    CreditTransfer,
    Delivery,
    DocumentAllowance,
    DocumentCharge,
    ElectronicAddress,
    Invoice,
    InvoiceLine,
    Item,
    LineVat,
    PartyIdentifier,
    PaymentInstructions,
    Price,
    Seller,
    VatBreakdown,
    complete,
)

SELLER_SIRET = "81234567600009"
BUYER_SIRET = "11000201100044"

#: category -> (rate, exemption reason code) of a valid invoice in that category
CATEGORY_RATES: dict[str, tuple[Decimal | None, str | None]] = {
    "S": (Decimal("20"), None),
    "Z": (Decimal("0"), None),
    "E": (Decimal("0"), "VATEX-FR-FRANCHISE"),
    "AE": (Decimal("0"), "VATEX-EU-AE"),
    "K": (Decimal("0"), "VATEX-EU-IC"),
    "G": (Decimal("0"), "VATEX-EU-G"),
    "O": (None, "VATEX-EU-O"),
    "L": (Decimal("7"), None),
    "M": (Decimal("4"), None),
}


def valid_invoice(category: str = "S", *, documents: bool = True) -> Invoice:
    """A complete invoice in one VAT category that breaks no EN 16931 rule.

    With ``documents``, it has a document allowance and a document charge in the category,
    so that the rules about those apply too.
    """
    rate, exemption = CATEGORY_RATES[category]
    seller_vat = None if category == "O" else "FR19812345676"
    buyer_vat = "DE123456789" if category in ("K", "AE") else None
    invoice = Invoice(
        number="FA-2026-0001",
        issue_date=dt.date(2026, 11, 5),
        type_code="380",
        currency="EUR",
        due_date=dt.date(2026, 12, 5),
        specification_identifier="urn:cen.eu:en16931:2017",
        business_process="A1",
        seller=Seller(
            name="Atelier Exemple SAS",
            identifiers=(PartyIdentifier(value=SELLER_SIRET, scheme="0009"),),
            legal_registration=PartyIdentifier(value=SELLER_SIRET, scheme="0009"),
            vat_id=seller_vat,
            electronic_address=ElectronicAddress(value=SELLER_SIRET, scheme="0009"),
            address=Address(line1="4 quai du Port", city="Lyon", post_code="69002", country="FR"),
        ),
        buyer=Buyer(
            name="Ministère de l'Exemple",
            identifier=PartyIdentifier(value=BUYER_SIRET, scheme="0009"),
            legal_registration=PartyIdentifier(value=BUYER_SIRET, scheme="0009"),
            vat_id=buyer_vat,
            electronic_address=ElectronicAddress(value=BUYER_SIRET, scheme="0009"),
            address=Address(line1="1 avenue de l'État", city="Paris", country="FR"),
        ),
        delivery=Delivery(
            date=dt.date(2026, 11, 4),
            address=Address(city="Berlin", country="DE") if category == "K" else None,
        ),
        payment=PaymentInstructions(
            means_code="30",
            credit_transfers=(CreditTransfer(account_id="FR7630006000011234567890189"),),
        ),
        allowances=(
            DocumentAllowance(
                amount=Decimal("10.00"), vat_category=category, vat_rate=rate, reason="Remise"
            ),
        )
        if documents
        else (),
        charges=(
            DocumentCharge(
                amount=Decimal("5.00"),
                vat_category=category,
                vat_rate=rate,
                reason="Port",
                reason_code="FC",
            ),
        )
        if documents
        else (),
        vat_breakdown=(
            VatBreakdown(
                category=category,
                rate=rate,
                exemption_reason_code=exemption,
                exemption_reason="Exonération" if exemption else None,
            ),
        ),
        lines=(
            InvoiceLine(
                id="1",
                quantity=Decimal("3"),
                unit="C62",
                price=Price(net=Decimal("100.00")),
                vat=LineVat(category=category, rate=rate),
                item=Item(name="Prestation"),
            ),
            InvoiceLine(
                id="2",
                quantity=Decimal("2"),
                unit="HUR",
                price=Price(net=Decimal("45.50")),
                vat=LineVat(category=category, rate=rate),
                item=Item(name="Heures"),
            ),
        ),
    )
    return complete(invoice)


def _set(node: Any, parts: list[str], value: Any) -> Any:
    head, rest = parts[0], parts[1:]
    if isinstance(node, tuple):
        index = int(head)
        items = list(node)
        items[index] = _set(items[index], rest, value) if rest else value
        return tuple(items)
    assert isinstance(node, BaseModel), f"cannot go into {node!r} at {head}"
    if rest:
        current = getattr(node, head)
        assert current is not None, f"{head} is empty: set the whole group instead"
        value = _set(current, rest, value)
    return node.model_copy(update={head: value})


def edit(invoice: Invoice, path: str, value: Any) -> Invoice:
    """``invoice`` with the field at ``path`` (``lines.0.vat.rate``) set to ``value``."""
    result = _set(invoice, path.split("."), value)
    assert isinstance(result, Invoice)
    return result


def edits(invoice: Invoice, **changes: Any) -> Invoice:
    """Several :func:`edit` at once; ``__`` stands for the dot: ``lines__0__unit=None``."""
    for path, value in changes.items():
        invoice = edit(invoice, path.replace("__", "."), value)
    return invoice
