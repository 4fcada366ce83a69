"""The life of an integrated invoice: statuses, who may move it where, and the simulated buyer.

Transitions follow API.md §10: the platform routes an invoice (DEPOSEE →
EN_COURS_ACHEMINEMENT → MISE_A_DISPOSITION); the buyer then suspends, rejects, sends back
for recycling, or accepts it and has it paid (SERVICE_FAIT → MANDATEE → MISE_EN_PAIEMENT);
the supplier completes a suspended invoice (→ COMPLETEE) or recycles one (→ DEPOSEE). Every
move is written to the history with its time, comment and author.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from chorusflow.chorus.wire.enums import StatutFacture as S
from chorusflow.sandbox.settings import BuyerPolicy
from chorusflow.sandbox.store import Facture, HistoStatut

_RECEIVED: Final = (
    S.MISE_A_DISPOSITION,
    S.SUSPENDUE,
    S.REJETEE,
    S.MANDATEE,
    S.MISE_EN_PAIEMENT,
    S.COMPTABILISEE,
    S.MISE_A_DISPOSITION_COMPTABLE,
    S.A_RECYCLER,
    S.SERVICE_FAIT,
)

#: Where the buyer may move an invoice from each status (recupererEtatsPossiblesPourTraitement
#: for MISE_A_DISPOSITION is the official example, plus SERVICE_FAIT that S6 sets).
BUYER_TARGETS: Final[dict[str, tuple[str, ...]]] = {
    S.MISE_A_DISPOSITION: _RECEIVED,
    S.COMPLETEE: _RECEIVED,
    S.SERVICE_FAIT: (
        S.SUSPENDUE,
        S.REJETEE,
        S.MANDATEE,
        S.MISE_A_DISPOSITION_COMPTABLE,
        S.COMPTABILISEE,
        S.MISE_EN_PAIEMENT,
    ),
    S.MANDATEE: (S.MISE_A_DISPOSITION_COMPTABLE, S.COMPTABILISEE, S.MISE_EN_PAIEMENT),
    S.MISE_A_DISPOSITION_COMPTABLE: (S.COMPTABILISEE, S.MISE_EN_PAIEMENT),
    S.COMPTABILISEE: (S.MISE_EN_PAIEMENT,),
}

#: A buyer must say why it rejects or suspends (API.md §8.5).
MOTIF_REQUIRED: Final = frozenset({S.REJETEE, S.SUSPENDUE})

#: The comments the simulated buyer leaves.
MOTIFS: Final[dict[str, str]] = {
    S.A_RECYCLER: "Code service ou numéro d'engagement à corriger",
    S.SUSPENDUE: "Pièce justificative manquante (bon de livraison)",
    S.REJETEE: "Facture non conforme à la commande",
}


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def set_status(
    session: Session,
    facture: Facture,
    statut: str,
    *,
    commentaire: str | None = None,
    utilisateur_id: int | None = None,
    suite_a: float | None = None,
    when: dt.datetime | None = None,
) -> None:
    """Move ``facture`` to ``statut`` and record it in its history."""
    moment = when or now()
    facture.statut = statut
    facture.date_statut = moment
    facture.suite_a = suite_a
    session.add(
        HistoStatut(
            facture_id=facture.id,
            code=statut,
            date=moment,
            commentaire=commentaire,
            utilisateur_id=utilisateur_id,
        )
    )


def _draw(policy: BuyerPolicy, facture_id: int) -> float:
    """A reproducible number in [0, 1) for this invoice under this policy's seed."""
    digest = hashlib.sha256(f"{policy.seed}:{facture_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def decision(policy: BuyerPolicy, facture: Facture) -> str:
    """What the simulated buyer does with an invoice it received.

    Only the first time: an invoice that comes back recycled or completed is accepted, so
    that every invoice reaches an end.
    """
    if facture.passages > 1 or facture.statut == S.COMPLETEE:
        return S.SERVICE_FAIT
    draw = _draw(policy, facture.id)
    for statut, share in (
        (S.A_RECYCLER, policy.share_a_recycler),
        (S.SUSPENDUE, policy.share_suspendue),
        (S.REJETEE, policy.share_rejetee),
    ):
        if draw < share:
            return statut
        draw -= share
    return S.SERVICE_FAIT


def _next(policy: BuyerPolicy, facture: Facture, at: float) -> tuple[str, float | None, str | None]:
    """The automatic step due for ``facture``: new status, when the next one is due, comment."""
    current = facture.statut
    if current == S.DEPOSEE:
        return S.EN_COURS_ACHEMINEMENT, at + policy.routing_delay, None
    if current == S.EN_COURS_ACHEMINEMENT:
        facture.passages += 1
        later = at + policy.decision_delay if policy.automatic else None
        return S.MISE_A_DISPOSITION, later, None
    if current in (S.MISE_A_DISPOSITION, S.COMPLETEE):
        target = decision(policy, facture)
        later = at + policy.payment_delay if target == S.SERVICE_FAIT else None
        return target, later, MOTIFS.get(target)
    if current == S.SERVICE_FAIT:
        return S.MANDATEE, at + policy.payment_delay, None
    if current == S.MANDATEE:
        return S.MISE_EN_PAIEMENT, None, None
    return current, None, None


def advance_due(session: Session, policy: BuyerPolicy, limit: int = 500) -> int:
    """Apply every automatic step that is due; the number of invoices moved."""
    at = time.time()
    due = session.scalars(
        select(Facture).where(Facture.suite_a <= at).order_by(Facture.suite_a).limit(limit)
    ).all()
    moment = now()
    for facture in due:
        statut, later, comment = _next(policy, facture, at)
        if statut == facture.statut:
            facture.suite_a = None
            continue
        set_status(session, facture, statut, commentaire=comment, suite_a=later, when=moment)
    return len(due)
