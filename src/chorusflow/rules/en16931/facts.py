"""What the rules ask of an invoice, computed once per check in one pass over it.

Many rules ask the same questions (which lines are in category S? does the seller show a VAT
identifier?); answering them once keeps checking linear in the number of lines and well under
a millisecond for a typical invoice.

The rules judge what the invoice states: the sums they compare with are sums of the stated
line net amounts and allowance and charge amounts (a missing one counts for nothing, and has
its own rule), grouped on the VAT keys of :mod:`chorusflow.model.totals`. A missing document
totals group (BG-22) reads as an empty one: every syntax writes that group, empty or not.
"""

from __future__ import annotations

from decimal import Decimal

from chorusflow.model import (
    Buyer,
    DocumentAllowance,
    DocumentCharge,
    DocumentTotals,
    Invoice,
    LineAllowance,
    LineCharge,
    PaymentInstructions,
    Seller,
    TaxRepresentative,
)
from chorusflow.model.totals import ZERO, VatKey, document_vat_key, line_vat_key

DocumentItems = tuple[DocumentAllowance | DocumentCharge, ...]
"""Document level allowances or charges (BG-20, BG-21), which share their shape."""
LineItems = tuple[LineAllowance | LineCharge, ...]
"""Line allowances or charges (BG-27, BG-28)."""


def blank(text: str | None) -> bool:
    """Missing, or only white space (``normalize-space(.) = ''``)."""
    return text is None or not text.strip()


def code(value: str | None) -> str | None:
    """A code as the official rules compare it: white space around it ignored."""
    return value.strip() if value is not None else None


def _index(codes: list[str | None]) -> dict[str | None, list[int]]:
    """Positions of each code in a list of codes."""
    out: dict[str | None, list[int]] = {}
    for position, value in enumerate(codes):
        out.setdefault(code(value), []).append(position)
    return out


_NO_TOTALS = DocumentTotals()


def _add(sums: dict[VatKey, Decimal], key: VatKey, amount: Decimal | None) -> None:
    stripped = VatKey(code(key.category), key.rate)
    sums[stripped] = sums.get(stripped, ZERO) + (amount or ZERO)


def document_amounts(invoice: Invoice) -> dict[VatKey, Decimal]:
    """Per VAT category and rate: Σ stated document charges − Σ allowances.

    Every key a document charge or allowance is in has an entry, even with no amount stated.
    """
    sums: dict[VatKey, Decimal] = {}
    for charge in invoice.charges:
        _add(sums, document_vat_key(charge), charge.amount)
    for allowance in invoice.allowances:
        _add(sums, document_vat_key(allowance), -allowance.amount if allowance.amount else None)
    return sums


def stated_taxable_amounts(
    invoice: Invoice, documents: dict[VatKey, Decimal]
) -> dict[VatKey, Decimal]:
    """Per VAT category and rate: Σ stated line net + ``documents`` (charges − allowances).

    Every key a line, charge or allowance is in has an entry, even when no amount is stated.
    """
    sums = dict(documents)
    for line in invoice.lines:
        _add(sums, line_vat_key(line), line.net_amount)
    return sums


class Facts:
    """The invoice with the answers shared by several rules."""

    __slots__ = (
        "allowance_categories",
        "breakdown_categories",
        "buyer",
        "buyer_legal_id",
        "buyer_vat_id",
        "charge_categories",
        "document_taxable",
        "invoice",
        "line_categories",
        "payment",
        "representative",
        "representative_vat_id",
        "seller",
        "seller_tax_id",
        "seller_vat_id",
        "taxable",
        "totals",
    )

    def __init__(self, invoice: Invoice) -> None:
        self.invoice = invoice
        self.seller: Seller | None = invoice.seller
        self.buyer: Buyer | None = invoice.buyer
        self.representative: TaxRepresentative | None = invoice.tax_representative
        self.totals: DocumentTotals = invoice.totals or _NO_TOTALS
        """BG-22, empty when the invoice has none."""
        self.payment: PaymentInstructions | None = invoice.payment
        seller, buyer, rep = self.seller, self.buyer, self.representative
        self.seller_vat_id = seller is not None and seller.vat_id is not None
        """BT-31 is present."""
        self.seller_tax_id = self.seller_vat_id or (
            seller is not None and seller.tax_registration_id is not None
        )
        """BT-31 or BT-32 is present."""
        self.representative_vat_id = rep is not None and rep.vat_id is not None
        self.buyer_vat_id = buyer is not None and buyer.vat_id is not None
        self.buyer_legal_id = buyer is not None and buyer.legal_registration is not None
        self.line_categories = _index(
            [line.vat.category if line.vat else None for line in invoice.lines]
        )
        """VAT category (BT-151) → positions of the lines in it."""
        self.allowance_categories = _index([a.vat_category for a in invoice.allowances])
        self.charge_categories = _index([c.vat_category for c in invoice.charges])
        self.breakdown_categories = _index([v.category for v in invoice.vat_breakdown])
        self.document_taxable = document_amounts(invoice)
        """Per VAT category (stripped) and rate: Σ document charges − Σ allowances."""
        self.taxable = stated_taxable_amounts(invoice, self.document_taxable)
        """Per VAT category (stripped) and rate: Σ line net + Σ charges − Σ allowances."""

    def names(self, category: str) -> bool:
        """A line, document allowance or charge, or a VAT breakdown is in ``category``."""
        return self.used(category) or category in self.breakdown_categories

    def used(self, category: str) -> bool:
        """A line, document allowance or document charge is in ``category``."""
        return (
            category in self.line_categories
            or category in self.allowance_categories
            or category in self.charge_categories
        )
