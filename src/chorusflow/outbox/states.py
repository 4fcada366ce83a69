"""The states an invoice moves through in the outbox, and what each lifecycle status means.

::

    queued ─▶ checked ─▶ depositing ─▶ deposited ─▶ integrated ─▶ paid
       │         │  ▲          │            │            │  ▲
       ▼         ▼  │          │            ▼            ▼  │
    invalid    held ┘          │         rejected     needs_user (A_RECYCLER, SUSPENDUE)
                               └─ (not found after an ambiguous deposit) ─▶ checked
                                                         integrated ─▶ refused (REJETEE)

``invalid`` never left the machine; ``rejected`` was refused in the flow report; ``paid``
(MISE_EN_PAIEMENT) and ``refused`` (REJETEE) end the follow-up; ``needs_user`` waits for the
supplier (recycle, complete) and is still followed, slowly.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class State(StrEnum):
    """Where an invoice stands in the outbox."""

    QUEUED = "queued"
    INVALID = "invalid"
    CHECKED = "checked"
    HELD = "held"
    DEPOSITING = "depositing"
    DEPOSITED = "deposited"
    INTEGRATED = "integrated"
    REJECTED = "rejected"
    NEEDS_USER = "needs_user"
    PAID = "paid"
    REFUSED = "refused"


#: Moves the outbox makes (any other is a bug and is refused by the store).
MOVES: Final[dict[State, frozenset[State]]] = {
    State.QUEUED: frozenset({State.CHECKED, State.INVALID, State.HELD}),
    State.CHECKED: frozenset({State.DEPOSITING, State.HELD}),
    State.HELD: frozenset({State.CHECKED}),
    State.DEPOSITING: frozenset(
        {
            State.DEPOSITED,
            State.CHECKED,
            State.REJECTED,
            State.INTEGRATED,
            State.NEEDS_USER,
            State.PAID,
            State.REFUSED,
        }
    ),
    State.DEPOSITED: frozenset(
        {State.INTEGRATED, State.REJECTED, State.NEEDS_USER, State.PAID, State.REFUSED}
    ),
    State.INTEGRATED: frozenset({State.INTEGRATED, State.NEEDS_USER, State.PAID, State.REFUSED}),
    State.NEEDS_USER: frozenset({State.INTEGRATED, State.NEEDS_USER, State.PAID, State.REFUSED}),
    State.INVALID: frozenset(),
    State.REJECTED: frozenset(),
    State.PAID: frozenset(),
    State.REFUSED: frozenset(),
}

#: Nothing more will happen to these without the user.
FINAL: Final = frozenset({State.INVALID, State.REJECTED, State.PAID, State.REFUSED})
#: The user has something to do: correct and resend, recycle, complete, re-issue, confirm.
NEEDS_THE_USER: Final = frozenset(
    {State.INVALID, State.REJECTED, State.NEEDS_USER, State.REFUSED, State.HELD}
)
#: What `send --wait` and `worker --until-idle` wait for: nothing left for a worker to do now.
SETTLED: Final = FINAL | NEEDS_THE_USER
#: Followed through the invoice's lifecycle (consulterHistoriqueFacture).
FOLLOWED: Final = frozenset({State.INTEGRATED, State.NEEDS_USER})
#: The invoice is on the platform (it has an identifiantFactureCPP).
ON_PLATFORM: Final = frozenset({State.INTEGRATED, State.NEEDS_USER, State.PAID, State.REFUSED})
#: Failures that make ``send`` exit 1.
FAILED: Final = frozenset({State.INVALID, State.REJECTED, State.REFUSED})

#: Lifecycle statuses that end the follow-up, and the state each leads to.
PAID_STATUS: Final = "MISE_EN_PAIEMENT"
REFUSED_STATUS: Final = "REJETEE"
USER_STATUSES: Final = frozenset({"A_RECYCLER", "SUSPENDUE"})


def state_of_status(status: str) -> State:
    """The outbox state an invoice in lifecycle ``status`` is in."""
    if status == PAID_STATUS:
        return State.PAID
    if status == REFUSED_STATUS:
        return State.REFUSED
    if status in USER_STATUSES:
        return State.NEEDS_USER
    return State.INTEGRATED


def allowed(source: State | None, target: State) -> bool:
    """True when the outbox may move an invoice from ``source`` to ``target``."""
    if source is None:
        return target is State.QUEUED
    return target in MOVES[source]
