"""A finding: one rule an invoice breaks, said in French and English, with where and how to fix."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """Fatal findings block writing and sending; warnings inform."""

    FATAL = "fatal"
    WARNING = "warning"


class Layer(StrEnum):
    """The layers of checks, in the order they run (``validate --only`` selects among them)."""

    XSD = "xsd"
    EN16931 = "en16931"
    FACTURX = "facturx"
    IDS = "ids"
    CHORUS = "chorus"
    DUPLICATES = "duplicates"


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule broken by an invoice."""

    rule: str
    """Official rule id (``BR-CO-15``, ``FX-SCH-A-000123``) or a chorusflow id (``CPRO-...``)."""
    severity: Severity
    layer: Layer
    message_en: str
    message_fr: str
    location: str | None = None
    """Where in the model: a JSON pointer into the invoice JSON, e.g. ``/lines/0/net_amount``."""
    xpath: str | None = None
    """Where in the file, when the finding comes from a file."""
    fix: str | None = None
    """What to change, in the user's terms."""

    @property
    def fatal(self) -> bool:
        return self.severity is Severity.FATAL


def has_fatal(findings: list[Finding] | tuple[Finding, ...]) -> bool:
    """True when any finding blocks writing or sending."""
    return any(f.fatal for f in findings)
