"""The durable outbox: one database (SQLite by default, PostgreSQL to scale out) that every
command and worker shares.

Every state move is one transaction that also records the transition (time, reason); a
worker's move is fenced by its lease, so a worker that lost its lease (it stalled, another
took over) cannot overwrite what the other did. Callbacks registered with
:meth:`Store.listen` run after each committed transition (the seam for status-change hooks).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Final

import platformdirs
from sqlalchemy import (
    Connection,
    Engine,
    Row,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
    SQLAlchemyError,
)

from chorusflow.errors import EXIT_UNREADABLE, ChorusflowError
from chorusflow.outbox.schema import (
    LATEST,
    MIGRATIONS,
    current_version,
    flows,
    invoices,
    schema_version,
    throttle,
    transitions,
)
from chorusflow.outbox.states import State, allowed

log = logging.getLogger("chorusflow.outbox")

#: Seconds SQLite waits for the writer lock before giving up.
SQLITE_BUSY_SECONDS: Final = 60
#: The throttle row every worker shares.
THROTTLE: Final = "chorus"


class OutboxError(ChorusflowError):
    """The outbox database cannot be opened or used as it is (exit 2)."""

    exit_code = EXIT_UNREADABLE


class LeaseLostError(Exception):
    """Another worker took this invoice over (our lease expired): leave it alone."""


@dataclass(frozen=True, slots=True)
class Transition:
    """One committed move of one invoice (what status-change hooks receive)."""

    invoice_id: int
    supplier: str
    number: str
    source: State | None
    target: State
    status: str | None
    at: float
    reason: str


@dataclass(frozen=True, slots=True)
class Move:
    """One transition to record with others (:meth:`Tx.record_many`)."""

    invoice_id: int
    supplier: str
    number: str
    source: State | None
    target: State
    reason: str
    status: str | None = None


@dataclass(frozen=True, slots=True)
class Planned:
    """One move of :meth:`Tx.move_all`: the invoice as read, where it goes, why, with what."""

    invoice: InvoiceRecord
    target: State
    reason: str
    status: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)


TransitionListener = Callable[[Transition], None]
#: Called inside the transaction that records a transition (rows that must commit with it).
TransitionRecorder = Callable[["Tx", Transition], None]


@dataclass(frozen=True, slots=True)
class InvoiceRecord:
    """One invoice of the outbox, as stored (the file's bytes are read apart)."""

    id: int
    supplier: str
    buyer: str | None
    number: str
    source: str
    syntax: str
    syntaxe_flux: str
    filename: str
    content_sha256: str
    size: int
    state: State
    attempts: int
    next_attempt_at: float
    deposit_started_at: float | None
    lease_owner: str | None
    lease_until: float | None
    flow_ref: int | None
    flow_number: str | None
    cpp_id: int | None
    lifecycle: str | None
    next_poll_at: float | None
    poll_interval: float | None
    error_code: str | None
    error_message: str | None
    error_fix: str | None
    created_at: float
    updated_at: float


@dataclass(frozen=True, slots=True)
class FlowRecord:
    """One deposit: a file (one invoice or a tar.gz batch) and what Chorus Pro said of it."""

    id: int
    numero: str | None
    supplier: str
    syntaxe_flux: str
    filename: str
    invoices: int
    bytes: int
    state: str
    etat: str | None
    deposited_at: float | None
    next_poll_at: float | None
    poll_interval: float | None
    polls: int


_INVOICE_FIELDS: Final = tuple(f.name for f in fields(InvoiceRecord))
_FLOW_FIELDS: Final = tuple(f.name for f in fields(FlowRecord))
INVOICE_COLUMNS: Final = tuple(invoices.c[name] for name in _INVOICE_FIELDS)
FLOW_COLUMNS: Final = tuple(flows.c[name] for name in _FLOW_FIELDS)


def invoice_record(row: Row[Any] | Mapping[str, Any]) -> InvoiceRecord:
    data = dict(row._mapping) if isinstance(row, Row) else dict(row)
    values = {name: data[name] for name in _INVOICE_FIELDS}
    values["state"] = State(values["state"])
    return InvoiceRecord(**values)


def flow_record(row: Row[Any]) -> FlowRecord:
    data = row._mapping
    return FlowRecord(**{name: data[name] for name in _FLOW_FIELDS})


def default_database_url(environ: Mapping[str, str] | None = None) -> str:
    """CHORUSFLOW_DB, else ``outbox.db`` in the user data directory."""
    environ = os.environ if environ is None else environ
    if environ.get("CHORUSFLOW_DB"):
        return environ["CHORUSFLOW_DB"]
    return "sqlite:///" + str(Path(platformdirs.user_data_dir("chorusflow")) / "outbox.db")


def database_url(value: str) -> str:
    """A URL from what a user gives: a URL, or a path to an SQLite file."""
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def shown_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unreadable database URL)"


def _sqlite_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # One writer at a time: take the write lock at BEGIN, so that a claim's read and
        # its update cannot interleave with another worker's.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise OutboxError(
            f"'{url}' is not a database URL.",
            "Give sqlite:///PATH, a file path, or postgresql://USER@HOST/DB.",
        ) from None
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True, isolation_level="READ COMMITTED")
    raise OutboxError(
        f"The outbox cannot use the database {shown_url(url)}.",
        "Use SQLite (sqlite:///PATH) or PostgreSQL (postgresql://USER@HOST/DB).",
    )


class Store:
    """The outbox database."""

    def __init__(self, engine: Engine, *, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.clock = clock
        self._listeners: list[TransitionListener] = []
        self._recorders: list[TransitionRecorder] = []

    @classmethod
    def open(cls, url: str | None = None, *, clock: Callable[[], float] = time.time) -> Store:
        """Open (and create or migrate) the outbox at ``url`` (default: CHORUSFLOW_DB or the
        user data directory). Raises :class:`OutboxError` when it cannot."""
        url = url or default_database_url()
        try:
            engine = _engine(url)
        except NoSuchModuleError:
            raise OutboxError(
                f"No driver for the database {shown_url(url)}.",
                "Use sqlite:///PATH or postgresql://USER@HOST/DB.",
            ) from None
        store = cls(engine, clock=clock)
        try:
            store.migrate()
        except OutboxError:
            engine.dispose()
            raise
        except (DBAPIError, SQLAlchemyError, OSError) as error:
            engine.dispose()
            reason = getattr(error, "orig", None) or error
            first = str(reason).strip().splitlines()[0] if str(reason).strip() else "no reason"
            raise OutboxError(
                f"Cannot open the outbox database {shown_url(url)} ({first}).",
                "Check --db / CHORUSFLOW_DB, that the server answers and that you may write there.",
            ) from None
        return store

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # --- schema -----------------------------------------------------------------------

    def migrate(self) -> int:
        """Apply the migrations the database lacks; its version afterwards."""
        with self.engine.begin() as connection:
            if self.dialect == "postgresql":
                # one migrating process at a time
                connection.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
            version = current_version(connection)
            if version > LATEST:
                raise OutboxError(
                    f"The outbox database is at schema version {version}, newer than this "
                    f"chorusflow knows ({LATEST}).",
                    "Upgrade chorusflow, or point --db at another database.",
                )
            for migration in MIGRATIONS:
                if migration.version > version:
                    migration.apply(connection)
                    connection.execute(
                        insert(schema_version).values(
                            version=migration.version,
                            applied_at=self.clock(),
                            description=migration.description,
                        )
                    )
                    log.info("outbox schema migrated to %d", migration.version)
            return max(version, LATEST)

    def version(self) -> int:
        with self.engine.connect() as connection:
            return current_version(connection)

    # --- transactions and the hook seam ------------------------------------------------

    def listen(self, listener: TransitionListener) -> Callable[[], None]:
        """Call ``listener`` after each committed transition; returns the way to stop."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def record_with(self, recorder: TransitionRecorder) -> Callable[[], None]:
        """Call ``recorder`` inside the transaction of each transition, so that what it writes
        commits or rolls back with the move (durable hook deliveries); returns the way to stop."""
        self._recorders.append(recorder)
        return lambda: self._recorders.remove(recorder)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """One transaction; its transitions are announced to listeners once committed."""
        with self.engine.begin() as connection:
            tx = Tx(connection, self.clock(), self._recorders)
            yield tx
        for transition in tx.transitions:
            for listener in list(self._listeners):
                try:
                    listener(transition)
                except Exception:  # a hook's failure must not undo a committed move
                    log.exception(
                        "a transition listener failed on invoice %d", transition.invoice_id
                    )

    # --- reading ----------------------------------------------------------------------

    def invoice(self, invoice_id: int) -> InvoiceRecord | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(*INVOICE_COLUMNS).where(invoices.c.id == invoice_id)
            ).first()
        return invoice_record(row) if row is not None else None

    def contents(self, invoice_ids: Sequence[int]) -> dict[int, bytes]:
        """The files of several invoices, in one query."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(invoices.c.id, invoices.c.content).where(invoices.c.id.in_(invoice_ids))
            )
            return {int(row.id): bytes(row.content or b"") for row in rows}

    def content(self, invoice_id: int) -> bytes:
        with self.engine.connect() as connection:
            data = connection.scalar(select(invoices.c.content).where(invoices.c.id == invoice_id))
        return bytes(data or b"")

    def invoices(
        self,
        *,
        states: frozenset[State] | None = None,
        ids: list[int] | None = None,
        flow_ref: int | None = None,
    ) -> list[InvoiceRecord]:
        query = select(*INVOICE_COLUMNS).order_by(invoices.c.id)
        if flow_ref is not None:
            query = query.where(invoices.c.flow_ref == flow_ref)
        if states is not None:
            query = query.where(invoices.c.state.in_([s.value for s in states]))
        if ids is not None:
            query = query.where(invoices.c.id.in_(ids))
        with self.engine.connect() as connection:
            return [invoice_record(row) for row in connection.execute(query)]

    def counts(self, ids: list[int] | None = None) -> dict[State, int]:
        """How many invoices (of ``ids``, or all) stand in each state: one GROUP BY."""
        query = select(invoices.c.state, func.count()).group_by(invoices.c.state)
        if ids is not None:
            query = query.where(invoices.c.id.in_(ids))
        with self.engine.connect() as connection:
            return {State(state): int(n) for state, n in connection.execute(query)}

    def flow(self, flow_id: int) -> FlowRecord | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(*FLOW_COLUMNS).where(flows.c.id == flow_id)).first()
        return flow_record(row) if row is not None else None

    def history(self, invoice_id: int) -> list[Transition]:
        """Every transition of one invoice, oldest first."""
        query = (
            select(transitions, invoices.c.supplier, invoices.c.number)
            .join(invoices, invoices.c.id == transitions.c.invoice_id)
            .where(transitions.c.invoice_id == invoice_id)
            .order_by(transitions.c.id)
        )
        with self.engine.connect() as connection:
            return [
                Transition(
                    invoice_id=row.invoice_id,
                    supplier=row.supplier,
                    number=row.number,
                    source=State(row.from_state) if row.from_state else None,
                    target=State(row.to_state),
                    status=row.status,
                    at=row.at,
                    reason=row.reason,
                )
                for row in connection.execute(query)
            ]

    def find_live(self, supplier: str, number: str) -> InvoiceRecord | None:
        """The invoice that holds ``number`` for ``supplier`` (not invalid, not rejected)."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(*INVOICE_COLUMNS).where(
                    invoices.c.active_key == active_key(supplier, number)
                )
            ).first()
        return invoice_record(row) if row is not None else None

    # --- the throttle every worker shares ----------------------------------------------

    def take_slot(self, rate: float | None) -> float:
        """Reserve the next call slot (``rate`` calls a second for all workers together, and
        no call during a pause); the seconds to wait before calling."""
        with self.engine.begin() as connection:
            row = _throttle_row(connection)
            now = self.clock()
            slot = max(now, row.paused_until, row.next_slot if rate else 0.0)
            if rate:
                connection.execute(
                    update(throttle)
                    .where(throttle.c.name == THROTTLE)
                    .values(next_slot=slot + 1.0 / rate)
                )
            return float(slot - now)

    def pause(self, seconds: float, reason: str) -> None:
        """No worker calls Chorus Pro for ``seconds`` (Retry-After, maintenance)."""
        with self.engine.begin() as connection:
            until = self.clock() + seconds
            row = _throttle_row(connection)
            if row.paused_until < until:
                connection.execute(
                    update(throttle)
                    .where(throttle.c.name == THROTTLE)
                    .values(paused_until=until, reason=reason)
                )

    def paused_until(self) -> float:
        with self.engine.connect() as connection:
            value = connection.scalar(
                select(throttle.c.paused_until).where(throttle.c.name == THROTTLE)
            )
        return float(value or 0.0)


def _throttle_row(connection: Connection) -> Row[Any]:
    """The shared throttle row, locked for this transaction; made on first use. Two workers
    starting together on a new database both find it missing: the second one's insert
    fails in its savepoint, and it locks the row the first one made."""
    locked = select(throttle).where(throttle.c.name == THROTTLE).with_for_update()
    row = connection.execute(locked).first()
    if row is None:
        try:
            with connection.begin_nested():
                connection.execute(
                    insert(throttle).values(name=THROTTLE, next_slot=0.0, paused_until=0.0)
                )
        except IntegrityError:
            pass
        row = connection.execute(locked).one()
    return row


def active_key(supplier: str, number: str) -> str:
    return f"{supplier}|{number}"


class Tx:
    """A transaction of the outbox: moves recorded with their transitions."""

    def __init__(
        self,
        connection: Connection,
        now: float,
        recorders: list[TransitionRecorder] | None = None,
    ) -> None:
        self.connection = connection
        self.now = now
        self.transitions: list[Transition] = []
        self.recorders = list(recorders or [])

    def record(
        self,
        invoice: InvoiceRecord,
        source: State | None,
        target: State,
        reason: str,
        status: str | None = None,
    ) -> None:
        self.connection.execute(
            insert(transitions).values(
                invoice_id=invoice.id,
                from_state=source.value if source else None,
                to_state=target.value,
                status=status,
                at=self.now,
                reason=reason,
            )
        )
        transition = Transition(
            invoice.id,
            invoice.supplier,
            invoice.number,
            source,
            target,
            status,
            self.now,
            reason,
        )
        self.transitions.append(transition)
        for recorder in self.recorders:
            recorder(self, transition)

    def record_many(self, moves: Sequence[Move]) -> None:
        """:meth:`record` for many transitions at once (one statement)."""
        if not moves:
            return
        self.connection.execute(
            insert(transitions),
            [
                {
                    "invoice_id": m.invoice_id,
                    "from_state": m.source.value if m.source else None,
                    "to_state": m.target.value,
                    "status": m.status,
                    "at": self.now,
                    "reason": m.reason,
                }
                for m in moves
            ],
        )
        for m in moves:
            transition = Transition(
                m.invoice_id,
                m.supplier,
                m.number,
                m.source,
                m.target,
                m.status,
                self.now,
                m.reason,
            )
            self.transitions.append(transition)
            for recorder in self.recorders:
                recorder(self, transition)

    def move_many(
        self,
        invoice_ids: Sequence[int],
        source: State,
        target: State,
        *,
        owner: str | None,
        **values: Any,
    ) -> None:
        """Move invoices all in ``source`` to ``target`` in one statement (their transitions
        are the caller's, :meth:`record_many`); fenced by ``owner``'s lease when given."""
        if not invoice_ids:
            return
        if not allowed(source, target):
            raise AssertionError(f"the outbox does not move an invoice from {source} to {target}")
        condition = [invoices.c.id.in_(list(invoice_ids)), invoices.c.state == source.value]
        if owner is not None:
            condition.append(invoices.c.lease_owner == owner)
        if target in (State.INVALID, State.REJECTED):
            values.setdefault("active_key", None)
        result = self.connection.execute(
            update(invoices)
            .where(*condition)
            .values(state=target.value, updated_at=self.now, **values)
        )
        if result.rowcount != len(invoice_ids):
            raise LeaseLostError(f"{len(invoice_ids) - result.rowcount} invoice(s) moved under us")

    def move_all(self, planned: Sequence[Planned], *, owner: str | None = None) -> None:
        """:meth:`move` for many invoices: one executemany UPDATE per kind of move and one
        INSERT of the transitions, instead of two statements an invoice. All or none: if one
        invoice moved under us (or ``owner`` lost its lease), :class:`LeaseLostError` — run it
        in a savepoint to fall back to :meth:`move` one by one."""
        groups: dict[tuple[State, State, tuple[str, ...]], list[Planned]] = {}
        for plan in planned:
            source = plan.invoice.state
            if not allowed(source, plan.target):
                raise AssertionError(
                    f"the outbox does not move an invoice from {source} to {plan.target}"
                )
            values = dict(plan.values)
            if plan.target in (State.INVALID, State.REJECTED):
                values.setdefault("active_key", None)
            key = (source, plan.target, tuple(sorted(values)))
            groups.setdefault(key, []).append(replace(plan, values=values))
        for (source, target, columns), group in groups.items():
            condition = [invoices.c.id == bindparam("p_id"), invoices.c.state == source.value]
            if owner is not None:
                condition.append(invoices.c.lease_owner == owner)
            statement = (
                update(invoices)
                .where(*condition)
                .values(
                    state=target.value,
                    updated_at=self.now,
                    **{column: bindparam(f"p_{column}") for column in columns},
                )
            )
            rows = [
                {"p_id": p.invoice.id, **{f"p_{c}": p.values[c] for c in columns}} for p in group
            ]
            result = self.connection.execute(statement, rows)
            if result.rowcount != len(rows):
                raise LeaseLostError(f"{len(rows) - result.rowcount} invoice(s) moved under us")
        self.record_many(
            [
                Move(
                    p.invoice.id,
                    p.invoice.supplier,
                    p.invoice.number,
                    p.invoice.state,
                    p.target,
                    p.reason,
                    p.status,
                )
                for p in planned
            ]
        )

    def move(
        self,
        invoice: InvoiceRecord,
        target: State,
        reason: str,
        *,
        owner: str | None = None,
        status: str | None = None,
        **values: Any,
    ) -> None:
        """Move ``invoice`` from the state it was read in to ``target``, with ``values``.

        With ``owner``, only while that worker holds the lease (else :class:`LeaseLostError`).
        """
        source = invoice.state
        if not allowed(source, target):
            raise AssertionError(f"the outbox does not move an invoice from {source} to {target}")
        condition = [invoices.c.id == invoice.id, invoices.c.state == source.value]
        if owner is not None:
            condition.append(invoices.c.lease_owner == owner)
        if target in (State.INVALID, State.REJECTED):
            values.setdefault("active_key", None)
        result = self.connection.execute(
            update(invoices)
            .where(*condition)
            .values(state=target.value, updated_at=self.now, **values)
        )
        if result.rowcount != 1:
            raise LeaseLostError(f"invoice {invoice.id} moved under us")
        self.record(invoice, source, target, reason, status)

    def release(self, invoice_ids: list[int], owner: str, **values: Any) -> None:
        """Give up our lease on invoices without moving them."""
        if invoice_ids:
            self.connection.execute(
                update(invoices)
                .where(invoices.c.id.in_(invoice_ids), invoices.c.lease_owner == owner)
                .values(lease_owner=None, lease_until=None, updated_at=self.now, **values)
            )

    def claim(self, where: list[Any], owner: str, lease: float, limit: int) -> list[InvoiceRecord]:
        """Lease up to ``limit`` invoices matching ``where`` whose lease is free or expired
        (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite holds the write lock already)."""
        free = or_(invoices.c.lease_until.is_(None), invoices.c.lease_until < self.now)
        rows = self.connection.execute(
            select(*INVOICE_COLUMNS)
            .where(*where, free)
            .order_by(invoices.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        return self._lease([invoice_record(row) for row in rows], owner, lease)

    def _lease(self, found: list[InvoiceRecord], owner: str, lease: float) -> list[InvoiceRecord]:
        if not found:
            return []
        until = self.now + lease
        self.connection.execute(
            update(invoices)
            .where(invoices.c.id.in_([r.id for r in found]))
            .values(lease_owner=owner, lease_until=until)
        )
        return [replace(r, lease_owner=owner, lease_until=until) for r in found]

    def lease(self, found: list[InvoiceRecord], owner: str, lease: float) -> list[InvoiceRecord]:
        """Lease invoices already selected under lock in this transaction."""
        return self._lease(found, owner, lease)

    def claim_flows(self, owner: str, lease: float, limit: int) -> list[FlowRecord]:
        """Lease up to ``limit`` deposited flows whose report is due."""
        free = or_(flows.c.lease_until.is_(None), flows.c.lease_until < self.now)
        rows = self.connection.execute(
            select(*FLOW_COLUMNS)
            .where(flows.c.state == "deposited", flows.c.next_poll_at <= self.now, free)
            .order_by(flows.c.next_poll_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        found = [flow_record(row) for row in rows]
        if found:
            self.connection.execute(
                update(flows)
                .where(flows.c.id.in_([f.id for f in found]))
                .values(lease_owner=owner, lease_until=self.now + lease)
            )
        return found
