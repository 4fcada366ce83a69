"""Putting invoices into the outbox: read, convert, check, and queue only what may leave.

A JSON invoice is written in the chosen syntax (Factur-X unless told otherwise); a file
already in a syntax Chorus Pro takes (Factur-X, UBL, CII) goes as it is. Either way the file
that will be deposited is checked by every layer (XSD, EN 16931, Factur-X, identifiers,
Chorus Pro's deposit rules, numbers already in the outbox). An invoice with a fatal finding
is recorded ``invalid`` and never leaves the machine.

All or nothing, in bounded memory: files are prepared on every core
(:mod:`chorusflow.outbox.prepare`) and **staged** in chunks — rows in state ``queued``,
leased to this call, with no history yet; workers only claim ``checked`` invoices, so none
of them leaves. When every file has been read, one transaction **releases** them all: each
row's transitions (received, then checked, held or invalid) are recorded and its lease
dropped. A file that cannot be read deletes the staged rows of the call: nothing is queued.
Rows a crashed `send` left staged are deleted by the next `send` once their lease expired.
"""

from __future__ import annotations

import hashlib
import os
import socket
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from chorusflow.chorus.environments import Environment
from chorusflow.chorus.rehearsal import Rehearsal
from chorusflow.formats.profiles import Profile, Syntax
from chorusflow.outbox.packing import SYNTAXE_FLUX, file_name
from chorusflow.outbox.prepare import CHUNK, Prepared, PrepareOptions, prepare_all
from chorusflow.outbox.schema import invoices
from chorusflow.outbox.states import State
from chorusflow.outbox.store import (
    INVOICE_COLUMNS,
    Move,
    OutboxError,
    Store,
    Tx,
    active_key,
    invoice_record,
)
from chorusflow.rules.deposit import directory_findings
from chorusflow.rules.directory import Directory
from chorusflow.rules.duplicates import (
    FirstKnown,
    InMemoryKnownInvoices,
    KnownInvoice,
    number_findings,
)
from chorusflow.rules.findings import Finding, Layer, Severity

#: Files staged per transaction.
STAGE_ROWS: Final = 200
#: Seconds a call's staged rows are held; renewed at each chunk. Past it, a crashed call's
#: rows are deleted by the next `send`.
STAGE_LEASE: Final = 900.0
#: Ids per IN list (SQLite's parameter limit is far above; a statement stays small).
IDS_PER_STATEMENT: Final = 500
#: Lease owners of staging calls start with this.
STAGING: Final = "send:"
_LAYER_RANK: Final = {layer: rank for rank, layer in enumerate(Layer)}


@dataclass(frozen=True, slots=True)
class SendOptions:
    """How `send` prepares invoices."""

    syntax: Syntax = Syntax.FACTURX
    """The syntax a JSON invoice is written in."""
    profile: Profile = Profile.EN16931
    hold: bool = False
    """Queue them ``held``, to be released by ``chorusflow confirm``."""
    rehearsal: Rehearsal = field(default_factory=Rehearsal)
    environment: Environment | None = None
    directory: Directory | None = None
    """Where the buyers' demands are checked (None: Chorus Pro's flow report will say)."""

    @property
    def luhn(self) -> Severity:
        """Test data sets use SIRETs that fail Luhn: a warning outside production."""
        production = self.environment is Environment.PRODUCTION or self.environment is None
        return Severity.FATAL if production else Severity.WARNING

    @property
    def preparing(self) -> PrepareOptions:
        """What a preparing process needs (the directory stays here)."""
        return PrepareOptions(
            self.syntax, self.profile, self.rehearsal, self.environment, self.luhn
        )


@dataclass(frozen=True, slots=True)
class Queued:
    """What became of one file in the outbox."""

    source: str
    invoice_id: int
    number: str
    state: State
    findings: tuple[Finding, ...]


class StoreKnownInvoices:
    """The duplicates layer's view of the outbox: numbers held by a live invoice."""

    def __init__(self, store: Store, staged: set[int] | None = None) -> None:
        self.store = store
        self.staged = staged if staged is not None else set()
        """Rows this call staged: its own files, known through the call's batch instead."""
        self._fetched: dict[str, tuple[int, State] | None] = {}

    def prefetch(self, items: Sequence[Prepared]) -> None:
        """Look the numbers of ``items`` up in one query (instead of one an invoice)."""
        keys = list(
            dict.fromkeys(active_key(i.seller, i.number) for i in items if i.seller and i.number)
        )
        self._fetched = dict.fromkeys(keys)
        with self.store.engine.connect() as connection:
            for first in range(0, len(keys), IDS_PER_STATEMENT):
                rows = connection.execute(
                    select(invoices.c.id, invoices.c.state, invoices.c.active_key).where(
                        invoices.c.active_key.in_(keys[first : first + IDS_PER_STATEMENT])
                    )
                )
                for row in rows:
                    self._fetched[str(row.active_key)] = (int(row.id), State(row.state))

    def find(self, seller: str, number: str) -> KnownInvoice | None:
        key = active_key(seller, number)
        if key in self._fetched:
            found = self._fetched[key]
        else:
            record = self.store.find_live(seller, number)
            found = (record.id, record.state) if record is not None else None
        if found is None or found[0] in self.staged:
            return None
        return KnownInvoice(seller, number, f"the outbox (#{found[0]}, {found[1].value})")


def _summary(findings: Sequence[Finding]) -> tuple[str | None, str | None, str | None]:
    fatal = [f for f in findings if f.fatal]
    if not fatal:
        return None, None, None
    first = fatal[0]
    more = f" (and {len(fatal) - 1} more)" if len(fatal) > 1 else ""
    return first.rule, f"{first.rule}: {first.message_en}{more}", first.fix


def caller_layers(
    item: Prepared,
    directory: Directory | None,
    known: StoreKnownInvoices,
    seen: InMemoryKnownInvoices,
) -> Prepared:
    """The layers only this process can run: the buyer's demands from ``directory``, and
    the numbers already in the outbox or earlier in this call. Their findings join the
    file's in layer order, as the validator orders them."""
    if not item.checked:
        return item
    demands = directory_findings(item.route, directory) if item.route is not None else []
    duplicates = number_findings(item.seller, item.number, FirstKnown((known, seen)))
    seen.remember(item.seller, item.number, item.name)
    if not demands and not duplicates:
        return item
    findings = sorted([*demands, *item.findings, *duplicates], key=lambda f: _LAYER_RANK[f.layer])
    return item.with_findings(findings)


@dataclass
class _Staging:
    """The rows one `send` call has staged, and what each will become at release."""

    store: Store
    options: SendOptions
    owner: str = field(
        default_factory=lambda: (
            f"{STAGING}{socket.gethostname()[:24]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        )
    )
    ids: set[int] = field(default_factory=set)
    queued: list[Queued] = field(default_factory=list)
    suppliers: dict[int, str] = field(default_factory=dict)
    held_at: float = 0.0
    """When the staged rows' lease was last renewed."""

    def stage(self, batch: list[Prepared]) -> None:
        if not batch:
            return
        try:
            with self.store.transaction() as tx:
                rows = [self._row(tx, item) for item in batch]
                statement = insert(invoices).returning(invoices.c.id, sort_by_parameter_order=True)
                new_ids = [int(i) for i in tx.connection.execute(statement, rows).scalars()]
                if not self.ids:
                    self.held_at = tx.now  # the first rows: leased as they were inserted
                elif tx.now > self.held_at + STAGE_LEASE / 3:
                    self._hold(tx)
        except IntegrityError:
            raise OutboxError(
                "Another chorusflow queued one of these invoice numbers at the same moment; "
                "nothing was queued.",
                "Run chorusflow status to see it, then send again what is missing.",
            ) from None
        for new_id, item, row in zip(new_ids, batch, rows, strict=True):
            self.ids.add(new_id)
            self.suppliers[new_id] = str(row["supplier"])
            self.queued.append(
                Queued(
                    item.source,
                    new_id,
                    str(row["number"]),
                    _target(item, self.options),
                    item.findings,
                )
            )

    def _row(self, tx: Tx, item: Prepared) -> dict[str, object]:
        return {**_values(tx, item), "lease_owner": self.owner, "lease_until": tx.now + STAGE_LEASE}

    def _hold(self, tx: Tx) -> None:
        """Renew the lease of the rows staged so far (a third of the way through it)."""
        self.held_at = tx.now
        tx.connection.execute(
            update(invoices)
            .where(invoices.c.lease_owner == self.owner, invoices.c.state == State.QUEUED.value)
            .values(lease_until=tx.now + STAGE_LEASE)
        )

    def release(self) -> list[Queued]:
        """Record every staged row's transitions and move it on, in one transaction."""
        if not self.queued:
            return []
        with self.store.transaction() as tx:
            by_target: dict[State, list[Queued]] = {}
            for item in self.queued:
                by_target.setdefault(item.state, []).append(item)
            tx.record_many(
                [
                    Move(
                        q.invoice_id,
                        self.suppliers[q.invoice_id],
                        q.number,
                        None,
                        State.QUEUED,
                        f"received from {q.source}",
                    )
                    for q in self.queued
                ]
            )
            for target, items in by_target.items():
                for first in range(0, len(items), IDS_PER_STATEMENT):
                    part = items[first : first + IDS_PER_STATEMENT]
                    tx.move_many(
                        [q.invoice_id for q in part],
                        State.QUEUED,
                        target,
                        owner=self.owner,
                        lease_owner=None,
                        lease_until=None,
                    )
                tx.record_many(
                    [
                        Move(
                            q.invoice_id,
                            self.suppliers[q.invoice_id],
                            q.number,
                            State.QUEUED,
                            target,
                            _reason(q, self.options),
                        )
                        for q in items
                    ]
                )
        return self.queued

    def discard(self) -> None:
        """Delete every row this call staged (a file could not be read)."""
        if self.ids:
            with self.store.transaction() as tx:
                tx.connection.execute(
                    delete(invoices).where(
                        invoices.c.lease_owner == self.owner,
                        invoices.c.state == State.QUEUED.value,
                    )
                )


def _target(item: Prepared, options: SendOptions) -> State:
    if not (item.valid and item.syntax in SYNTAXE_FLUX):
        return State.INVALID
    return State.HELD if options.hold else State.CHECKED


def _reason(item: Queued, options: SendOptions) -> str:
    if item.state is State.INVALID:
        return f"refused by the checks: {_summary(item.findings)[1]}"
    if item.state is State.HELD:
        return "checked; held until confirmed (send --confirm)"
    warnings = sum(1 for f in item.findings if not f.fatal)
    return f"checked ({warnings} warning(s)); ready to deposit"


def discard_abandoned(store: Store) -> int:
    """Delete the rows a crashed `send` left staged, once their lease expired; how many."""
    with store.transaction() as tx:
        result = tx.connection.execute(
            delete(invoices).where(
                invoices.c.state == State.QUEUED.value,
                invoices.c.lease_owner.like(f"{STAGING}%"),
                invoices.c.lease_until < tx.now,
            )
        )
    return int(result.rowcount or 0)


def enqueue(
    store: Store,
    paths: Sequence[Path],
    options: SendOptions,
    *,
    jobs: int | None = None,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> list[Queued]:
    """Check every file (on ``jobs`` processes), then queue them all or none.

    A file that cannot be read raises, and nothing of this call stays in the outbox.
    ``progress(1)`` is called as each file has been prepared.
    """
    discard_abandoned(store)
    staging = _Staging(store, options)
    known = StoreKnownInvoices(store, staging.ids)
    seen = InMemoryKnownInvoices()
    batch: list[Prepared] = []

    def stage() -> None:
        known.prefetch(batch)
        staging.stage([caller_layers(item, options.directory, known, seen) for item in batch])
        batch.clear()

    try:
        for item in prepare_all(paths, options.preparing, jobs=jobs, chunk=chunk):
            batch.append(item)
            if progress is not None:
                progress(1)
            if len(batch) >= STAGE_ROWS:
                stage()
        stage()
        return staging.release()
    except BaseException:
        staging.discard()
        raise


def _values(tx: Tx, item: Prepared) -> dict[str, object]:
    """The outbox row of a prepared file, received now."""
    valid = item.valid and item.syntax in SYNTAXE_FLUX
    code, message, fix = _summary(item.findings)
    known = item.syntax in SYNTAXE_FLUX
    return {
        "supplier": item.supplier,
        "buyer": item.buyer,
        "number": item.number or "(none)",
        "active_key": active_key(item.supplier, item.number) if valid else None,
        "source": item.source,
        "syntax": item.syntax.value,
        "syntaxe_flux": SYNTAXE_FLUX[item.syntax].value if known else "",
        "filename": file_name(item.number, item.syntax) if known else "",
        "content": item.data,
        "size": len(item.data),
        "content_sha256": hashlib.sha256(item.data).hexdigest(),
        "state": State.QUEUED.value,
        "attempts": 0,
        "next_attempt_at": tx.now,
        "error_code": code,
        "error_message": message,
        "error_fix": fix,
        "created_at": tx.now,
        "updated_at": tx.now,
    }


def _insert(tx: Tx, item: Prepared, options: SendOptions) -> Queued:
    """Queue one prepared file in ``tx`` (received, then checked, held or invalid)."""
    key = tx.connection.execute(insert(invoices).values(**_values(tx, item))).inserted_primary_key
    new_id = int(key[0]) if key else 0
    row = tx.connection.execute(select(*INVOICE_COLUMNS).where(invoices.c.id == new_id)).one()
    record = invoice_record(row)
    tx.record(record, None, State.QUEUED, f"received from {item.source}")
    queued = Queued(item.source, record.id, record.number, _target(item, options), item.findings)
    tx.move(record, queued.state, _reason(queued, options))
    return queued


def confirm(store: Store, ids: Sequence[int] | None = None) -> list[int]:
    """Release held invoices (all of them, or those of ``ids``) to the workers."""
    held = store.invoices(states=frozenset({State.HELD}), ids=list(ids) if ids else None)
    with store.transaction() as tx:
        for record in held:
            tx.move(record, State.CHECKED, "confirmed by the user", next_attempt_at=tx.now)
    return [r.id for r in held]


__all__ = [
    "Queued",
    "SendOptions",
    "StoreKnownInvoices",
    "confirm",
    "discard_abandoned",
    "enqueue",
]
