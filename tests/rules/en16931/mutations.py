"""Single-field mutations of an invoice: drop a field, a wrong code, a broken amount, another
VAT category, a flawed optional group added. Each applies where the invoice has the field
(or, for an added group, its parent), and says so when it has not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from typing import Any

from pydantic import BaseModel

from chorusflow.model import (
    Address,
    Classification,
    Contact,
    Delivery,
    Identifier,
    Invoice,
    ItemAttribute,
    LineAllowance,
    LineCharge,
    Note,
    PartyIdentifier,
    Payee,
    PaymentCard,
    PaymentInstructions,
    Period,
    PrecedingInvoice,
    SupportingDocument,
    TaxRepresentative,
)
from tests.rules.en16931.builders import edit


def get(node: Any, path: str) -> Any:
    """The value at ``path`` (``lines.0.vat.rate``), or None where the path stops."""

    def step(value: Any, part: str) -> Any:
        if value is None:
            return None
        if isinstance(value, tuple):
            index = int(part)
            return value[index] if index < len(value) else None
        assert isinstance(value, BaseModel)
        return getattr(value, part)

    return reduce(step, path.split("."), node)


@dataclass(frozen=True)
class Mutation:
    """One change to one field; ``apply`` gives None when the invoice has no such field."""

    name: str
    path: str
    change: Callable[[Any], Any]
    adds: bool = False
    """The change also applies where the field is empty (it adds a group)."""

    def apply(self, invoice: Invoice) -> Invoice | None:
        current = get(invoice, self.path)
        parent = get(invoice, self.path.rpartition(".")[0]) if "." in self.path else invoice
        if parent is None or (current is None and not self.adds):
            return None
        new = self.change(current)
        return None if new == current else edit(invoice, self.path, new)


def drop(path: str) -> Mutation:
    return Mutation(f"drop {path}", path, lambda value: () if isinstance(value, tuple) else None)


def set_to(path: str, value: Any) -> Mutation:
    return Mutation(f"{path}={value}", path, lambda _: value)


def add(path: str, value: Any) -> Mutation:
    return Mutation(f"{path}:={value!r}", path, lambda _: value, adds=True)


def shift(path: str, by: str) -> Mutation:
    return Mutation(f"{path} {by}", path, lambda value: value + Decimal(by))


def decimals3(path: str) -> Mutation:
    return Mutation(f"{path} with 3 decimals", path, lambda value: value.quantize(Decimal("0.001")))


MUTATIONS: tuple[Mutation, ...] = (
    # a field dropped
    *(
        drop(path)
        for path in (
            "number",
            "issue_date",
            "type_code",
            "currency",
            "seller.name",
            "seller.address",
            "seller.address.country",
            "seller.vat_id",
            "seller.legal_registration",
            "seller.electronic_address",
            "buyer.name",
            "buyer.address",
            "buyer.vat_id",
            "lines",
            "lines.0.id",
            "lines.0.quantity",
            "lines.0.unit",
            "lines.0.net_amount",
            "lines.0.price",
            "lines.0.vat",
            "lines.0.vat.rate",
            "lines.0.item.name",
            "lines.0.allowances.0.reason",
            "allowances.0.amount",
            "allowances.0.vat_category",
            "allowances.0.reason",
            "charges.0.reason",
            "charges.0.reason_code",
            "totals.line_total",
            "totals.tax_exclusive",
            "totals.tax_total",
            "totals.tax_inclusive",
            "totals.payable",
            "totals.prepaid",
            "vat_breakdown",
            "vat_breakdown.0.taxable_amount",
            "vat_breakdown.0.tax_amount",
            "vat_breakdown.0.rate",
            "vat_breakdown.0.exemption_reason",
            "vat_breakdown.0.exemption_reason_code",
            "payment.means_code",
            "payment.credit_transfers",
            "preceding_invoices.0.reference",
            "supporting_documents.0.reference",
        )
    ),
    # a wrong code
    set_to("type_code", "999"),
    set_to("currency", "ZZZ"),
    set_to("seller.address.country", "XX"),
    set_to("buyer.vat_id", "ZZ123"),
    set_to("lines.0.unit", "QQQ"),
    set_to("lines.0.vat.category", "X"),
    set_to("payment.means_code", "999"),
    set_to("seller.identifiers.0.scheme", "9999"),
    set_to("seller.identifiers.0.scheme", "SEPA"),
    set_to("buyer.identifier.scheme", "SEPA"),
    set_to("buyer.legal_registration.scheme", "SEPA"),
    set_to("buyer.electronic_address.scheme", "9999"),
    set_to("charges.0.reason_code", "QQQ"),
    set_to("vat_breakdown.0.exemption_reason_code", "VATEX-QQ"),
    set_to("supporting_documents.0.attachment.mime_code", "application/zip"),
    # a broken amount
    shift("totals.line_total", "1"),
    shift("totals.tax_exclusive", "-0.01"),
    shift("totals.tax_total", "0.5"),
    shift("totals.tax_inclusive", "2"),
    shift("totals.payable", "-0.01"),
    shift("lines.0.net_amount", "1"),
    shift("allowances.0.amount", "1"),
    shift("charges.0.amount", "1"),
    shift("vat_breakdown.0.taxable_amount", "1"),
    shift("vat_breakdown.0.taxable_amount", "0.5"),
    shift("vat_breakdown.0.tax_amount", "1.5"),
    shift("lines.0.price.net", "-100000"),
    decimals3("lines.0.net_amount"),
    decimals3("totals.payable"),
    decimals3("vat_breakdown.0.tax_amount"),
    decimals3("allowances.0.amount"),
    # another VAT category, keeping the rate
    *(
        set_to("lines.0.vat.category", code)
        for code in ("S", "Z", "E", "AE", "K", "G", "O", "L", "M", "B")
    ),
    *(set_to("vat_breakdown.0.category", code) for code in ("S", "E", "O")),
    set_to("lines.0.vat.rate", Decimal("0")),
    set_to("lines.0.vat.rate", Decimal("5.5")),
    # a flawed optional group added
    add("payee", Payee(identifier=PartyIdentifier(value="1", scheme="0088"))),
    add("tax_representative", TaxRepresentative(name="Représentant")),
    add("tax_representative", TaxRepresentative(vat_id="XX1", address=Address(city="Paris"))),
    add("invoicing_period", Period(start=dt.date(2026, 2, 1), end=dt.date(2026, 1, 1))),
    add("invoicing_period", Period()),
    add("lines.0.period", Period(start=dt.date(2026, 2, 1), end=dt.date(2026, 1, 1))),
    add("lines.0.allowances", (LineAllowance(amount=Decimal("1.000")),)),
    add("lines.0.charges", (LineCharge(reason="Frais", reason_code="QQQ"),)),
    add("lines.0.item.attributes", (ItemAttribute(name="Couleur"),)),
    add("lines.0.item.standard_id", PartyIdentifier(value="3760123456789")),
    add("lines.0.item.classifications", (Classification(value="1", scheme="QQ"),)),
    add("lines.0.item.origin_country", "XX"),
    add("lines.0.object_identifier", Identifier(value="X", scheme="QQQ")),
    add("notes", (Note(subject_code="QQQ", text="Note"),)),
    add("payment.card", PaymentCard(primary_account_number="4970101234567890")),
    add("delivery", Delivery(address=Address(city="Lyon"))),
    add("delivery", Delivery(location_id=PartyIdentifier(value="1", scheme="9999"))),
    add("invoiced_object_identifier", Identifier(value="X", scheme="QQQ")),
    add("invoiced_object_identifier", Identifier(value="  ", scheme="AAB")),
    add("tax_point_date_code", "3"),
    add("tax_point_date_code", "1"),
    add("vat_accounting_currency", "USD"),
    add("preceding_invoices", (PrecedingInvoice(issue_date=dt.date(2026, 1, 2)),)),
    add("supporting_documents", (SupportingDocument(description="Bon"),)),
    add("totals.prepaid", Decimal("10.00")),
    add("totals.rounding", Decimal("0.01")),
    add("buyer.vat_id", "FR40303265045"),
    add("seller.tax_registration_id", "12345"),
    # a group there but empty: both syntaxes write it as an empty element and read it back
    add("seller.address", Address()),
    add("buyer.contact", Contact()),
    add("tax_representative", TaxRepresentative()),
    add("payee", Payee()),
    add("delivery", Delivery()),
    add("payment", PaymentInstructions()),
    add("payment.card", PaymentCard()),
    add("lines.0.period", Period()),
    add("lines.0.allowances", (LineAllowance(),)),
    add("preceding_invoices", (PrecedingInvoice(),)),
    add("supporting_documents", (SupportingDocument(),)),
)
