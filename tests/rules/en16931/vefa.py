"""The CEN unit tests in the VEFA testSet format: each test a document and its expectations.

A testSet file holds ``<test>`` elements; each has an ``<assert>`` naming, per rule, whether
it must fire on the test's document (``<error>`` or ``<warning>``) or not (``<success>``),
and the document itself (a UBL Invoice or CreditNote, or a CII CrossIndustryInvoice). The
files are read with the project's safe parser (no DTD, no entities).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from lxml import etree

from chorusflow.formats.profiles import NS_CII, NS_UBL_CREDIT_NOTE, NS_UBL_INVOICE
from chorusflow.formats.xml import local_name, namespace, parse_xml

VEFA = "http://difi.no/xsd/vefa/validator/1.0"
_VERDICTS = {"success": False, "error": True, "warning": True}

#: The unit-test folders of the CEN corpus.
FOLDERS = ("Invoice-unit-UBL", "CreditNote-unit-UBL", "cii")


class Syntax(StrEnum):
    UBL = "ubl"
    CII = "cii"


@dataclass(frozen=True)
class Expectation:
    """One rule's expected verdict on a test's document."""

    rule: str
    fires: bool
    """True for ``<error>`` and ``<warning>``, False for ``<success>``."""


@dataclass(frozen=True)
class UnitTest:
    """One ``<test>``: a document and what the official rules say of it."""

    file: Path
    index: int
    description: str
    document: etree._Element
    syntax: Syntax
    expectations: tuple[Expectation, ...]

    @property
    def name(self) -> str:
        return f"{self.file.parent.name}/{self.file.name}#{self.index}"


def _syntax(document: etree._Element) -> Syntax:
    ns = namespace(document)
    if ns in (NS_UBL_INVOICE, NS_UBL_CREDIT_NOTE):
        return Syntax.UBL
    if ns == NS_CII:
        return Syntax.CII
    raise ValueError(f"unknown document {etree.QName(document).text}")


def read_test_set(path: Path) -> list[UnitTest]:
    """Every test of a testSet file, its document detached as a root of its own."""
    root = parse_xml(path.read_bytes(), f"test set {path.name}")
    if root.tag != f"{{{VEFA}}}testSet":
        raise ValueError(f"{path.name} is not a VEFA testSet")
    tests: list[UnitTest] = []
    for index, test in enumerate(root.iterchildren(f"{{{VEFA}}}test")):
        assertion = test.find(f"{{{VEFA}}}assert")
        if assertion is None:
            raise ValueError(f"{path.name} test {index} has no assert")
        expectations = tuple(
            Expectation(rule=(child.text or "").strip(), fires=_VERDICTS[local_name(child)])
            for child in assertion
            if isinstance(child.tag, str) and local_name(child) in _VERDICTS
        )
        documents = [
            child for child in test if isinstance(child.tag, str) and namespace(child) != VEFA
        ]
        if len(documents) != 1:
            raise ValueError(f"{path.name} test {index} has {len(documents)} documents")
        document = copy.deepcopy(documents[0])
        description = " ".join((assertion.findtext(f"{{{VEFA}}}description") or "").split())
        tests.append(UnitTest(path, index, description, document, _syntax(document), expectations))
    return tests


def corpus_tests(test_root: Path) -> Iterator[UnitTest]:
    """Every unit test of the CEN corpus under ``test_root`` (its ``test/`` folder)."""
    for folder in FOLDERS:
        for path in sorted((test_root / folder).glob("*.xml")):
            yield from read_test_set(path)
