"""Hypothesis strategies: random invoices that EN 16931 and Chorus Pro accept.

``invoices()`` draws complete, valid invoices (totals computed by the model) across VAT
categories, allowances and charges, credit notes, attachments and payment means, with text
that exercises XML escaping and French characters. Tests of writers, readers and rules use it.

Most optional EN 16931 terms appear in some draws (payee, tax representative, card and direct
debit, gross prices and base quantities, item attributes and classifications, line periods,
the tax point date, the VAT accounting currency ...), so that a syntax round trip of these
invoices exercises the whole mapping. Every draw passes the official XSD and schematron of
every Factur-X profile (tests/formats/test_cii.py holds it to that).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy
from stdnum import ean, iban, luhn

from chorusflow.model import (
    Address,
    Attachment,
    Buyer,
    Classification,
    Contact,
    CreditTransfer,
    Delivery,
    DirectDebit,
    DocumentAllowance,
    DocumentCharge,
    DocumentTotals,
    ElectronicAddress,
    Identifier,
    Invoice,
    InvoiceLine,
    Item,
    ItemAttribute,
    LineAllowance,
    LineCharge,
    LineVat,
    Note,
    PartyIdentifier,
    Payee,
    PaymentCard,
    PaymentInstructions,
    Period,
    PrecedingInvoice,
    Price,
    Seller,
    SupportingDocument,
    TaxRepresentative,
    VatBreakdown,
    complete,
)
from chorusflow.model.totals import round2

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


def maybe(strategy: SearchStrategy[object]) -> SearchStrategy[object]:
    """``strategy`` or None."""
    return st.none() | strategy


@st.composite
def ibans(draw: st.DrawFn) -> str:
    """A French IBAN with valid check digits."""
    bban = draw(st.text("0123456789", min_size=23, max_size=23))
    check = iban.calc_check_digits(f"FR00{bban}")
    return f"FR{check}{bban}"


@st.composite
def gtins(draw: st.DrawFn) -> str:
    """A GTIN-13 with its check digit (item standard identifier, scheme 0160)."""
    body = draw(st.text("0123456789", min_size=12, max_size=12))
    return body + ean.calc_check_digit(body)


BICS = st.sampled_from(["AGRIFRPPXXX", "BNPAFRPPXXX", "CCBPFRPPLYO", "SOGEFRPP"])
ALLOWANCE_REASONS = st.sampled_from(["95", "100", "41", "66"])
CHARGE_REASONS = st.sampled_from(["FC", "ABL", "AAA", "ZZZ"])
NOTE_SUBJECTS = st.sampled_from(["AAI", "REG", "PMT", "ABL", "TXD", "AAB"])
UNITS = st.sampled_from(["C62", "HUR", "DAY", "KGM", "MTR", "LTR"])

addresses = st.builds(
    Address,
    line1=words,
    line2=st.none() | words,
    city=words,
    post_code=st.text("0123456789", min_size=5, max_size=5),
    country=st.just("FR"),
)

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
def prices(draw: st.DrawFn, unit: str) -> Price:
    """A net price, or a gross price with its discount (net = gross − discount), per a base
    quantity sometimes."""
    base = draw(st.sampled_from([None, None, Decimal("1"), Decimal("10"), Decimal("100")]))
    unit_of_base = unit if base is not None else None
    if draw(st.booleans()):
        net = draw(money("0.10", "2000"))
        return Price(net=net, base_quantity=base, base_quantity_unit=unit_of_base)
    gross = draw(money("1.00", "2000"))
    discount = round2(gross * draw(st.sampled_from([Decimal(0), Decimal("0.05"), Decimal("0.3")])))
    return Price(
        net=gross - discount,
        gross=gross,
        discount=discount,
        base_quantity=base,
        base_quantity_unit=unit_of_base,
    )


line_allowances = st.one_of(
    st.builds(LineAllowance, amount=money("0.01", "5"), reason=words),
    st.builds(
        LineAllowance,
        base_amount=money("10", "100"),
        percentage=st.sampled_from([Decimal("2"), Decimal("5"), Decimal("2.5")]),
        reason=st.none() | words,
        reason_code=ALLOWANCE_REASONS,
    ),
)
line_charges = st.one_of(
    st.builds(LineCharge, amount=money("0.01", "5"), reason=words),
    st.builds(LineCharge, amount=money("0.01", "5"), reason_code=CHARGE_REASONS),
)


@st.composite
def items(draw: st.DrawFn) -> Item:
    return Item(
        name=draw(words),
        description=draw(maybe(words)),
        seller_id=draw(maybe(codes)),
        buyer_id=draw(maybe(codes)),
        standard_id=draw(maybe(gtins().map(lambda g: PartyIdentifier(value=g, scheme="0160")))),
        classifications=tuple(
            draw(
                st.lists(
                    st.builds(
                        Classification,
                        value=codes,
                        scheme=st.sampled_from(["CV", "STI", "TST"]),
                        version=st.none() | st.just("2008"),
                    ),
                    max_size=2,
                )
            )
        ),
        origin_country=draw(maybe(st.sampled_from(["FR", "DE", "IT", "CN"]))),
        attributes=tuple(
            draw(st.lists(st.builds(ItemAttribute, name=words, value=words), max_size=2))
        ),
    )


@st.composite
def lines(draw: st.DrawFn, categories: list[tuple[str, Decimal]]) -> InvoiceLine:
    category, rate = draw(st.sampled_from(categories))
    quantity = draw(st.decimals(Decimal("0.5"), Decimal("500"), places=2, allow_nan=False))
    unit = draw(UNITS)
    start = draw(maybe(dates))
    return InvoiceLine(
        id=draw(codes),
        note=draw(maybe(words)),
        object_identifier=draw(
            maybe(st.builds(Identifier, value=codes, scheme=st.sampled_from(["AAB", "ABZ"])))
        ),
        quantity=quantity,
        unit=unit,
        order_line_reference=draw(maybe(codes)),
        accounting_reference=draw(maybe(codes)),
        period=(
            Period(start=start, end=start + dt.timedelta(days=draw(st.integers(0, 30))))
            if start
            else None
        ),
        price=draw(prices(unit)),
        allowances=tuple(draw(st.lists(line_allowances, max_size=1))),
        charges=tuple(draw(st.lists(line_charges, max_size=1))),
        vat=LineVat(category=category, rate=rate),
        item=draw(items()),
    )


@st.composite
def payments(draw: st.DrawFn, credit_note: bool) -> PaymentInstructions:
    """Credit transfer (one or two accounts), card or SEPA direct debit."""
    remittance = draw(maybe(codes))
    kind = "transfer" if credit_note else draw(st.sampled_from(["transfer", "card", "debit"]))
    if kind == "card":
        return PaymentInstructions(
            means_code=draw(st.sampled_from(["48", "54", "55"])),
            remittance_information=remittance,
            card=PaymentCard(
                primary_account_number=draw(st.text("0123456789", min_size=4, max_size=6)),
                holder_name=draw(maybe(words)),
            ),
        )
    if kind == "debit":
        return PaymentInstructions(
            means_code="59",
            means_text=draw(maybe(words)),
            remittance_information=remittance,
            direct_debit=DirectDebit(
                mandate_reference=draw(codes),
                creditor_id="FR12ZZZ123456",
                debited_account_id=draw(ibans()),
            ),
        )
    accounts = draw(st.lists(ibans(), min_size=1, max_size=2, unique=True))
    return PaymentInstructions(
        means_code=draw(st.sampled_from(["30", "58"])),
        means_text=draw(maybe(words)),
        remittance_information=remittance,
        credit_transfers=tuple(
            CreditTransfer(
                account_id=account,
                account_name=draw(maybe(words)),
                provider_id=draw(maybe(BICS)),
            )
            for account in accounts
        ),
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
                    base_amount=Decimal("50.00"),
                    percentage=Decimal("5"),
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
            st.one_of(
                st.builds(
                    SupportingDocument,
                    reference=codes,
                    description=st.none() | words,
                    attachment=st.builds(
                        Attachment,
                        content=st.binary(min_size=1, max_size=200),
                        mime_code=st.sampled_from(["application/pdf", "text/csv", "image/png"]),
                        filename=codes.map(lambda c: f"{c.replace('/', '-')}.bin"),
                    ),
                ),
                st.builds(
                    SupportingDocument,
                    reference=codes,
                    description=words,
                    uri=codes.map(lambda c: f"https://docs.example/{c}"),
                ),
            ),
            max_size=2,
        )
    )
    tax_point = draw(st.sampled_from(["none", "none", "date", "code"]))
    foreign = draw(st.integers(0, 9)) == 0  # a USD invoice whose VAT is accounted in EUR
    invoice = Invoice(
        number=draw(codes),
        issue_date=issue,
        type_code="381" if credit_note else draw(st.sampled_from(["380", "380", "384", "389"])),
        currency="USD" if foreign else "EUR",
        vat_accounting_currency="EUR" if foreign else None,
        tax_point_date=issue if tax_point == "date" else None,
        tax_point_date_code=draw(st.sampled_from(["3", "35", "432"]))
        if tax_point == "code"
        else None,
        due_date=None if credit_note else issue + dt.timedelta(days=draw(st.integers(0, 60))),
        buyer_reference=draw(st.none() | codes),
        project_reference=draw(maybe(codes)),
        contract_reference=draw(st.none() | codes),
        purchase_order_reference=draw(st.none() | codes),
        sales_order_reference=draw(maybe(codes)),
        receiving_advice_reference=draw(maybe(codes)),
        despatch_advice_reference=draw(maybe(codes)),
        tender_or_lot_reference=draw(maybe(codes)),
        invoiced_object_identifier=draw(
            maybe(st.builds(Identifier, value=codes, scheme=st.sampled_from(["AAB", "ABZ"])))
        ),
        buyer_accounting_reference=draw(maybe(codes)),
        payment_terms=draw(words) if credit_note else draw(st.none() | words),
        notes=tuple(
            draw(
                st.lists(st.builds(Note, text=words, subject_code=maybe(NOTE_SUBJECTS)), max_size=2)
            )
        ),
        business_process="A1",
        preceding_invoices=(
            (PrecedingInvoice(reference=draw(codes), issue_date=issue),) if credit_note else ()
        ),
        seller=Seller(
            name=draw(words),
            trading_name=draw(maybe(words)),
            identifiers=(PartyIdentifier(value=seller_siret, scheme="0009"),),
            legal_registration=PartyIdentifier(value=seller_siret, scheme="0009"),
            vat_id=vat_id(seller_siret),
            tax_registration_id=draw(maybe(codes)),
            additional_legal_info=draw(maybe(words)),
            electronic_address=ElectronicAddress(value=seller_siret, scheme="0009"),
            address=draw(addresses),
            contact=draw(
                st.none()
                | st.builds(
                    Contact,
                    name=words,
                    phone=st.none() | st.just("+33 4 72 00 00 00"),
                    email=st.just("a@b.fr"),
                )
            ),
        ),
        buyer=Buyer(
            name=draw(words),
            trading_name=draw(maybe(words)),
            identifier=PartyIdentifier(value=buyer_siret, scheme="0009"),
            legal_registration=PartyIdentifier(value=buyer_siret, scheme="0009"),
            vat_id=vat_id(buyer_siret),
            electronic_address=ElectronicAddress(value=buyer_siret, scheme="0009"),
            address=draw(addresses),
            contact=draw(st.none() | st.builds(Contact, name=words, phone=st.just("01 02"))),
        ),
        payee=draw(
            maybe(
                st.builds(
                    Payee,
                    name=words,
                    identifier=st.none()
                    | sirets().map(lambda v: PartyIdentifier(value=v, scheme="0009")),
                    legal_registration=st.none()
                    | sirets().map(lambda v: PartyIdentifier(value=v[:9], scheme="0002")),
                )
            )
        ),
        tax_representative=draw(
            maybe(
                sirets().map(
                    lambda v: TaxRepresentative(
                        name="Représentant fiscal",
                        vat_id=vat_id(v),
                        address=Address(city="Paris", country="FR"),
                    )
                )
            )
        ),
        delivery=Delivery(
            date=issue,
            party_name=draw(maybe(words)),
            location_id=draw(maybe(gtins().map(lambda g: PartyIdentifier(value=g, scheme="0088")))),
            address=Address(city="Bruxelles", country="BE")
            if kind == "K"
            else draw(maybe(addresses)),
        ),
        invoicing_period=draw(st.none() | st.just(Period(start=issue, end=issue))),
        payment=draw(payments(credit_note)),
        allowances=tuple(allowances),
        charges=tuple(charges),
        vat_breakdown=vat,
        totals=draw(
            st.sampled_from(
                [
                    None,
                    None,
                    DocumentTotals(prepaid=Decimal("0.00")),
                    DocumentTotals(prepaid=Decimal("10.00")),
                    DocumentTotals(prepaid=Decimal("10.00"), rounding=Decimal("0.01")),
                ]
            )
        ),
        supporting_documents=tuple(attachments),
        lines=tuple(invoice_lines),
    )
    completed = complete(invoice)
    if not foreign or completed.totals is None or completed.totals.tax_total is None:
        return completed
    accounted = round2(completed.totals.tax_total * Decimal("0.92"))
    totals = completed.totals.model_copy(update={"tax_total_accounting": accounted})
    return completed.model_copy(update={"totals": totals})
