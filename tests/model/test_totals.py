"""Totals and VAT breakdown as EN 16931 defines them (BR-CO-10 ... BR-CO-17)."""

from decimal import Decimal as D  # noqa: N817

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chorusflow.model import (
    DocumentAllowance,
    DocumentCharge,
    DocumentTotals,
    Invoice,
    InvoiceLine,
    LineAllowance,
    LineCharge,
    LineVat,
    Price,
    VatBreakdown,
    complete,
)
from chorusflow.model.totals import line_net_amount, round2


def line(
    qty: str, price: str, cat: str = "S", rate: str | None = "20", **kw: object
) -> InvoiceLine:
    return InvoiceLine(
        quantity=D(qty),
        price=Price(net=D(price)),
        vat=LineVat(category=cat, rate=None if rate is None else D(rate)),
        **kw,  # type: ignore[arg-type]
    )


def test_line_net_amount_uses_base_quantity_charges_and_allowances() -> None:
    item = InvoiceLine(
        quantity=D("10"),
        price=Price(gross=D("12.00"), discount=D("2.00"), base_quantity=D("4")),
        allowances=(LineAllowance(base_amount=D("25"), percentage=D("10")),),
        charges=(LineCharge(amount=D("1.25")),),
    )
    # 10 × (12 − 2) / 4 = 25; + 1.25 − 2.50
    assert line_net_amount(item) == D("23.75")


def test_stated_line_amount_is_kept_even_when_wrong() -> None:
    item = line("2", "10", net_amount=D("99.99"))
    assert complete(Invoice(lines=(item,))).lines[0].net_amount == D("99.99")


def test_breakdown_per_category_and_rate_with_document_allowances_and_charges() -> None:
    invoice = complete(
        Invoice(
            lines=(line("1", "100"), line("2", "50", rate="20.00"), line("3", "10", rate="5.5")),
            allowances=(DocumentAllowance(amount=D("10"), vat_category="S", vat_rate=D("20")),),
            charges=(DocumentCharge(amount=D("5"), vat_category="S", vat_rate=D("5.5")),),
        )
    )
    by_rate = {v.rate: v for v in invoice.vat_breakdown}
    assert by_rate[D("20")].taxable_amount == D("190.00")
    assert by_rate[D("20")].tax_amount == D("38.00")
    assert by_rate[D("5.5")].taxable_amount == D("35.00")
    assert by_rate[D("5.5")].tax_amount == D("1.93")  # 1.925 rounds half up
    t = invoice.totals
    assert t is not None
    assert (t.line_total, t.allowance_total, t.charge_total) == (D("230"), D("10"), D("5"))
    assert t.tax_exclusive == D("225.00")
    assert t.tax_total == D("39.93")
    assert t.tax_inclusive == D("264.93")
    assert t.payable == D("264.93")


def test_prepaid_and_rounding_enter_the_amount_due() -> None:
    invoice = complete(
        Invoice(
            lines=(line("1", "99.99"),),
            totals=DocumentTotals(prepaid=D("20.00"), rounding=D("0.01")),
        )
    )
    assert invoice.totals is not None
    assert invoice.totals.tax_inclusive == D("119.99")
    assert invoice.totals.payable == D("100.00")


@pytest.mark.parametrize(
    ("category", "reason_code"),
    [("AE", "VATEX-EU-AE"), ("K", "VATEX-EU-IC"), ("G", "VATEX-EU-G"), ("O", "VATEX-EU-O")],
)
def test_exempt_categories_get_no_tax_and_a_default_reason(category: str, reason_code: str) -> None:
    rate = None if category == "O" else "0"
    invoice = complete(Invoice(lines=(line("3", "10", cat=category, rate=rate),)))
    (vat,) = invoice.vat_breakdown
    assert vat.tax_amount == D("0.00")
    assert vat.taxable_amount == D("30.00")
    assert vat.exemption_reason_code == reason_code


def test_category_e_keeps_the_reason_the_user_states_and_gets_none_invented() -> None:
    stated = VatBreakdown(category="E", rate=D("0"), exemption_reason="art. 293 B du CGI")
    invoice = complete(
        Invoice(lines=(line("1", "10", cat="E", rate="0"),), vat_breakdown=(stated,))
    )
    (vat,) = invoice.vat_breakdown
    assert (vat.exemption_reason, vat.taxable_amount) == ("art. 293 B du CGI", D("10.00"))
    bare = complete(Invoice(lines=(line("1", "10", cat="E", rate="0"),)))
    assert bare.vat_breakdown[0].exemption_reason is None


def test_stated_breakdown_that_matches_nothing_stays_for_the_checks() -> None:
    ghost = VatBreakdown(category="S", rate=D("10"), taxable_amount=D("1"), tax_amount=D("0.1"))
    invoice = complete(Invoice(lines=(line("1", "10"),), vat_breakdown=(ghost,)))
    assert ghost in invoice.vat_breakdown and len(invoice.vat_breakdown) == 2


amounts = st.decimals(min_value=D("-1000"), max_value=D("100000"), places=2, allow_nan=False)
rates = st.sampled_from(["0", "2.1", "5.5", "10", "20"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(amounts, rates), min_size=1, max_size=20))
def test_totals_hold_the_en16931_identities(items: list[tuple[D, str]]) -> None:
    invoice = complete(
        Invoice(
            lines=tuple(
                InvoiceLine(
                    net_amount=amount,
                    vat=LineVat(category="S" if rate != "0" else "Z", rate=D(rate)),
                )
                for amount, rate in items
            )
        )
    )
    t = invoice.totals
    assert t is not None and t.tax_exclusive is not None and t.tax_total is not None
    assert t.line_total == sum(a for a, _ in items)  # BR-CO-10
    assert t.tax_total == sum(v.tax_amount or 0 for v in invoice.vat_breakdown)  # BR-CO-14
    assert t.tax_inclusive == t.tax_exclusive + t.tax_total  # BR-CO-15
    for vat in invoice.vat_breakdown:  # BR-CO-17
        assert vat.rate is not None and vat.taxable_amount is not None
        assert vat.tax_amount == round2(vat.taxable_amount * vat.rate / 100)


def test_net_price_is_stated_from_gross_less_discount() -> None:
    line = InvoiceLine(quantity=D("2"), price=Price(gross=D("10.00"), discount=D("1.50")))
    (completed,) = complete(Invoice(lines=(line,))).lines
    assert completed.price == Price(net=D("8.50"), gross=D("10.00"), discount=D("1.50"))
    assert completed.net_amount == D("17.00")


def test_specification_identifier_defaults_to_en16931_and_is_kept_when_stated() -> None:
    assert complete(Invoice()).specification_identifier == "urn:cen.eu:en16931:2017"
    stated = Invoice(specification_identifier="urn:factur-x.eu:1p0:minimum")
    assert complete(stated).specification_identifier == "urn:factur-x.eu:1p0:minimum"
