"""Hypothesis strategies: random invoices that EN 16931 and Chorus Pro accept.

``invoices()`` draws complete, valid invoices (totals computed by the model) across VAT
categories, allowances and charges, credit notes, attachments and payment means, with text
that exercises XML escaping and French characters. Tests of writers, readers and rules use it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st
from stdnum import luhn

from chorusflow.model import (
    Address,
    Attachment,
    Buyer,
    Contact,
    CreditTransfer,
    Delivery,
    DocumentAllowance,
    DocumentCharge,
    DocumentTotals,
    ElectronicAddress,
    Invoice,
    InvoiceLine,
    Item,
    LineAllowance,
    LineCharge,
    LineVat,
    Note,
    PartyIdentifier,
    PaymentInstructions,
    Period,
    PrecedingInvoice,
    Price,
    Seller,
    SupportingDocument,
    VatBreakdown,
    complete,
)

# Printable text with French accents and characters XML must escape; never blank.
_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 éèêàçùôîÉÀÇœ€&<>\"'-_/.,;:()°"
)
words = st.text(_ALPHABET, min_size=1, max_size=40).map(str.strip).filter(bool)
codes = st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-_/", min_size=1, max_size=20)
dates = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))


@st.composite
def sirets(draw: st.DrawFn) -> str:
    """A 14-digit SIRET whose SIREN and SIRET both pass the Luhn check."""
    while True:
        siren = draw(st.text("0123456789", min_size=8, max_size=8).filter(lambda s: s[0] != "0"))
        siren += luhn.calc_check_digit(siren)
        nic = draw(st.text("0123456789", min_size=4, max_size=4))
        siret = siren + nic + luhn.calc_check_digit(siren + nic)
        if luhn.is_valid(siret):
            return siret


def vat_id(siret: str) -> str:
    siren = int(siret[:9])
    return f"FR{(12 + 3 * (siren % 97)) % 97:02d}{siret[:9]}"


def money(low: str = "0.01", high: str = "5000") -> st.SearchStrategy[Decimal]:
    return st.decimals(Decimal(low), Decimal(high), places=2, allow_nan=False)


addresses = st.builds(
    Address,
    line1=words,
    line2=st.none() | words,
    city=words,
    post_code=st.text("0123456789", min_size=5, max_size=5),
    country=st.just("FR"),
)

# Attachment MIME codes with the file extension Chorus Pro expects for them.
ATTACHMENT_KINDS = [("application/pdf", "pdf"), ("text/csv", "csv"), ("image/png", "png")]

# Taxed categories with their rates; exempt ones with a stated reason (BR-E-10 ...).
TAXED = st.sampled_from(["20", "10", "5.5", "2.1"]).map(lambda r: ("S", Decimal(r)))
EXEMPT_REASONS = {
    "E": ("TVA non applicable, art. 293 B du CGI", "VATEX-FR-FRANCHISE"),
    "Z": None,
    "AE": ("Autoliquidation", "VATEX-EU-AE"),
    "K": ("Livraison intracommunautaire exonérée", "VATEX-EU-IC"),
    "G": ("Exportation hors UE", "VATEX-EU-G"),
}


@st.composite
def lines(draw: st.DrawFn, categories: list[tuple[str, Decimal]]) -> InvoiceLine:
    category, rate = draw(st.sampled_from(categories))
    quantity = draw(st.decimals(Decimal("0.5"), Decimal("500"), places=2, allow_nan=False))
    net = draw(money("0.10", "2000"))
    allowances = draw(
        st.lists(st.builds(LineAllowance, amount=money("0.01", "5"), reason=words), max_size=1)
    )
    charges = draw(
        st.lists(st.builds(LineCharge, amount=money("0.01", "5"), reason=words), max_size=1)
    )
    return InvoiceLine(
        id=draw(codes),
        note=draw(st.none() | words),
        quantity=quantity,
        unit=draw(st.sampled_from(["C62", "HUR", "DAY", "KGM", "MTR", "LTR"])),
        price=Price(net=net),
        allowances=tuple(allowances),
        charges=tuple(charges),
        vat=LineVat(category=category, rate=rate),
        item=Item(name=draw(words), seller_id=draw(st.none() | codes)),
    )


@st.composite
def invoices(draw: st.DrawFn, max_lines: int = 6) -> Invoice:
    """A complete, valid EN 16931 invoice or credit note addressed to a French buyer."""
    kind = draw(st.sampled_from(["S", "S", "S", "E", "Z", "AE", "K", "G"]))
    categories = [draw(TAXED), draw(TAXED)] if kind == "S" else [(kind, Decimal("0"))]
    if kind != "S" and draw(st.booleans()):
        categories.append(draw(TAXED))
    seller_siret, buyer_siret = draw(sirets()), draw(sirets())
    credit_note = draw(st.booleans()) and draw(st.booleans())
    issue = draw(dates)
    invoice_lines = draw(st.lists(lines(categories), min_size=1, max_size=max_lines))
    used = {(line.vat.category, line.vat.rate) for line in invoice_lines if line.vat}
    allowance_cats = sorted(used)
    allowances = draw(
        st.lists(
            st.sampled_from(allowance_cats).map(
                lambda cr: DocumentAllowance(
                    amount=Decimal("1.00"), vat_category=cr[0], vat_rate=cr[1], reason="Remise"
                )
            ),
            max_size=1,
        )
    )
    charges = draw(
        st.lists(
            st.sampled_from(allowance_cats).map(
                lambda cr: DocumentCharge(
                    amount=Decimal("2.50"),
                    vat_category=cr[0],
                    vat_rate=cr[1],
                    reason="Frais de port",
                    reason_code="FC",
                )
            ),
            max_size=1,
        )
    )
    vat = tuple(
        VatBreakdown(
            category=c, rate=r, exemption_reason=reason[0], exemption_reason_code=reason[1]
        )
        for c, r in sorted(used)
        if (reason := EXEMPT_REASONS.get(c))
    )
    attachments = draw(
        st.lists(
            st.builds(
                SupportingDocument,
                reference=codes,
                description=st.none() | words,
                attachment=st.builds(
                    lambda content, kind, stem: Attachment(
                        content=content,
                        mime_code=kind[0],
                        filename=f"{stem.replace('/', '-')}.{kind[1]}",
                    ),
                    st.binary(min_size=1, max_size=200),
                    st.sampled_from(ATTACHMENT_KINDS),
                    codes,
                ),
            ),
            max_size=2,
        )
    )
    invoice = Invoice(
        number=draw(codes),
        issue_date=issue,
        type_code="381" if credit_note else draw(st.sampled_from(["380", "380", "384", "389"])),
        currency="EUR",
        due_date=None if credit_note else issue + dt.timedelta(days=draw(st.integers(0, 60))),
        buyer_reference=draw(st.none() | codes),
        contract_reference=draw(st.none() | codes),
        purchase_order_reference=draw(st.none() | codes),
        payment_terms=draw(words) if credit_note else draw(st.none() | words),
        notes=tuple(draw(st.lists(st.builds(Note, text=words), max_size=2))),
        business_process="A1",
        preceding_invoices=(
            (PrecedingInvoice(reference=draw(codes), issue_date=issue),) if credit_note else ()
        ),
        seller=Seller(
            name=draw(words),
            identifiers=(PartyIdentifier(value=seller_siret, scheme="0009"),),
            legal_registration=PartyIdentifier(value=seller_siret, scheme="0009"),
            vat_id=vat_id(seller_siret),
            electronic_address=ElectronicAddress(value=seller_siret, scheme="0009"),
            address=draw(addresses),
            contact=draw(st.none() | st.builds(Contact, name=words, email=st.just("a@b.fr"))),
        ),
        buyer=Buyer(
            name=draw(words),
            identifier=PartyIdentifier(value=buyer_siret, scheme="0009"),
            legal_registration=PartyIdentifier(value=buyer_siret, scheme="0009"),
            vat_id=vat_id(buyer_siret),
            electronic_address=ElectronicAddress(value=buyer_siret, scheme="0009"),
            address=draw(addresses),
        ),
        delivery=Delivery(
            date=issue,
            address=Address(city="Bruxelles", country="BE") if kind == "K" else None,
        ),
        invoicing_period=draw(st.none() | st.just(Period(start=issue, end=issue))),
        payment=PaymentInstructions(
            means_code="30",
            remittance_information=draw(st.none() | codes),
            credit_transfers=(CreditTransfer(account_id="FR7630006000011234567890189"),),
        ),
        allowances=tuple(allowances),
        charges=tuple(charges),
        vat_breakdown=vat,
        totals=draw(st.none() | st.just(DocumentTotals(prepaid=Decimal("0.00")))),
        supporting_documents=tuple(attachments),
        lines=tuple(invoice_lines),
    )
    return complete(invoice)
