"""The outbox: a durable queue of invoices, delivered to Chorus Pro exactly once and followed.

Public surface:

* :class:`Store` — the database (SQLite by default, PostgreSQL given a URL), migrations, the
  transitions history and :meth:`Store.listen` (called after each committed transition: the
  seam for status-change hooks);
* :class:`State` and the sets of :mod:`~chorusflow.outbox.states`;
* :func:`enqueue`, :func:`confirm`, :class:`SendOptions` — checked invoices into the queue;
* :class:`Worker`, :func:`run_workers`, :class:`WorkerOptions`, :class:`Packing` — delivery
  and follow-up.
"""

from chorusflow.outbox.enqueue import Queued, SendOptions, confirm, enqueue
from chorusflow.outbox.packing import SYNTAXE_FLUX, Packing
from chorusflow.outbox.states import (
    FAILED,
    FINAL,
    NEEDS_THE_USER,
    SETTLED,
    State,
    state_of_status,
)
from chorusflow.outbox.store import (
    FlowRecord,
    InvoiceRecord,
    OutboxError,
    Store,
    Transition,
    TransitionListener,
    database_url,
    default_database_url,
    shown_url,
)
from chorusflow.outbox.worker import (
    Clients,
    StoppedError,
    Worker,
    WorkerOptions,
    one_account,
    run_workers,
)

__all__ = [
    "FAILED",
    "FINAL",
    "NEEDS_THE_USER",
    "SETTLED",
    "SYNTAXE_FLUX",
    "Clients",
    "FlowRecord",
    "InvoiceRecord",
    "OutboxError",
    "Packing",
    "Queued",
    "SendOptions",
    "State",
    "StoppedError",
    "Store",
    "Transition",
    "TransitionListener",
    "Worker",
    "WorkerOptions",
    "confirm",
    "database_url",
    "default_database_url",
    "enqueue",
    "one_account",
    "run_workers",
    "shown_url",
    "state_of_status",
]
