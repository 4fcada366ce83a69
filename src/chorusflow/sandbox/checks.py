"""Judging one invoice of a flow with the project's rules, as Chorus Pro judges it.

Two kinds of refusal, as in a Chorus Pro flow report (API.md §4.2): a file that breaks its
syntax's XSD is irrecevable (``listeErreurTechnique``, ``ERR_XSD_001``); an invoice that breaks
EN 16931 or the buyer's routing demands is rejected (``listeErreurDP``, one French message per
broken rule, joined by `` | ``).
"""

from __future__ import annotations

from chorusflow.rules.chorus import BuyerDirectoryEntry, routing_findings
from chorusflow.rules.findings import Finding
from chorusflow.rules.official import schematron_findings, xsd_findings
from chorusflow.sandbox.reading import ReadInvoice

#: Most technical errors listed for one file (a real report listed 53).
MAX_TECHNICAL = 50


def syntax_findings(read: ReadInvoice) -> list[Finding]:
    """The official XSD's findings (irrecevability)."""
    return xsd_findings(read.root, read.artefact)[:MAX_TECHNICAL]


def business_findings(
    read: ReadInvoice, buyer: BuyerDirectoryEntry | None, en16931: str
) -> list[Finding]:
    """Fatal EN 16931 and routing findings (rejection of the invoice)."""
    findings: list[Finding] = []
    if en16931 == "official":
        findings += schematron_findings(read.root, read.artefact)
    findings += routing_findings(read.invoice, buyer)
    return [f for f in findings if f.fatal]


def libelle(findings: list[Finding]) -> str:
    """The ``libelleErreurDP`` of an invoice: its findings in French, joined by `` | ``."""
    return " | ".join(f"{f.rule} : {f.message_fr}" for f in findings)
