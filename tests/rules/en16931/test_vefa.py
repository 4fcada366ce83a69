"""The VEFA testSet reader reads the whole CEN corpus and refuses what is not a test set."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from chorusflow.errors import InputError
from tests.conftest import CORPUS
from tests.rules.en16931.vefa import Syntax, corpus_tests, read_test_set

TESTS = CORPUS / "test"


def test_the_corpus_has_its_files_tests_and_expectations() -> None:
    tests = list(corpus_tests(TESTS))
    files = {test.file for test in tests}
    assert len(files) == 206 + 71 + 2
    expectations = [e for test in tests for e in test.expectations]
    assert len(expectations) == 1142
    verdicts = Counter(e.fires for e in expectations)
    assert verdicts == {True: 574, False: 568}
    assert Counter(test.syntax for test in tests)[Syntax.CII] == 9


def test_a_test_carries_its_document_detached() -> None:
    (first, *_) = read_test_set(TESTS / "Invoice-unit-UBL" / "BR-CO-15.xml")
    assert first.document.getparent() is None
    assert first.document.tag.endswith("}Invoice")
    assert [(e.rule, e.fires) for e in first.expectations] == [("BR-CO-15", False)]
    assert first.name == "Invoice-unit-UBL/BR-CO-15.xml#0"
    assert "Invoice total amount with VAT" in first.description


def test_what_is_not_a_test_set_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_bytes(b"<Invoice/>")
    with pytest.raises(ValueError, match="not a VEFA testSet"):
        read_test_set(other)
    dtd = tmp_path / "dtd.xml"
    dtd.write_bytes(b'<!DOCTYPE x [<!ENTITY e "e">]><testSet/>')
    with pytest.raises(InputError):
        read_test_set(dtd)
