"""Rules as data plus small functions: a registry of checks, and the loop that runs them.

A check is a function of the invoice's :class:`~chorusflow.rules.en16931.facts.Facts` that
yields a :class:`Breach` (rule id, where, how to fix) for each place the invoice breaks one of
the rules it decides. Texts and severities are not the check's business: they come from the
catalogue when the breach becomes a :class:`~chorusflow.rules.findings.Finding`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from chorusflow.rules.en16931.catalogue import CATALOGUE
from chorusflow.rules.en16931.facts import Facts
from chorusflow.rules.findings import Finding, Layer


class Breach(NamedTuple):
    """One place where an invoice breaks a rule."""

    rule: str
    location: str
    """JSON pointer into the invoice JSON, e.g. ``/lines/0/net_amount``."""
    fix: str
    """What to set, in the terms of the invoice JSON."""


Check = Callable[[Facts], Iterable[Breach]]


class Registry:
    """Checks and the rule ids each one decides, in registration order."""

    def __init__(self) -> None:
        self.entries: list[tuple[tuple[str, ...], Check]] = []

    def __call__(self, *rules: str) -> Callable[[Check], Check]:
        """Decorator: register a check deciding ``rules``."""

        def register(check: Check) -> Check:
            self.add(rules, check)
            return check

        return register

    def add(self, rules: tuple[str, ...], check: Check) -> None:
        unknown = [rule for rule in rules if rule not in CATALOGUE]
        if unknown:
            raise LookupError(f"not official EN 16931 rules: {', '.join(unknown)}")
        self.entries.append((rules, check))

    @property
    def rules(self) -> frozenset[str]:
        return frozenset(rule for rules, _ in self.entries for rule in rules)

    @property
    def checks(self) -> tuple[Check, ...]:
        return tuple(check for _, check in self.entries)


def field(pointer: str) -> str:
    """A JSON pointer as the dotted path a user reads: ``/lines/0/unit`` → ``lines[0].unit``."""
    out = ""
    for part in pointer.strip("/").split("/"):
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out


def breaches(checks: Iterable[Check], facts: Facts) -> list[Breach]:
    found: list[Breach] = []
    for check in checks:
        found.extend(check(facts))
    return found


_ORDER = {rule: position for position, rule in enumerate(CATALOGUE)}


def findings(found: Iterable[Breach]) -> list[Finding]:
    """Breaches as findings, with the catalogue's severity and texts, in catalogue order."""
    out: list[Finding] = []
    for breach in sorted(found, key=lambda breach: _ORDER[breach.rule]):
        rule = CATALOGUE[breach.rule]
        out.append(
            Finding(
                rule=rule.id,
                severity=rule.severity,
                layer=Layer.EN16931,
                message_en=rule.message_en,
                message_fr=rule.message_fr,
                location=breach.location,
                fix=breach.fix,
            )
        )
    return out
