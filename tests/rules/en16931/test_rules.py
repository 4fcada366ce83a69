"""Every native EN 16931 rule: a valid invoice passes it, one edit makes it fire, there.

Each case starts from a valid invoice of a VAT category (``builders.valid_invoice``), makes
the rule apply where it is conditional (``passing``: the rule is exercised and holds), then
breaks it with a single edit (``failing``) and expects a finding of that rule at ``location``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal as D  # noqa: N817
from typing import Any

import pytest

from chorusflow.model import (
    Address,
    Attachment,
    Classification,
    CreditTransfer,
    DirectDebit,
    DocumentCharge,
    Identifier,
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
    VatBreakdown,
)
from chorusflow.rules.en16931 import CATALOGUE, CHECKED, check_en16931
from chorusflow.rules.en16931.categories import CATEGORIES, RateRule, SellerIds
from chorusflow.rules.findings import Layer
from tests.rules.en16931.builders import edits, valid_invoice

REPRESENTATIVE = TaxRepresentative(
    name="Représentant SARL",
    vat_id="FR40303265045",
    address=Address(city="Paris", country="FR"),
)
PERIOD = Period(start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))
BACKWARDS = Period(start=dt.date(2026, 10, 31), end=dt.date(2026, 10, 1))


@dataclass(frozen=True)
class Case:
    rule: str
    failing: dict[str, Any]
    location: str
    passing: dict[str, Any] = field(default_factory=dict)
    category: str = "S"

    @property
    def id(self) -> str:
        return f"{self.rule}-{self.category}" if self.rule.count("-") > 1 else self.rule


def _line_items(**kw: Any) -> dict[str, Any]:
    allowance = {"amount": D("1.00"), "reason": "Remise"} | kw
    charge = {"amount": D("1.00"), "reason": "Frais"} | kw
    return {
        "lines__0__allowances": (LineAllowance(**allowance),),
        "lines__0__charges": (LineCharge(**charge),),
    }


def _attached(mime: str) -> SupportingDocument:
    return SupportingDocument(
        reference="PJ-1", attachment=Attachment(content=b"%PDF", mime_code=mime)
    )


CORE = [
    Case("BR-01", {"specification_identifier": None}, "/specification_identifier"),
    Case("BR-02", {"number": "  "}, "/number"),
    Case("BR-03", {"issue_date": None}, "/issue_date"),
    Case("BR-04", {"type_code": ""}, "/type_code"),
    Case("BR-05", {"currency": None}, "/currency"),
    Case("BR-06", {"seller__name": None}, "/seller/name"),
    Case("BR-07", {"buyer__name": " "}, "/buyer/name"),
    Case("BR-08", {"seller__address": None}, "/seller/address"),
    Case("BR-09", {"seller__address__country": None}, "/seller/address/country"),
    Case("BR-10", {"buyer__address": None}, "/buyer/address"),
    Case("BR-11", {"buyer__address__country": ""}, "/buyer/address/country"),
    Case("BR-12", {"totals__line_total": None}, "/totals/line_total"),
    Case("BR-13", {"totals__tax_exclusive": None}, "/totals/tax_exclusive"),
    Case("BR-14", {"totals__tax_inclusive": None}, "/totals/tax_inclusive"),
    Case("BR-15", {"totals": None}, "/totals/payable"),
    Case("BR-16", {"lines": ()}, "/lines"),
    Case(
        "BR-17",
        {"payee": Payee(identifier=PartyIdentifier(value="81234567600009"))},
        "/payee/name",
        {"payee": Payee(name="Affacturage SA")},
    ),
    Case(
        "BR-18",
        {"tax_representative__name": ""},
        "/tax_representative/name",
        {"tax_representative": REPRESENTATIVE},
    ),
    Case(
        "BR-19",
        {"tax_representative__address": None},
        "/tax_representative/address",
        {"tax_representative": REPRESENTATIVE},
    ),
    Case(
        "BR-20",
        {"tax_representative__address__country": None},
        "/tax_representative/address/country",
        {"tax_representative": REPRESENTATIVE},
    ),
    Case("BR-21", {"lines__1__id": None}, "/lines/1/id"),
    Case("BR-22", {"lines__0__quantity": None}, "/lines/0/quantity"),
    Case("BR-23", {"lines__0__unit": None}, "/lines/0/unit"),
    Case("BR-24", {"lines__0__net_amount": None}, "/lines/0/net_amount"),
    Case("BR-25", {"lines__0__item__name": None}, "/lines/0/item/name"),
    Case("BR-26", {"lines__0__price": None}, "/lines/0/price/net"),
    Case("BR-27", {"lines__0__price__net": D("-1")}, "/lines/0/price/net"),
    Case(
        "BR-28",
        {"lines__0__price__gross": D("-1")},
        "/lines/0/price/gross",
        {"lines__0__price__gross": D("100.00"), "lines__0__price__discount": D("0")},
    ),
    Case(
        "BR-29",
        {"invoicing_period": BACKWARDS},
        "/invoicing_period/end",
        {"invoicing_period": PERIOD},
    ),
    Case(
        "BR-30",
        {"lines__0__period": BACKWARDS},
        "/lines/0/period/end",
        {"lines__0__period": PERIOD},
    ),
    Case("BR-31", {"allowances__0__amount": None}, "/allowances/0/amount"),
    Case("BR-32", {"allowances__0__vat_category": None}, "/allowances/0/vat_category"),
    Case("BR-33", {"allowances__0__reason": None}, "/allowances/0/reason"),
    Case("BR-36", {"charges__0__amount": None}, "/charges/0/amount"),
    Case("BR-37", {"charges__0__vat_category": None}, "/charges/0/vat_category"),
    Case(
        "BR-38",
        {"charges__0__reason": None, "charges__0__reason_code": None},
        "/charges/0/reason",
    ),
    Case(
        "BR-41",
        _line_items() | {"lines__0__allowances__0__amount": None},
        "/lines/0/allowances/0/amount",
        _line_items(),
    ),
    Case(
        "BR-42",
        _line_items() | {"lines__0__allowances__0__reason": None},
        "/lines/0/allowances/0/reason",
        _line_items(),
    ),
    Case(
        "BR-43",
        _line_items() | {"lines__0__charges__0__amount": None},
        "/lines/0/charges/0/amount",
        _line_items(),
    ),
    Case(
        "BR-44",
        _line_items() | {"lines__0__charges__0__reason": None},
        "/lines/0/charges/0/reason",
        _line_items(),
    ),
    Case("BR-45", {"vat_breakdown__0__taxable_amount": None}, "/vat_breakdown/0/taxable_amount"),
    Case("BR-46", {"vat_breakdown__0__tax_amount": None}, "/vat_breakdown/0/tax_amount"),
    Case("BR-47", {"vat_breakdown__0__category": None}, "/vat_breakdown/0/category"),
    Case("BR-48", {"vat_breakdown__0__rate": None}, "/vat_breakdown/0/rate"),
    Case("BR-49", {"payment__means_code": None}, "/payment/means_code"),
    Case(
        "BR-50",
        {"payment__credit_transfers__0__account_id": " "},
        "/payment/credit_transfers/0/account_id",
    ),
    Case(
        "BR-51",
        {"payment__card": PaymentCard(primary_account_number="4970 1012 3456 7890")},
        "/payment/card/primary_account_number",
        {"payment__card": PaymentCard(primary_account_number="****7890")},
    ),
    Case(
        "BR-52",
        {"supporting_documents": (SupportingDocument(description="Bon de livraison"),)},
        "/supporting_documents/0/reference",
        {"supporting_documents": (SupportingDocument(reference="BL-12"),)},
    ),
    Case(
        "BR-52",
        {"invoiced_object_identifier": Identifier(value=" ", scheme="AAB")},
        "/invoiced_object_identifier/value",
        {"invoiced_object_identifier": Identifier(value="C-12", scheme="AAB")},
    ),
    Case(
        "BR-53",
        {"totals__tax_total_accounting": None},
        "/totals/tax_total_accounting",
        {"vat_accounting_currency": "USD", "totals__tax_total_accounting": D("90.12")},
    ),
    Case(
        "BR-54",
        {"lines__0__item__attributes": (ItemAttribute(name="Couleur"),)},
        "/lines/0/item/attributes/0/value",
        {"lines__0__item__attributes": (ItemAttribute(name="Couleur", value="Bleu"),)},
    ),
    Case(
        "BR-55",
        {"preceding_invoices": (PrecedingInvoice(issue_date=dt.date(2026, 1, 2)),)},
        "/preceding_invoices/0/reference",
        {"preceding_invoices": (PrecedingInvoice(reference="FA-2026-0000"),)},
    ),
    Case(
        "BR-56",
        {"tax_representative__vat_id": None},
        "/tax_representative/vat_id",
        {"tax_representative": REPRESENTATIVE},
    ),
    Case(
        "BR-57",
        {"delivery__address": Address(city="Lyon")},
        "/delivery/address/country",
        {"delivery__address": Address(city="Lyon", country="FR")},
    ),
    Case("BR-61", {"payment__credit_transfers": ()}, "/payment/credit_transfers"),
    Case(
        "BR-61",
        {"payment__credit_transfers": (CreditTransfer(account_name="Compte"),)},
        "/payment/credit_transfers",
    ),
    Case(
        "BR-62", {"seller__electronic_address__scheme": None}, "/seller/electronic_address/scheme"
    ),
    Case("BR-63", {"buyer__electronic_address__scheme": None}, "/buyer/electronic_address/scheme"),
    Case(
        "BR-64",
        {"lines__0__item__standard_id": PartyIdentifier(value="3760123456789")},
        "/lines/0/item/standard_id/scheme",
        {"lines__0__item__standard_id": PartyIdentifier(value="3760123456789", scheme="0160")},
    ),
    Case(
        "BR-65",
        {"lines__0__item__classifications": (Classification(value="12345"),)},
        "/lines/0/item/classifications/0/scheme",
        {"lines__0__item__classifications": (Classification(value="12345", scheme="STI"),)},
    ),
]

CALCULATIONS = [
    Case(
        "BR-CO-03",
        {"tax_point_date": dt.date(2026, 11, 5), "tax_point_date_code": "3"},
        "/tax_point_date_code",
        {"tax_point_date": dt.date(2026, 11, 5)},
    ),
    Case("BR-CO-04", {"lines__1__vat": None}, "/lines/1/vat/category"),
    Case("BR-CO-09", {"seller__vat_id": "QQ812345676"}, "/seller/vat_id"),
    Case("BR-CO-09", {"buyer__vat_id": "123456789"}, "/buyer/vat_id", {"buyer__vat_id": "EL123"}),
    Case("BR-CO-10", {"totals__line_total": D("390.99")}, "/totals/line_total"),
    Case("BR-CO-11", {"totals__allowance_total": None}, "/totals/allowance_total"),
    Case("BR-CO-11", {"allowances": ()}, "/totals/allowance_total"),
    Case("BR-CO-12", {"totals__charge_total": D("5.01")}, "/totals/charge_total"),
    Case("BR-CO-13", {"totals__tax_exclusive": D("386.01")}, "/totals/tax_exclusive"),
    Case("BR-CO-14", {"totals__tax_total": D("77.21")}, "/totals/tax_total"),
    Case("BR-CO-15", {"totals__tax_inclusive": D("463.19")}, "/totals/tax_inclusive"),
    Case(
        "BR-CO-16",
        {"totals__payable": D("463.20")},
        "/totals/payable",
        {"totals__prepaid": D("100.00"), "totals__payable": D("363.20")},
    ),
    Case(
        "BR-CO-16",
        {"totals__payable": D("463.20")},
        "/totals/payable",
        {"totals__rounding": D("0.80"), "totals__payable": D("464.00")},
    ),
    Case("BR-CO-17", {"vat_breakdown__0__tax_amount": D("76.20")}, "/vat_breakdown/0/tax_amount"),
    Case("BR-CO-18", {"vat_breakdown": ()}, "/vat_breakdown"),
    Case(
        "BR-CO-19",
        {"invoicing_period": Period()},
        "/invoicing_period",
        {"invoicing_period": Period(end=dt.date(2026, 10, 31))},
    ),
    Case(
        "BR-CO-20",
        {"lines__0__period": Period()},
        "/lines/0/period",
        {"lines__0__period": Period(start=dt.date(2026, 10, 1))},
    ),
    Case("BR-CO-21", {"allowances__0__reason": None}, "/allowances/0/reason"),
    Case(
        "BR-CO-22",
        {"charges__0__reason": None, "charges__0__reason_code": None},
        "/charges/0/reason",
    ),
    Case(
        "BR-CO-23",
        _line_items() | {"lines__0__allowances__0__reason": None},
        "/lines/0/allowances/0/reason",
        _line_items(),
    ),
    Case(
        "BR-CO-24",
        _line_items() | {"lines__0__charges__0__reason": None},
        "/lines/0/charges/0/reason",
        _line_items(),
    ),
    Case(
        "BR-CO-26",
        {"seller__identifiers": (), "seller__legal_registration": None, "seller__vat_id": None},
        "/seller/legal_registration",
        {"seller__identifiers": (), "seller__legal_registration": None},
    ),
]

DECIMALS = [
    Case("BR-DEC-01", {"allowances__0__amount": D("10.000")}, "/allowances/0/amount"),
    Case("BR-DEC-02", {"allowances__0__base_amount": D("1.001")}, "/allowances/0/base_amount"),
    Case("BR-DEC-05", {"charges__0__amount": D("5.000")}, "/charges/0/amount"),
    Case("BR-DEC-06", {"charges__0__base_amount": D("0.125")}, "/charges/0/base_amount"),
    Case("BR-DEC-09", {"totals__line_total": D("391.000")}, "/totals/line_total"),
    Case("BR-DEC-10", {"totals__allowance_total": D("10.000")}, "/totals/allowance_total"),
    Case("BR-DEC-11", {"totals__charge_total": D("5.000")}, "/totals/charge_total"),
    Case("BR-DEC-12", {"totals__tax_exclusive": D("386.000")}, "/totals/tax_exclusive"),
    Case(
        "BR-DEC-13",
        {"totals__tax_total": D("77.205")},
        "/totals/tax_total",
        {"totals__tax_total": D("77.200")},  # the value test: trailing zeros are no decimals
    ),
    Case("BR-DEC-14", {"totals__tax_inclusive": D("463.200")}, "/totals/tax_inclusive"),
    Case(
        "BR-DEC-15",
        {"vat_accounting_currency": "USD", "totals__tax_total_accounting": D("90.123")},
        "/totals/tax_total_accounting",
        {"vat_accounting_currency": "USD", "totals__tax_total_accounting": D("90.12")},
    ),
    Case("BR-DEC-16", {"totals__prepaid": D("0.001")}, "/totals/prepaid"),
    Case("BR-DEC-17", {"totals__rounding": D("0.001")}, "/totals/rounding"),
    Case("BR-DEC-18", {"totals__payable": D("463.200")}, "/totals/payable"),
    Case(
        "BR-DEC-19",
        {"vat_breakdown__0__taxable_amount": D("386.000")},
        "/vat_breakdown/0/taxable_amount",
    ),
    Case("BR-DEC-20", {"vat_breakdown__0__tax_amount": D("77.200")}, "/vat_breakdown/0/tax_amount"),
    Case("BR-DEC-23", {"lines__0__net_amount": D("300.000")}, "/lines/0/net_amount"),
    Case(
        "BR-DEC-24",
        _line_items() | {"lines__0__allowances__0__amount": D("1.000")},
        "/lines/0/allowances/0/amount",
        _line_items(),
    ),
    Case(
        "BR-DEC-25",
        _line_items() | {"lines__0__allowances__0__base_amount": D("1.000")},
        "/lines/0/allowances/0/base_amount",
        _line_items(base_amount=D("100.00")),
    ),
    Case(
        "BR-DEC-27",
        _line_items() | {"lines__0__charges__0__amount": D("1.000")},
        "/lines/0/charges/0/amount",
        _line_items(),
    ),
    Case(
        "BR-DEC-28",
        _line_items() | {"lines__0__charges__0__base_amount": D("1.000")},
        "/lines/0/charges/0/base_amount",
        _line_items(base_amount=D("100.00")),
    ),
]

CODE_LISTS = [
    Case("BR-CL-01", {"type_code": "999"}, "/type_code", {"type_code": "389"}),
    Case("BR-CL-04", {"currency": "EU"}, "/currency", {"currency": " EUR "}),
    Case(
        "BR-CL-05",
        {"vat_accounting_currency": "QQQ"},
        "/vat_accounting_currency",
        {"vat_accounting_currency": "EUR"},
    ),
    Case(
        "BR-CL-06",
        {"tax_point_date_code": "1"},
        "/tax_point_date_code",
        {"tax_point_date_code": "35"},
    ),
    Case(
        "BR-CL-07",
        {"invoiced_object_identifier": Identifier(value="X1", scheme="QQQ")},
        "/invoiced_object_identifier/scheme",
        {"invoiced_object_identifier": Identifier(value="X1", scheme="AAB")},
    ),
    Case(
        "BR-CL-07",
        {"lines__0__object_identifier": Identifier(value="X1", scheme="QQQ")},
        "/lines/0/object_identifier/scheme",
    ),
    Case(
        "BR-CL-08",
        {"notes": (Note(subject_code="QQQ", text="Note"),)},
        "/notes/0/subject_code",
        {"notes": (Note(subject_code="AAI", text="Note"),)},
    ),
    Case(
        "BR-CL-08",
        {"notes": (Note(text="#QQQ#Note"),)},
        "/notes/0/text",
        {"notes": (Note(text="Réf. #12# et #ABCD#"),)},
    ),
    Case("BR-CL-10", {"seller__identifiers__0__scheme": "9999"}, "/seller/identifiers/0/scheme"),
    Case(
        "BR-CL-10",
        {"buyer__identifier__scheme": "SEPA"},
        "/buyer/identifier/scheme",
        {"seller__identifiers__0__scheme": "SEPA"},
    ),
    Case(
        "BR-CL-11",
        {"buyer__legal_registration__scheme": "SEPA"},
        "/buyer/legal_registration/scheme",
    ),
    Case(
        "BR-CL-13",
        {"lines__0__item__classifications": (Classification(value="1", scheme="QQ"),)},
        "/lines/0/item/classifications/0/scheme",
        {"lines__0__item__classifications": (Classification(value="1", scheme="CV"),)},
    ),
    Case("BR-CL-14", {"buyer__address__country": "XX"}, "/buyer/address/country"),
    Case(
        "BR-CL-15",
        {"lines__0__item__origin_country": "XX"},
        "/lines/0/item/origin_country",
        {"lines__0__item__origin_country": "CN"},
    ),
    Case("BR-CL-16", {"payment__means_code": "999"}, "/payment/means_code"),
    Case("BR-CL-17", {"charges__0__vat_category": "X"}, "/charges/0/vat_category"),
    Case("BR-CL-17", {"vat_breakdown__0__category": "X"}, "/vat_breakdown/0/category"),
    Case("BR-CL-18", {"lines__0__vat__category": "X"}, "/lines/0/vat/category"),
    Case(
        "BR-CL-19",
        {"allowances__0__reason_code": "999"},
        "/allowances/0/reason_code",
        {"allowances__0__reason_code": "95"},
    ),
    Case(
        "BR-CL-19",
        _line_items(reason_code="QQQ"),
        "/lines/0/allowances/0/reason_code",
        _line_items(reason_code="95"),
    ),
    Case("BR-CL-20", {"charges__0__reason_code": "QQQ"}, "/charges/0/reason_code"),
    Case(
        "BR-CL-21",
        {"lines__0__item__standard_id": PartyIdentifier(value="1", scheme="9999")},
        "/lines/0/item/standard_id/scheme",
        {"lines__0__item__standard_id": PartyIdentifier(value="1", scheme="0160")},
    ),
    Case(
        "BR-CL-22",
        {"vat_breakdown__0__exemption_reason_code": "VATEX-QQ"},
        "/vat_breakdown/0/exemption_reason_code",
        {"vat_breakdown__0__exemption_reason_code": "vatex-eu-132-1g"},
        category="E",
    ),
    Case(
        "BR-CL-23",
        {"lines__0__unit": "QQQ"},
        "/lines/0/unit",
        {"lines__0__unit": "XYZ"},
    ),
    Case(
        "BR-CL-23",
        {"lines__0__price__base_quantity_unit": "QQQ"},
        "/lines/0/price/base_quantity_unit",
        {"lines__0__price__base_quantity_unit": "C62"},
    ),
    Case(
        "BR-CL-24",
        {"supporting_documents": (_attached("application/zip"),)},
        "/supporting_documents/0/attachment/mime_code",
        {"supporting_documents": (_attached("application/pdf"),)},
    ),
    Case(
        "BR-CL-25",
        {"buyer__electronic_address__scheme": "9999"},
        "/buyer/electronic_address/scheme",
        {"buyer__electronic_address__scheme": "EM"},
    ),
    Case(
        "BR-CL-26",
        {"delivery__location_id": PartyIdentifier(value="1", scheme="9999")},
        "/delivery/location_id/scheme",
        {"delivery__location_id": PartyIdentifier(value="1", scheme="0088")},
    ),
]

#: A rate that breaks rules 05-07 of a family, by what they demand.
BAD_RATES = {
    RateRule.POSITIVE: D("0"),
    RateRule.ZERO: D("5"),
    RateRule.NOT_NEGATIVE: D("-1"),
    RateRule.ABSENT: D("0"),
}


def _identifier_breaking(ids: SellerIds) -> tuple[dict[str, Any], str]:
    if ids is SellerIds.NO_VAT_ID:
        return {"buyer__vat_id": "DE123456789"}, "/seller/vat_id"
    if ids in (SellerIds.ANY_TAX_ID_AND_BUYER, SellerIds.VAT_ID_AND_BUYER_VAT):
        return {"buyer__vat_id": None, "buyer__legal_registration": None}, "/buyer/vat_id"
    return {"seller__vat_id": None}, "/seller/vat_id"


def _family_cases() -> list[Case]:
    cases: list[Case] = []
    for cat in CATEGORIES:
        rule, code = cat.rule, cat.code
        breaking, where = _identifier_breaking(cat.ids)
        bad_rate = BAD_RATES[cat.rate]
        reason = (
            {"vat_breakdown__0__exemption_reason": None}
            | {"vat_breakdown__0__exemption_reason_code": None}
            if cat.exempt
            else {"vat_breakdown__0__exemption_reason": "Exonéré"}
        )
        reason_at = "exemption_reason_code" if cat.exempt else "exemption_reason"
        cases += [
            Case(rule(1), {"vat_breakdown": ()}, "/vat_breakdown", category=code),
            Case(rule(2), breaking, where, category=code),
            Case(rule(3), breaking, where, category=code),
            Case(rule(4), breaking, where, category=code),
            Case(rule(5), {"lines__1__vat__rate": bad_rate}, "/lines/1/vat/rate", category=code),
            Case(
                rule(6),
                {"allowances__0__vat_rate": bad_rate},
                "/allowances/0/vat_rate",
                category=code,
            ),
            Case(rule(7), {"charges__0__vat_rate": bad_rate}, "/charges/0/vat_rate", category=code),
            Case(
                rule(8),
                {"vat_breakdown__0__taxable_amount": D("9999.00")},
                "/vat_breakdown/0/taxable_amount",
                category=code,
            ),
            Case(
                rule(9),
                {"vat_breakdown__0__tax_amount": D("1000.00")},
                "/vat_breakdown/0/tax_amount",
                category=code,
            ),
            Case(rule(10), reason, f"/vat_breakdown/0/{reason_at}", category=code),
        ]
        if cat.single_breakdown:
            twice = valid_invoice(code).vat_breakdown * 2
            cases.append(Case(rule(1), {"vat_breakdown": twice}, "/vat_breakdown", category=code))
        else:
            other = VatBreakdown(
                category=code, rate=D("3"), taxable_amount=D("0"), tax_amount=D("0")
            )
            cases.append(
                Case(
                    rule(1),
                    {"lines": (), "allowances": (), "charges": ()},
                    "/vat_breakdown",
                    category=code,
                )
            )
            if cat.rate_in_use:  # a breakdown at a rate nothing is taxed at
                extra = (*valid_invoice(code).vat_breakdown, other)
                cases.append(
                    Case(
                        rule(8),
                        {"vat_breakdown": extra},
                        "/vat_breakdown/1/taxable_amount",
                        category=code,
                    )
                )
    return cases


def _split_payment() -> dict[str, Any]:
    """An Italian invoice in category B (split payment)."""
    changes: dict[str, Any] = {
        "seller__address__country": "IT",
        "buyer__address__country": "IT",
        "vat_breakdown__0__category": "B",
        "allowances__0__vat_category": "B",
        "charges__0__vat_category": "B",
    }
    for n in range(2):
        changes[f"lines__{n}__vat__category"] = "B"
    return changes


SPECIFIC = [
    Case("BR-IC-11", {"delivery__date": None}, "/delivery/date", category="K"),
    Case(
        "BR-IC-11",
        {"invoicing_period": Period()},
        "/delivery/date",
        {"delivery__date": None, "invoicing_period": PERIOD},
        category="K",
    ),
    Case("BR-IC-12", {"delivery__address": None}, "/delivery/address/country", category="K"),
    Case(
        "BR-O-11",
        {"vat_breakdown": (*valid_invoice("O").vat_breakdown, VatBreakdown(category="S"))},
        "/vat_breakdown/1",
        category="O",
    ),
    Case("BR-O-12", {"lines__1__vat__category": "S"}, "/lines/1/vat/category", category="O"),
    Case(
        "BR-O-13", {"allowances__0__vat_category": "E"}, "/allowances/0/vat_category", category="O"
    ),
    Case("BR-O-14", {"charges__0__vat_category": "Z"}, "/charges/0/vat_category", category="O"),
    Case(
        "BR-B-01",
        _split_payment() | {"buyer__address__country": "FR"},
        "/vat_breakdown",
        _split_payment(),
    ),
    Case(
        "BR-B-02",
        _split_payment() | {"charges": (DocumentCharge(vat_category="S", amount=D("1")),)},
        "/vat_breakdown",
        _split_payment(),
    ),
]

CASES = CORE + CALCULATIONS + DECIMALS + CODE_LISTS + _family_cases() + SPECIFIC


def fired(case_invoice: Any) -> dict[str, set[str | None]]:
    out: dict[str, set[str | None]] = {}
    for finding in check_en16931(case_invoice):
        out.setdefault(finding.rule, set()).add(finding.location)
    return out


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_rule_holds_then_fires_where_the_edit_broke_it(case: Case) -> None:
    holding = edits(valid_invoice(case.category), **case.passing)
    assert case.rule not in fired(holding)
    broken = edits(holding, **case.failing)
    assert case.location in fired(broken).get(case.rule, set())


def test_every_checked_rule_has_a_case() -> None:
    assert {case.rule for case in CASES} == CHECKED


@pytest.mark.parametrize("category", [c.code for c in CATEGORIES])
def test_valid_invoices_break_no_rule(category: str) -> None:
    assert check_en16931(valid_invoice(category)) == []
    assert check_en16931(valid_invoice(category, documents=False)) == []


def test_a_finding_carries_the_catalogue_texts_and_a_fix() -> None:
    broken = edits(valid_invoice("E"), vat_breakdown__0__rate=D("5"), lines__0__unit=None)
    for finding in check_en16931(broken):
        rule = CATALOGUE[finding.rule]
        assert finding.layer is Layer.EN16931
        assert (finding.severity, finding.message_en, finding.message_fr) == (
            rule.severity,
            rule.message_en,
            rule.message_fr,
        )
        assert finding.location and finding.location.startswith("/")
        assert finding.fix


def test_card_number_rule_is_a_warning() -> None:
    broken = edits(
        valid_invoice(), payment__card=PaymentCard(primary_account_number="4970101234567890")
    )
    (finding,) = (f for f in check_en16931(broken) if f.rule == "BR-51")
    assert not finding.fatal


def test_an_empty_invoice_is_told_what_it_lacks() -> None:
    from chorusflow.model import Invoice

    assert [f.rule for f in check_en16931(Invoice())] == [
        "BR-01", "BR-02", "BR-03", "BR-04", "BR-05", "BR-06", "BR-07", "BR-08", "BR-10",
        "BR-12", "BR-13", "BR-14", "BR-15", "BR-16", "BR-CO-10", "BR-CO-13", "BR-CO-16",
        "BR-CO-18",
    ]  # fmt: skip


def test_the_fix_gives_the_figure_to_set() -> None:
    broken = edits(valid_invoice(), totals__line_total=D("1.00"))
    (finding,) = (f for f in check_en16931(broken) if f.rule == "BR-CO-10")
    assert finding.fix == "Set totals.line_total to 391.00, the sum of the line net amounts."


def test_standard_rate_taxable_amount_as_the_official_test_reads_it() -> None:
    """BR-S-08 also holds when the document charges and allowances at the rate alone are
    within one unit of the taxable amount (the precedence of the official test's or/and)."""
    invoice = valid_invoice("S")  # lines 391.00, allowance 10.00, charge 5.00: 386.00
    assert "BR-S-08" in fired(edits(invoice, vat_breakdown__0__taxable_amount=D("-3.50")))
    assert "BR-S-08" not in fired(edits(invoice, vat_breakdown__0__taxable_amount=D("-5.50")))


@pytest.mark.parametrize(
    ("net", "taxable", "fires"),
    [("0.05", "-0.95", False), ("0.05", "1.05", True), ("0.10", "-0.90", True),
     ("2.67", "3.67", False), ("2.67", "1.67", True)],
)  # fmt: skip
def test_one_unit_off_is_judged_in_binary_floating_point_as_officially(
    net: str, taxable: str, fires: bool
) -> None:
    """BR-S-08 bounds are ``xs:decimal(TaxableAmount ± 1)``, computed as doubles: exactly one
    unit off passes or fails as the double rounds (the official schematron says the same)."""
    invoice = valid_invoice("S", documents=False)
    invoice = edits(
        invoice,
        lines=invoice.lines[1:],
        lines__0__net_amount=D(net),
        vat_breakdown__0__taxable_amount=D(taxable),
    )
    assert ("BR-S-08" in fired(invoice)) is fires


def test_a_creditor_identifier_alone_asks_for_no_payment_means_code() -> None:
    """BT-90 is written with the seller or the payee, outside the payment means (BR-49)."""
    creditor = PaymentInstructions(direct_debit=DirectDebit(creditor_id="FR12ZZZ123456"))
    assert "BR-49" not in fired(edits(valid_invoice(), payment=creditor))
    assert "BR-49" in fired(edits(valid_invoice(), payment=PaymentInstructions()))
