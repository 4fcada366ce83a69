"""Rehearsal: real invoices sent to the test data set without editing them.

Qualification only knows the structures of its "matelas de données", so a real invoice (real
seller SIRET, real buyer SIRET, real service code) is rejected there. 8sens's test mode swaps
the company's SIRET for the data set's supplier SIRET; chorusflow does the same, for the
seller and the buyer and their service codes, on the model just before the file is written
(the outbox applies :func:`rehearse`). Production refuses a rehearsal outright: an invoice
must never reach a real buyer with swapped identifiers.

The swap touches every place Chorus Pro reads a SIRET from (BT-29, BT-30, BT-34 for the
seller; BT-46, BT-47, BT-49 for the buyer, scheme 0009) and the service code (BT-10).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chorusflow.chorus.environments import Environment
from chorusflow.errors import ChorusflowError
from chorusflow.model import Invoice
from chorusflow.model.codes import SIRET_SCHEME


@dataclass(frozen=True, slots=True)
class Rehearsal:
    """Real → test identifiers of one environment's data set."""

    sirets: Mapping[str, str] = field(default_factory=dict)
    """Real SIRET → data-set SIRET (seller and buyer alike)."""
    services: Mapping[str, str] = field(default_factory=dict)
    """Real service code → data-set service code."""

    def __bool__(self) -> bool:
        return bool(self.sirets or self.services)

    def check(self) -> None:
        """Refuse a mapping that is not SIRET → SIRET (14 digits each)."""
        for real, test in self.sirets.items():
            for value in (real, test):
                if not (len(value) == 14 and value.isdigit()):
                    raise ChorusflowError(
                        f"The rehearsal mapping {real} → {test} holds '{value}', not a SIRET.",
                        "Map 14-digit SIRETs: --rehearse-siret REAL=TEST.",
                    )


class RehearsalRefusedError(ChorusflowError):
    """A rehearsal was asked for production."""


def _swap(party: Any, mapping: Mapping[str, str], fields: tuple[str, ...]) -> Any:
    updates: dict[str, Any] = {}
    for name in fields:
        value = getattr(party, name)
        if isinstance(value, tuple):
            swapped = tuple(_swap_id(item, mapping) for item in value)
            if swapped != value:
                updates[name] = swapped
        elif value is not None:
            swapped_one = _swap_id(value, mapping)
            if swapped_one is not value:
                updates[name] = swapped_one
    return party.model_copy(update=updates) if updates else party


def _swap_id(identifier: Any, mapping: Mapping[str, str]) -> Any:
    if identifier.scheme != SIRET_SCHEME:
        return identifier
    test = mapping.get(identifier.value.strip())
    return identifier if test is None else identifier.model_copy(update={"value": test})


def rehearse(invoice: Invoice, rehearsal: Rehearsal, environment: Environment) -> Invoice:
    """``invoice`` with the real SIRETs and service code replaced by the data set's.

    Unmapped values are left as they are. Raises :class:`RehearsalRefusedError` in
    production, whatever the mapping.
    """
    if not environment.rehearsal_allowed:
        raise RehearsalRefusedError(
            "A rehearsal mapping cannot be used in production: invoices would reach real "
            "buyers with swapped identifiers.",
            "Remove the [environments.production.rehearsal] section, or send to qualification.",
        )
    if not rehearsal:
        return invoice
    updates: dict[str, Any] = {}
    if invoice.seller is not None:
        seller = _swap(
            invoice.seller,
            rehearsal.sirets,
            ("identifiers", "legal_registration", "electronic_address"),
        )
        if seller is not invoice.seller:
            updates["seller"] = seller
    if invoice.buyer is not None:
        buyer = _swap(
            invoice.buyer,
            rehearsal.sirets,
            ("identifier", "legal_registration", "electronic_address"),
        )
        if buyer is not invoice.buyer:
            updates["buyer"] = buyer
    code = invoice.buyer_reference
    if code is not None and code.strip() in rehearsal.services:
        updates["buyer_reference"] = rehearsal.services[code.strip()]
    return invoice.model_copy(update=updates) if updates else invoice
