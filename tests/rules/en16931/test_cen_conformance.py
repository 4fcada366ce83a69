"""The native engine reaches the official verdict on the CEN unit tests.

Each CEN unit test is a document and, per rule, whether the official schematron fires on it.
The document is read through the project's readers (``read_ubl``, ``read_cii``) and checked by
:func:`~chorusflow.rules.en16931.check_en16931`; for every rule the engine checks, its verdict
must be the official one. The test prints the agreement and sorts every other expectation by
why it is not compared: a syntax rule (out of scope of a semantic model), a rule not checked
natively, a rule the official artefacts no longer carry, or a document the reader refuses.

A few expectations cannot be met by one syntax-neutral engine reading one model; each is
listed in ``KNOWN`` with the reason, and the test fails if the list is not exactly what
happens, so that a fix or a regression is seen at once.

    .venv/bin/python -m pytest -p no:xdist -s tests/rules/en16931/test_cen_conformance.py
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

import pytest
from lxml import etree

from chorusflow.errors import InputError
from chorusflow.formats.cii import read_cii
from chorusflow.formats.ubl import read_ubl
from chorusflow.model import Invoice
from chorusflow.rules.en16931 import CATALOGUE, CHECKED, NOT_CHECKED, check_en16931
from tests.conftest import CORPUS
from tests.rules.en16931.vefa import Syntax, UnitTest, corpus_tests

READERS: dict[Syntax, Callable[[etree._Element], Invoice]] = {
    Syntax.UBL: read_ubl,
    Syntax.CII: read_cii,
}

#: Rule-id prefixes of the syntax rules: cardinalities and data types of one syntax, which a
#: semantic model does not keep (a reader holds one value where the file had two).
SYNTAX_RULES = ("UBL-SR-", "UBL-DT-", "CII-SR-")

_ONE_VAT_TOTAL = (
    "two VAT totals in the invoice currency: the model holds one BT-110 (the reader keeps the "
    "first), so the count the official rule makes cannot be made"
)
_ONE_UNIT = (
    "a tax amount exactly one unit off: the CEN CII schematron accepts it (<=), the CEN UBL "
    "one does not (<), and the native engine follows UBL"
)

#: (test, rule) -> why the native verdict cannot be the official one.
KNOWN: dict[tuple[str, str], str] = {
    ("Invoice-unit-UBL/BR-CO-15.xml#7", "BR-CO-15"): _ONE_VAT_TOTAL,
    ("CreditNote-unit-UBL/BR-CO-15.xml#7", "BR-CO-15"): _ONE_VAT_TOTAL,
    ("cii/BR-CO-15-2.xml#3", "BR-CO-15"): _ONE_VAT_TOTAL,
    ("cii/BR-CO-17.xml#1", "BR-CO-17"): _ONE_UNIT,
    ("cii/BR-CO-17.xml#2", "BR-CO-17"): _ONE_UNIT,
}

#: Tests whose document the reader refuses: the model holds a date, ``123`` is none (the
#: official XSD refuses it too; the schematron's BR-03 only asks for a non-blank value).
REFUSED = frozenset({"Invoice-unit-UBL/BR-03.xml#0", "CreditNote-unit-UBL/BR-03.xml#0"})


class Outcome(StrEnum):
    AGREES = "agrees"
    DISAGREES = "disagrees"
    SYNTAX = "syntax rule, out of scope"
    NOT_CHECKED = "not checked natively"
    RETIRED = "not in the official schematron"
    UNREADABLE = "document refused by the reader"


@dataclass
class Report:
    outcomes: dict[tuple[str, str], Outcome] = field(default_factory=dict)
    refusals: dict[str, str] = field(default_factory=dict)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for o in self.outcomes.values() if o is outcome)

    def rules(self, outcome: Outcome) -> Counter[str]:
        return Counter(rule for (_, rule), o in self.outcomes.items() if o is outcome)

    def text(self) -> str:
        compared = self.count(Outcome.AGREES) + self.count(Outcome.DISAGREES)
        lines = [
            f"CEN unit tests: native agrees with the official verdict on "
            f"{self.count(Outcome.AGREES)}/{compared} expectations of the rules it checks "
            f"({len(self.outcomes)} expectations in all)"
        ]
        for outcome in Outcome:
            if outcome is Outcome.AGREES:
                continue
            found = self.rules(outcome)
            if found:
                listed = ", ".join(f"{rule} ×{n}" for rule, n in sorted(found.items()))
                lines.append(f"  {outcome.value} ({sum(found.values())}): {listed}")
        for (test, rule), why in sorted(KNOWN.items()):
            lines.append(f"  known: {test} {rule}: {why}")
        for test, why in sorted(self.refusals.items()):
            lines.append(f"  refused: {test}: {why}")
        return "\n".join(lines)


def _fired(test: UnitTest) -> set[str] | str:
    try:
        invoice = READERS[test.syntax](test.document)
    except InputError as exc:
        return exc.message
    return {finding.rule for finding in check_en16931(invoice)}


@cache
def report() -> Report:
    result = Report()
    for test in corpus_tests(CORPUS / "test"):
        fired = _fired(test)
        if isinstance(fired, str):
            result.refusals[test.name] = fired
        for expectation in test.expectations:
            rule = expectation.rule
            if rule.startswith(SYNTAX_RULES):
                outcome = Outcome.SYNTAX
            elif rule not in CATALOGUE:
                outcome = Outcome.RETIRED
            elif rule in NOT_CHECKED:
                outcome = Outcome.NOT_CHECKED
            elif isinstance(fired, str):
                outcome = Outcome.UNREADABLE
            elif (rule in fired) == expectation.fires:
                outcome = Outcome.AGREES
            else:
                outcome = Outcome.DISAGREES
            result.outcomes[test.name, rule] = outcome
    return result


def test_native_verdicts_are_the_official_ones(capsys: pytest.CaptureFixture[str]) -> None:
    result = report()
    with capsys.disabled():
        print("\n" + result.text())
    disagreeing = {key for key, o in result.outcomes.items() if o is Outcome.DISAGREES}
    assert disagreeing == set(KNOWN), result.text()
    assert set(result.refusals) == REFUSED, result.text()


def test_every_rule_the_corpus_tests_is_checked_or_said_why_not() -> None:
    result = report()
    assert result.count(Outcome.AGREES) > 1_000
    uncovered = {
        rule
        for (_, rule), outcome in result.outcomes.items()
        if outcome in (Outcome.NOT_CHECKED, Outcome.RETIRED)
    }
    assert uncovered <= {"BR-CL-03", "BR-CO-25"}
    assert {rule for rule in uncovered if rule in CATALOGUE} <= set(NOT_CHECKED)
    assert CHECKED  # the engine is wired
