"""Native and official verdicts agree on generated invoices and on mutations of the examples.

Officially: the official schematron on the UBL and the CII (Factur-X EN 16931) the writers
produce. Natively: :func:`check_en16931` on that same file read back, which is the invoice as
the writer states it (BT-24 of the syntax, a net price derived from gross and discount; an
empty group there, empty, where the syntax has an element of its own for it). The BR-* rules
the native engine checks are compared.

The native engine follows the CEN UBL schematron, so on UBL every BR rule must agree. The
Factur-X schematron words some rules differently; those rules (``FACTURX_WORDING``, each with
its difference) are not compared on CII, and the Factur-X schematron has no BR-CL rule.
A quick sample runs in ``make test``; ``-m slow`` runs every mutation of every example and
many more generated invoices.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chorusflow.formats import cii, ubl
from chorusflow.formats.model_json import read_json
from chorusflow.formats.xml import parse_xml
from chorusflow.model import Invoice
from chorusflow.rules.en16931 import NOT_CHECKED, check_en16931
from chorusflow.rules.official import Artefact, official_findings
from tests.conftest import example_paths
from tests.rules.en16931.mutations import MUTATIONS, Mutation
from tests.strategies import invoices

_BLANKS = "a value of blanks passes (no normalize-space)"
_EXACTLY_ONE = (
    "a breakdown of the category with no line, allowance or charge in it fails; several "
    "of them are counted with the lines"
)
_WITHIN_ONE = "within one unit, of sums rounded to the cent (CEN: exactly equal, unrounded)"

#: Rules the Factur-X EN 16931 schematron decides differently from the CEN UBL one.
FACTURX_WORDING: dict[str, str] = {
    **dict.fromkeys(("BR-02", "BR-04", "BR-05", "BR-06", "BR-07", "BR-52"), _BLANKS),
    "BR-09": "fires when the seller has no postal address at all (CEN: BR-08 only)",
    "BR-11": "fires when the buyer has no postal address at all (CEN: BR-10 only)",
    "BR-20": "fires when the tax representative has no postal address (CEN: BR-19 only)",
    "BR-17": "compares the payee with the seller's legal name and legal id too",
    "BR-53": "also fires when BT-6 equals BT-5",
    "BR-57": "an empty country code fails (CEN: present suffices)",
    "BR-61": "only applies when an account element is written",
    **dict.fromkeys(("BR-62", "BR-63"), "an empty scheme fails (CEN: present suffices)"),
    "BR-CO-09": "compares the whole two-letter prefix with its own country list",
    "BR-CO-14": "only applies to a BT-110 in the invoice currency, and sums no breakdown as 0",
    "BR-CO-15": "also holds when BT-112 equals BT-109",
    "BR-CO-16": "exact, without the CEN rounding of BT-112 − BT-113",
    "BR-CO-17": "accepts exactly one unit of difference (CEN: less than one)",
    "BR-DEC-13": "satisfied by any BT-111 (CEN: never fires)",
    "BR-DEC-15": "fires when BT-6 is given without BT-111 (CEN: never fires)",
    **dict.fromkeys(("BR-S-01", "BR-AF-01", "BR-AG-01"), "counts lines and breakdowns"),
    **dict.fromkeys(("BR-Z-01", "BR-E-01", "BR-AE-01", "BR-IC-01", "BR-G-01"), _EXACTLY_ONE),
    "BR-O-01": "a category O used without a breakdown passes; " + _EXACTLY_ONE,
    "BR-S-08": "exactly equal, with no need of a line at the rate (CEN: within one unit)",
    **dict.fromkeys(
        ("BR-Z-08", "BR-E-08", "BR-AE-08", "BR-IC-08", "BR-G-08", "BR-O-08"), _WITHIN_ONE
    ),
    **dict.fromkeys(
        ("BR-AF-08", "BR-AF-09", "BR-AG-08", "BR-AG-09"),
        "never fires (the rate is looked for on the parent element)",
    ),
    **dict.fromkeys(("BR-AF-05", "BR-AF-06", "BR-AF-07"), "the rate must be above zero"),
    **dict.fromkeys(
        ("BR-O-11", "BR-O-12"), "both look at every VAT category, on lines and breakdowns"
    ),
    **dict.fromkeys(("BR-O-13", "BR-O-14"), "both look at every allowance and charge category"),
    "BR-IC-11": "does not count the VAT point date code (BT-8), which CII puts elsewhere",
    "BR-IC-12": "a one-letter country code passes",
}


def official_rules(xml: bytes, artefact: Artefact) -> set[str]:
    """The BR rules the official artefact fires, among those the native engine checks."""
    found = {f.rule for f in official_findings(xml, artefact) if f.rule.startswith("BR-")}
    return found - set(NOT_CHECKED)


def native_rules(invoice: Invoice) -> set[str]:
    return {f.rule for f in check_en16931(invoice)}


def ubl_verdicts(invoice: Invoice) -> tuple[set[str], set[str]]:
    artefact = Artefact.UBL_CREDIT_NOTE if invoice.is_credit_note else Artefact.UBL_INVOICE
    xml = ubl.write_ubl(invoice)
    return official_rules(xml, artefact), native_rules(ubl.read_ubl(parse_xml(xml)))


def cii_verdicts(invoice: Invoice) -> tuple[set[str], set[str]]:
    xml = cii.write_cii(invoice)
    official = official_rules(xml, Artefact.FACTURX_EN16931)
    native = {r for r in native_rules(cii.read_cii(parse_xml(xml))) if not r.startswith("BR-CL-")}
    return official - set(FACTURX_WORDING), native - set(FACTURX_WORDING)


SYNTAXES: dict[str, Callable[[Invoice], tuple[set[str], set[str]]]] = {
    "ubl": ubl_verdicts,
    "cii": cii_verdicts,
}


@cache
def examples() -> dict[str, Invoice]:
    return {path.stem: read_json(path.read_bytes()) for path in example_paths()}


def cases(every: bool) -> list[Any]:
    """(example, mutation) pairs: all of them, or each mutation on one example in turn."""
    names = sorted(examples())
    out: list[Any] = []
    for n, mutation in enumerate(MUTATIONS):
        tried = names if every else names[n % len(names) :] + names[: n % len(names)]
        for name in tried:
            if mutation.apply(examples()[name]) is not None:
                out.append(pytest.param(name, mutation, id=f"{name}: {mutation.name}"))
                if not every:
                    break
    return out


def _agree(syntax: str, name: str, mutation: Mutation) -> None:
    mutated = mutation.apply(examples()[name])
    assert mutated is not None
    official, native = SYNTAXES[syntax](mutated)
    assert native == official, f"{syntax}, {name}, {mutation.name}: {official=}, {native=}"


@pytest.mark.parametrize("syntax", SYNTAXES)
@pytest.mark.parametrize(("name", "mutation"), cases(every=False))
def test_a_mutated_example_gets_the_official_verdict(
    syntax: str, name: str, mutation: Mutation
) -> None:
    _agree(syntax, name, mutation)


@pytest.mark.slow
@pytest.mark.parametrize("syntax", SYNTAXES)
@pytest.mark.parametrize(("name", "mutation"), cases(every=True))
def test_every_mutation_of_every_example_gets_the_official_verdict(
    syntax: str, name: str, mutation: Mutation
) -> None:
    _agree(syntax, name, mutation)


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: Path(p).stem)
@pytest.mark.parametrize("syntax", SYNTAXES)
def test_the_examples_break_no_rule(syntax: str, path: Path) -> None:
    assert SYNTAXES[syntax](read_json(path.read_bytes())) == (set(), set())


def _generated(syntax: str, invoice: Invoice, mutation: Mutation | None) -> None:
    if mutation is not None:
        invoice = mutation.apply(invoice) or invoice
    official, native = SYNTAXES[syntax](invoice)
    assert native == official


_FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_SLOW = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("syntax", SYNTAXES)
@_FAST
@given(invoice=invoices(max_lines=4), mutation=st.none() | st.sampled_from(MUTATIONS))
def test_a_generated_invoice_gets_the_official_verdict(
    syntax: str, invoice: Invoice, mutation: Mutation | None
) -> None:
    _generated(syntax, invoice, mutation)


@pytest.mark.slow
@pytest.mark.parametrize("syntax", SYNTAXES)
@_SLOW
@given(invoice=invoices(), mutation=st.none() | st.sampled_from(MUTATIONS))
def test_many_generated_invoices_get_the_official_verdict(
    syntax: str, invoice: Invoice, mutation: Mutation | None
) -> None:
    _generated(syntax, invoice, mutation)
