"""Judging one invoice of a flow with the project's rules, as Chorus Pro judges it.

Two kinds of refusal, as in a Chorus Pro flow report (API.md §4.2): a file that breaks its
syntax's XSD is irrecevable (``listeErreurTechnique``, ``ERR_XSD_001``); an invoice that breaks
EN 16931 or the buyer's routing demands is rejected (``listeErreurDP``, one French message per
broken rule, joined by `` | ``). EN 16931 is judged natively by default (the same engine as
``chorusflow validate``), by the official schematron on request, or not at all (``xsd``).
"""

from __future__ import annotations

from typing import Final

from chorusflow.rules.chorus import BuyerDirectoryEntry, routing_findings
from chorusflow.rules.findings import Finding, Layer
from chorusflow.rules.official import schematron_findings, xsd_findings
from chorusflow.rules.validate import Checks, invoice_findings
from chorusflow.sandbox.reading import ReadInvoice

#: Most technical errors listed for one file (a real report listed 53).
MAX_TECHNICAL = 50
#: How the sandbox judges EN 16931: natively, with the official schematron, or not at all.
EN16931_MODES: Final = ("native", "official", "xsd")
_EN16931_ONLY: Final = Checks(layers=frozenset({Layer.EN16931}))


def syntax_findings(read: ReadInvoice) -> list[Finding]:
    """The official XSD's findings (irrecevability)."""
    return xsd_findings(read.root, read.artefact)[:MAX_TECHNICAL]


def business_findings(
    read: ReadInvoice, buyer: BuyerDirectoryEntry | None, en16931: str
) -> list[Finding]:
    """Fatal EN 16931 and routing findings (rejection of the invoice)."""
    findings: list[Finding] = []
    if en16931 == "native":
        findings += invoice_findings(read.invoice, _EN16931_ONLY, profile=read.profile)
    elif en16931 == "official":
        findings += schematron_findings(read.root, read.artefact)
    findings += routing_findings(read.invoice, buyer)
    return [f for f in findings if f.fatal]


def libelle(findings: list[Finding]) -> str:
    """The ``libelleErreurDP`` of an invoice: its findings in French, joined by `` | ``."""
    return " | ".join(f"{f.rule} : {f.message_fr}" for f in findings)
