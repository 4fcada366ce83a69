"""Putting invoices into the outbox: read, convert, check, and queue only what may leave.

A JSON invoice is written in the chosen syntax (Factur-X unless told otherwise); a file
already in a syntax Chorus Pro takes (Factur-X, UBL, CII) goes as it is. Either way the file
that will be deposited is checked by every layer (XSD, EN 16931, Factur-X, identifiers,
Chorus Pro's deposit rules, numbers already in the outbox). An invoice with a fatal finding
is recorded ``invalid`` and never leaves the machine. A file that cannot be read stops the
whole call before anything is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from chorusflow.chorus.environments import Environment
from chorusflow.chorus.rehearsal import Rehearsal, rehearse
from chorusflow.formats.document import Document, read_document, read_path
from chorusflow.formats.profiles import Profile, Syntax
from chorusflow.model import routing
from chorusflow.outbox.packing import SYNTAXE_FLUX, file_name
from chorusflow.outbox.schema import invoices
from chorusflow.outbox.states import State
from chorusflow.outbox.store import (
    INVOICE_COLUMNS,
    OutboxError,
    Store,
    Tx,
    active_key,
    invoice_record,
)
from chorusflow.rules.directory import Directory
from chorusflow.rules.duplicates import KnownInvoice, seller_key
from chorusflow.rules.findings import Finding, Severity
from chorusflow.rules.produce import FatalFindingsError, write_checked
from chorusflow.rules.validate import Checks, Validator


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


@dataclass(frozen=True, slots=True)
class Prepared:
    """A file ready to be queued: what will be deposited and what the checks said."""

    source: str
    document: Document
    """The file that will be deposited (for a JSON input, the one written from it)."""
    findings: tuple[Finding, ...]

    @property
    def valid(self) -> bool:
        return not any(f.fatal for f in self.findings)


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

    def __init__(self, store: Store) -> None:
        self.store = store

    def find(self, seller: str, number: str) -> KnownInvoice | None:
        found = self.store.find_live(seller, number)
        if found is None:
            return None
        return KnownInvoice(seller, number, f"the outbox (#{found.id}, {found.state.value})")


def _target(document: Document, options: SendOptions) -> Syntax:
    return options.syntax if document.syntax is Syntax.JSON else document.syntax


def prepare(path: Path, validator: Validator, options: SendOptions) -> Prepared:
    """Read ``path``, write it in the syntax to send when needed, and check the file.

    Raises :class:`ChorusflowError` (exit 2) when the file cannot be read.
    """
    document = read_path(path)
    invoice = document.invoice
    if options.rehearsal and options.environment is not None:
        invoice = rehearse(invoice, options.rehearsal, options.environment)
    target = _target(document, options)
    if document.syntax is Syntax.JSON or invoice != document.invoice:
        pdf = document.data if document.syntax is Syntax.FACTURX else None
        level = document.profile or options.profile
        try:
            produced = write_checked(invoice, target, level, pdf=pdf)
        except FatalFindingsError as refused:
            return Prepared(str(path), document, refused.findings)
        document = read_document(produced.data, file_name(invoice.number or "", target))
    report = validator.validate(document)
    return Prepared(str(path), document, report.findings)


def _summary(findings: Sequence[Finding]) -> tuple[str | None, str | None, str | None]:
    fatal = [f for f in findings if f.fatal]
    if not fatal:
        return None, None, None
    first = fatal[0]
    more = f" (and {len(fatal) - 1} more)" if len(fatal) > 1 else ""
    return first.rule, f"{first.rule}: {first.message_en}{more}", first.fix


def enqueue(store: Store, paths: Sequence[Path], options: SendOptions) -> list[Queued]:
    """Check every file, then queue them all in one transaction.

    A file that cannot be read raises before anything is written (all or nothing).
    """
    checks = Checks(directory=options.directory, known=StoreKnownInvoices(store), luhn=options.luhn)
    validator = Validator(checks)
    prepared = [prepare(path, validator, options) for path in paths]
    queued: list[Queued] = []
    try:
        with store.transaction() as tx:
            for item in prepared:
                queued.append(_insert(tx, item, options))
    except IntegrityError:
        raise OutboxError(
            "Another chorusflow queued one of these invoice numbers at the same moment; "
            "nothing was queued.",
            "Run chorusflow status to see it, then send again what is missing.",
        ) from None
    return queued


def _insert(tx: Tx, item: Prepared, options: SendOptions) -> Queued:
    invoice = item.document.invoice
    supplier = routing(invoice).seller_siret or seller_key(invoice) or "unknown"
    number = (invoice.number or "").strip()
    data = item.document.data
    syntax = item.document.syntax
    valid = item.valid and syntax in SYNTAXE_FLUX
    code, message, fix = _summary(item.findings)
    values = {
        "supplier": supplier,
        "buyer": routing(invoice).buyer_siret,
        "number": number or "(none)",
        "active_key": active_key(supplier, number) if valid else None,
        "source": item.source,
        "syntax": syntax.value,
        "syntaxe_flux": SYNTAXE_FLUX[syntax].value if syntax in SYNTAXE_FLUX else "",
        "filename": file_name(number, syntax) if syntax in SYNTAXE_FLUX else "",
        "content": data,
        "size": len(data),
        "content_sha256": hashlib.sha256(data).hexdigest(),
        "state": State.QUEUED.value,
        "attempts": 0,
        "next_attempt_at": tx.now,
        "error_code": code,
        "error_message": message,
        "error_fix": fix,
        "created_at": tx.now,
        "updated_at": tx.now,
    }
    key = tx.connection.execute(insert(invoices).values(**values)).inserted_primary_key
    new_id = int(key[0]) if key else 0
    row = tx.connection.execute(select(*INVOICE_COLUMNS).where(invoices.c.id == new_id)).one()
    record = invoice_record(row)
    tx.record(record, None, State.QUEUED, f"received from {item.source}")
    if not valid:
        target, reason = State.INVALID, f"refused by the checks: {message}"
    elif options.hold:
        target, reason = State.HELD, "checked; held until confirmed (send --confirm)"
    else:
        warnings = sum(1 for f in item.findings if not f.fatal)
        target, reason = State.CHECKED, f"checked ({warnings} warning(s)); ready to deposit"
    tx.move(record, target, reason)
    return Queued(item.source, record.id, record.number, target, item.findings)


def confirm(store: Store, ids: Sequence[int] | None = None) -> list[int]:
    """Release held invoices (all of them, or those of ``ids``) to the workers."""
    held = store.invoices(states=frozenset({State.HELD}), ids=list(ids) if ids else None)
    with store.transaction() as tx:
        for record in held:
            tx.move(record, State.CHECKED, "confirmed by the user", next_attempt_at=tx.now)
    return [r.id for r in held]


__all__ = [
    "Prepared",
    "Queued",
    "SendOptions",
    "StoreKnownInvoices",
    "confirm",
    "enqueue",
    "prepare",
]
