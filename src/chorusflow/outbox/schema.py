"""The outbox's tables, and the versioned migrations that build them.

A database records the version it is at in ``schema_version``; :func:`migrate` applies, in
one transaction each, the migrations it lacks. A database written by a newer chorusflow is
refused rather than misread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    select,
    text,
)

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", Float, nullable=False),
    Column("description", Text, nullable=False),
)

invoices = Table(
    "invoices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("supplier", String(32), nullable=False),
    Column("buyer", String(32)),
    Column("number", String(64), nullable=False),
    Column("active_key", String(128), unique=True),
    # supplier + number while the invoice holds its number on the platform (NULL once invalid
    # or rejected): two live invoices with one number cannot be queued.
    Column("source", Text, nullable=False),
    Column("syntax", String(16), nullable=False),
    Column("syntaxe_flux", String(48), nullable=False),
    Column("filename", String(128), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", Float, nullable=False, default=0.0),
    Column("deposit_started_at", Float),
    Column("lease_owner", String(64)),
    Column("lease_until", Float),
    Column("flow_ref", Integer, ForeignKey("flows.id")),
    Column("flow_number", String(32)),
    Column("cpp_id", BigInteger),
    Column("lifecycle", String(48)),
    Column("next_poll_at", Float),
    Column("poll_interval", Float),
    Column("error_code", String(64)),
    Column("error_message", Text),
    Column("error_fix", Text),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("invoices_state_due", "state", "next_attempt_at"),
    Index("invoices_flow", "flow_ref"),
)

flows = Table(
    "flows",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("numero", String(32), unique=True),
    Column("supplier", String(32), nullable=False),
    Column("syntaxe_flux", String(48), nullable=False),
    Column("filename", String(128), nullable=False),
    Column("invoices", Integer, nullable=False),
    Column("bytes", Integer, nullable=False),
    Column("state", String(16), nullable=False),
    Column("etat", String(64)),
    Column("deposited_at", Float),
    Column("next_poll_at", Float),
    Column("poll_interval", Float),
    Column("polls", Integer, nullable=False, default=0),
    Column("lease_owner", String(64)),
    Column("lease_until", Float),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("flows_state_due", "state", "next_poll_at"),
)

transitions = Table(
    "transitions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("invoice_id", Integer, ForeignKey("invoices.id"), nullable=False, index=True),
    Column("from_state", String(16)),
    Column("to_state", String(16), nullable=False),
    Column("status", String(48)),
    Column("at", Float, nullable=False),
    Column("reason", Text, nullable=False),
)

throttle = Table(
    "throttle",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("next_slot", Float, nullable=False, default=0.0),
    Column("paused_until", Float, nullable=False, default=0.0),
    Column("reason", Text),
)

hook_deliveries = Table(
    "hook_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("invoice_id", Integer, ForeignKey("invoices.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # command | webhook
    Column("target", Text, nullable=False),  # the command line or the URL
    Column("payload", Text, nullable=False),  # the JSON sent (a snapshot at the transition)
    Column("state", String(16), nullable=False),  # pending | delivered | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", Float, nullable=False),
    Column("last_error", Text),
    Column("lease_owner", String(64)),
    Column("lease_until", Float),
    Column("created_at", Float, nullable=False),
    Column("delivered_at", Float),
    Index("hook_deliveries_due", "state", "next_attempt_at"),
)

reissues = Table(
    "reissues",
    metadata,
    Column("invoice_id", Integer, ForeignKey("invoices.id"), primary_key=True),
    Column("replaces", Integer, ForeignKey("invoices.id"), nullable=False, index=True),
    Column("at", Float, nullable=False),
    Column("reason", Text, nullable=False),
)


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the schema, applied once, in order."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def _v1(connection: Connection) -> None:
    metadata.create_all(connection, tables=[invoices, flows, transitions, throttle])


def _v2(connection: Connection) -> None:
    metadata.create_all(connection, tables=[hook_deliveries, reissues])


MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(1, "invoices, flows, transitions and the shared throttle", _v1),
    Migration(2, "hook deliveries, and re-issued invoices linked to those they replace", _v2),
)
LATEST: Final = MIGRATIONS[-1].version


def current_version(connection: Connection) -> int:
    """The version a database is at (0: empty)."""
    schema_version.create(connection, checkfirst=True)
    found = connection.scalar(select(schema_version.c.version).order_by(text("version DESC")))
    return int(found or 0)
