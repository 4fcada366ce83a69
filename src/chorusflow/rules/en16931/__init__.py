"""The EN 16931 business rules, checked natively on the model.

:func:`check_en16931` answers what the official CEN schematron would answer of the invoice
written out, in well under a millisecond and without any XML: each finding carries the
official rule id, severity and English text, a French message, the JSON pointer of the
field at fault and what to set it to. :data:`CATALOGUE` lists every official rule;
:data:`NOT_CHECKED` says which ones are not checked here, and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from chorusflow.model import Invoice
from chorusflow.rules.en16931 import (
    calculations,
    code_lists,
    decimals,
    document,
    lines,
    parties,
    payment,
    vat,
)
from chorusflow.rules.en16931.catalogue import CATALOGUE, Rule
from chorusflow.rules.en16931.engine import breaches, findings
from chorusflow.rules.en16931.facts import Facts
from chorusflow.rules.findings import Finding

_REGISTRIES = (
    document.registry,
    parties.registry,
    lines.registry,
    payment.registry,
    calculations.registry,
    decimals.registry,
    vat.registry,
    code_lists.registry,
)
_CHECKS = tuple(check for registry in _REGISTRIES for check in registry.checks)

CHECKED: Final[frozenset[str]] = frozenset().union(*(r.rules for r in _REGISTRIES))
"""The ids of the rules :func:`check_en16931` decides."""

NOT_CHECKED: Final[Mapping[str, str]] = MappingProxyType(
    {
        **dict.fromkeys(
            ("BR-CO-05", "BR-CO-06", "BR-CO-07", "BR-CO-08"),
            "a reason code and a reason text must mean the same thing: no machine can tell, "
            "and the official assertion is true()",
        ),
        "BR-CL-03": "the model states one currency per document (BT-5, BT-6, checked by "
        "BR-CL-04 and BR-CL-05); a currency written on each amount is syntax",
    }
)
"""Official rules not checked natively, with the reason."""


def check_en16931(invoice: Invoice) -> list[Finding]:
    """The EN 16931 business rules ``invoice`` breaks, in catalogue order (BR-01 first)."""
    return findings(breaches(_CHECKS, Facts(invoice)))


__all__ = ["CATALOGUE", "CHECKED", "NOT_CHECKED", "Rule", "check_en16931"]
