"""Writers refuse an invoice with fatal findings unless told otherwise."""

from __future__ import annotations

import pytest

from chorusflow.errors import EXIT_INVALID
from chorusflow.formats.cii import write_cii
from chorusflow.formats.model_json import read_json, write_json
from chorusflow.formats.profiles import Profile, Syntax
from chorusflow.formats.ubl import write_ubl
from chorusflow.model import Invoice, PartyIdentifier
from chorusflow.rules.findings import Finding, Layer, Severity
from chorusflow.rules.produce import FatalFindingsError, produce
from chorusflow.rules.validate import Checks
from tests.conftest import EXAMPLES

IDS = Checks(layers=frozenset({Layer.IDS}))


def example() -> Invoice:
    return read_json((EXAMPLES / "simple-invoice.json").read_bytes())


def with_bad_sirets() -> Invoice:
    invoice = example()
    assert invoice.buyer is not None
    wrong = PartyIdentifier(value="12345678200029", scheme="0009")
    buyer = invoice.buyer.model_copy(update={"identifier": wrong, "legal_registration": wrong})
    return invoice.model_copy(update={"buyer": buyer})


def test_a_clean_invoice_is_written_as_the_writers_write_it() -> None:
    invoice = example()
    assert produce(invoice, Syntax.CII, Profile.BASIC) == write_cii(invoice, Profile.BASIC)
    assert produce(invoice, Syntax.JSON) == write_json(invoice)
    assert produce(invoice, Syntax.UBL) == write_ubl(invoice)
    assert produce(invoice, Syntax.FACTURX).startswith(b"%PDF-")


def test_fatal_findings_stop_the_writer_and_say_which_rules() -> None:
    with pytest.raises(FatalFindingsError) as refused:
        produce(with_bad_sirets(), Syntax.CII, checks=IDS)
    error = refused.value
    assert error.exit_code == EXIT_INVALID
    assert [f.rule for f in error.findings] == ["ID-SIRET-LUHN", "ID-SIRET-LUHN"]
    assert "2 rules" in error.message and "ID-SIRET-LUHN" in error.message
    assert error.message.count("ID-SIRET-LUHN") == 1  # each rule named once
    assert "--force" in (error.fix or "")


def test_force_writes_anyway() -> None:
    invoice = with_bad_sirets()
    assert produce(invoice, Syntax.CII, checks=IDS, force=True) == write_cii(invoice)


def test_a_long_refusal_names_a_few_rules_and_counts_the_rest() -> None:
    findings = [Finding(f"BR-{i:02d}", Severity.FATAL, Layer.EN16931, "en", "fr") for i in range(8)]
    message = FatalFindingsError(findings).message
    assert "BR-00, BR-01, BR-02, BR-03, BR-04 and 3 more" in message


def test_by_default_the_writer_holds_the_invoice_to_en16931() -> None:
    undated = example().model_copy(update={"issue_date": None})
    for syntax in (Syntax.CII, Syntax.UBL, Syntax.FACTURX):
        with pytest.raises(FatalFindingsError) as refused:
            produce(undated, syntax)
        assert [f.rule for f in refused.value.findings] == ["BR-03"]
    # BT-24 is the writer's to state: an invoice that leaves it out is not refused for it.
    unnamed = example().model_copy(update={"specification_identifier": None})
    assert produce(unnamed, Syntax.CII, Profile.BASIC).startswith(b"<?xml")
    assert produce(unnamed, Syntax.UBL).startswith(b"<?xml")
