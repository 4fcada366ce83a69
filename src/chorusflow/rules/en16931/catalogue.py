"""The catalogue of EN 16931 business rules: official id, severity and texts.

Ids, severities and English texts come from the official CEN schematron
(:mod:`~chorusflow.rules.en16931.official`, generated); the French texts are written in
:mod:`~chorusflow.rules.en16931.french`. A finding takes its texts and severity from here,
so a rule's wording lives in one place whatever checks it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from chorusflow.rules.en16931.french import french_messages
from chorusflow.rules.en16931.official import OFFICIAL_RULES
from chorusflow.rules.findings import Severity


@dataclass(frozen=True, slots=True)
class Rule:
    """One EN 16931 business rule as the official artefacts state it."""

    id: str
    severity: Severity
    message_en: str
    """The official English text, without its ``[BR-xx]-`` prefix."""
    message_fr: str


def _build() -> Mapping[str, Rule]:
    french = french_messages()
    missing = [rule_id for rule_id, _, _ in OFFICIAL_RULES if rule_id not in french]
    if missing:  # a new official rule: say which, rather than fail later on a lookup
        raise LookupError(f"no French text for {', '.join(missing)}")
    return MappingProxyType(
        {
            rule_id: Rule(rule_id, Severity(flag), text, french[rule_id])
            for rule_id, flag, text in OFFICIAL_RULES
        }
    )


CATALOGUE: Final[Mapping[str, Rule]] = _build()
"""Every official EN 16931 business rule, by id, in catalogue order."""
