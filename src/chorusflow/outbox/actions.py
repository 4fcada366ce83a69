"""What the supplier does when Chorus Pro hands an invoice back: recycle, complete, re-issue.

* **recycle** an ``A_RECYCLER`` invoice with corrected routing (recyclerFacture: recipient
  SIRET, service code, engagement or contract number); Chorus Pro restarts it at DEPOSEE;
* **complete** a ``SUSPENDUE`` invoice with attachments (ajouterFichierDansSysteme, then
  completerFacture with a comment); it becomes COMPLETEE;
* **re-issue** a ``REJETEE`` invoice under a new number: a new outbox invoice, made from the
  stored file with BT-1 (and optionally the routing) changed, checked and queued like any
  other and linked to the one it replaces; the rejection is acknowledged on Chorus Pro
  (traiterFacturesRejetees).

Each action leases the invoice (so no worker follows it meanwhile), checks its state (an
action on an invoice in the wrong state raises :class:`WrongStateError` and changes nothing),
calls Chorus Pro, then records the move as a transition with its reason; the worker then
follows the invoice again. A refusal by Chorus Pro is its typed exception, carrying the
catalogue's fix, and changes nothing in the outbox.
"""

from __future__ import annotations

import base64
import mimetypes
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy import insert, select

from chorusflow.chorus.exceptions import BusinessError, NoResultError, TransportError
from chorusflow.chorus.wire import factures as fa
from chorusflow.errors import EXIT_INVALID, ChorusflowError, InputError
from chorusflow.formats.document import Document, read_document
from chorusflow.model import Invoice, routing
from chorusflow.model.codes import SIRET_SCHEME
from chorusflow.model.invoice import PartyIdentifier
from chorusflow.outbox.enqueue import (
    Queued,
    SendOptions,
    StoreKnownInvoices,
    _insert,
)
from chorusflow.outbox.packing import file_name
from chorusflow.outbox.prepare import Prepared
from chorusflow.outbox.schema import invoices, reissues
from chorusflow.outbox.states import REFUSED_STATUS, State
from chorusflow.outbox.store import InvoiceRecord, Store
from chorusflow.outbox.worker import Clients, WorkerOptions, new_owner
from chorusflow.rules.produce import FatalFindingsError, write_checked
from chorusflow.rules.validate import Checks, Validator

RECYCLE_STATUS: Final = "A_RECYCLER"
SUSPENDED_STATUS: Final = "SUSPENDUE"
#: Chorus Pro's limits (API.md, docs/sandbox.md).
MAX_ATTACHMENT_BYTES: Final = 10 * 1024 * 1024
MAX_ATTACHMENT_NAME: Final = 50
MAX_COMMENT: Final = 2000
#: Seconds an action waits for a worker to let go of the invoice.
LEASE_WAIT: Final = 15.0
ACTION_LEASE: Final = 120.0


class WrongStateError(ChorusflowError):
    """The invoice is not in the state this action is for (exit 1): nothing was changed."""

    exit_code = EXIT_INVALID


class BusyError(ChorusflowError):
    """A worker holds the invoice for longer than an action waits (exit 1)."""

    exit_code = EXIT_INVALID


@dataclass(frozen=True, slots=True)
class RoutingChange:
    """Corrected routing data; None leaves a value as it is."""

    buyer_siret: str | None = None
    service_code: str | None = None
    engagement_number: str | None = None
    contract_number: str | None = None

    def __bool__(self) -> bool:
        return any(
            v is not None
            for v in (
                self.buyer_siret,
                self.service_code,
                self.engagement_number,
                self.contract_number,
            )
        )

    def described(self) -> str:
        parts = [
            f"{label} {value}"
            for label, value in (
                ("recipient", self.buyer_siret),
                ("service", self.service_code),
                ("engagement", self.engagement_number),
                ("contract", self.contract_number),
            )
            if value is not None
        ]
        return ", ".join(parts) or "routing unchanged"

    def check(self) -> None:
        siret = self.buyer_siret
        if siret is not None and not (len(siret) == 14 and siret.isdigit()):
            raise InputError(f"'{siret}' is not a SIRET.", "Give the buyer's 14-digit SIRET.")
        for label, value in (
            ("engagement number", self.engagement_number),
            ("contract number", self.contract_number),
        ):
            if value is not None and len(value) > 50:
                raise InputError(
                    f"The {label} is longer than 50 characters.", "Chorus Pro takes 50 at most."
                )


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file to add to a suspended invoice."""

    name: str
    data: bytes
    mime: str
    extension: str


@dataclass(frozen=True, slots=True)
class Reissued:
    """The new invoice queued in place of a REJETEE one."""

    replaces: int
    queued: Queued
    acknowledged: bool
    """The rejection was marked as dealt with on Chorus Pro (traiterFacturesRejetees)."""


def read_attachment(path: Path) -> Attachment:
    """A file to attach, checked against Chorus Pro's limits before anything is sent."""
    try:
        size = path.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            raise InputError(
                f"{path.name} is {size} bytes; Chorus Pro takes 10 MB an attachment.",
                "Split or compress it.",
            )
        data = path.read_bytes()
    except OSError as error:
        raise InputError(
            f"Cannot read the attachment {path} ({error.strerror}).", "Check the path."
        ) from None
    extension = path.suffix.lstrip(".").lower()
    if not extension:
        raise InputError(
            f"The attachment {path.name} has no extension.", "Name it e.g. bon-livraison.pdf."
        )
    name = path.name if len(path.name) <= MAX_ATTACHMENT_NAME else path.name[-MAX_ATTACHMENT_NAME:]
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Attachment(name, data, mime, extension)


# --- the lease an action holds ---------------------------------------------------------


@contextmanager
def _held(store: Store, invoice_id: int) -> Iterator[tuple[InvoiceRecord, str]]:
    """Lease the invoice for the action (waiting for a worker to finish its call)."""
    if store.invoice(invoice_id) is None:
        raise InputError(
            f"The outbox has no invoice #{invoice_id}.", "Run chorusflow status to see the ids."
        )
    owner = "act:" + new_owner()
    deadline = time.monotonic() + LEASE_WAIT
    while True:
        with store.transaction() as tx:
            claimed = tx.claim([invoices.c.id == invoice_id], owner, ACTION_LEASE, 1)
        if claimed:
            break
        if time.monotonic() > deadline:
            raise BusyError(
                f"A worker has been busy with invoice #{invoice_id} for {LEASE_WAIT:g} s.",
                "Try again in a minute.",
            )
        time.sleep(0.2)
    try:
        yield claimed[0], owner
    finally:
        with store.transaction() as tx:
            tx.release([invoice_id], owner)


def _expect(record: InvoiceRecord, state: State, status: str | None, action: str) -> None:
    if record.state is state and (status is None or record.lifecycle == status):
        return
    where = record.state.value + (f" ({record.lifecycle})" if record.lifecycle else "")
    wanted = state.value + (f" ({status})" if status else "")
    raise WrongStateError(
        f"Invoice #{record.id} ({record.number}) is {where}: only an invoice {wanted} can be "
        f"{action}; nothing was changed.",
        "Run chorusflow status to see where it stands (the worker updates it).",
    )


def _ambiguous(action: str, record: InvoiceRecord, error: TransportError) -> ChorusflowError:
    return ChorusflowError(
        f"Chorus Pro did not answer the {action} of invoice #{record.id} ({error.message}); "
        "it may or may not have been done.",
        "The worker follows the invoice and will show its new status; if it still needs you, "
        "run the action again.",
        exit_code=EXIT_INVALID,
    )


def _followed_again(
    store: Store, record: InvoiceRecord, owner: str, status: str, reason: str, **values: Any
) -> InvoiceRecord:
    poll = WorkerOptions().lifecycle_poll
    with store.transaction() as tx:
        tx.move(
            record,
            State.INTEGRATED,
            reason,
            owner=owner,
            status=status,
            lifecycle=status,
            next_poll_at=tx.now,
            poll_interval=poll,
            error_code=None,
            error_message=None,
            error_fix=None,
            **values,
        )
    moved = store.invoice(record.id)
    assert moved is not None
    return moved


# --- recycle ---------------------------------------------------------------------------


def recycle(
    store: Store,
    clients: Clients,
    invoice_id: int,
    change: RoutingChange,
    comment: str | None = None,
) -> InvoiceRecord:
    """recyclerFacture on an A_RECYCLER invoice; the outbox follows it again from DEPOSEE."""
    change.check()
    if not change:
        raise InputError(
            "Recycling needs corrected routing.",
            "Give --buyer, --service, --engagement or --contract.",
        )
    with _held(store, invoice_id) as (record, owner):
        _expect(record, State.NEEDS_USER, RECYCLE_STATUS, "recycled")
        assert record.cpp_id is not None
        destinataire = None
        if change.buyer_siret is not None or change.service_code is not None:
            destinataire = fa.SoumettreFactureDestinataire(
                codeDestinataire=change.buyer_siret,
                **(
                    {"codeServiceExecutant": change.service_code}
                    if change.service_code is not None
                    else {}
                ),
            )
        reference = None
        if change.engagement_number is not None or change.contract_number is not None:
            reference = fa.SoumettreFactureReferences(
                numeroBonCommande=change.engagement_number, numeroMarche=change.contract_number
            )
        client = clients(record.supplier)
        try:
            answer = client.recycler_facture(
                fa.RecyclerFactureParam(
                    identifiantFactureCPP=record.cpp_id,
                    destinataire=destinataire,
                    reference=reference,
                    commentaire=comment,
                )
            )
        except TransportError as error:
            raise _ambiguous("recycling", record, error) from None
        status = str(answer.statutFacture or "DEPOSEE")
        why = f"recycled by the supplier ({change.described()})" + (
            f": {comment}" if comment else ""
        )
        values: dict[str, Any] = {}
        if change.buyer_siret is not None:
            values["buyer"] = change.buyer_siret
        return _followed_again(store, record, owner, status, why, **values)


# --- complete --------------------------------------------------------------------------


def complete(
    store: Store,
    clients: Clients,
    invoice_id: int,
    attachments: Sequence[Attachment],
    comment: str | None = None,
) -> InvoiceRecord:
    """Upload the attachments, then completerFacture; the outbox follows it from COMPLETEE."""
    if not attachments and not comment:
        raise InputError(
            "Completing needs attachments or a comment.", "Give --attach FILE and/or --comment."
        )
    if comment is not None and len(comment) > MAX_COMMENT:
        raise InputError(
            f"The comment is {len(comment)} characters long.", "Chorus Pro takes 2000 at most."
        )
    with _held(store, invoice_id) as (record, owner):
        _expect(record, State.NEEDS_USER, SUSPENDED_STATUS, "completed")
        assert record.cpp_id is not None
        client = clients(record.supplier)
        try:
            pieces = []
            for attachment in attachments:
                added = client.ajouter_fichier_dans_systeme(
                    pieceJointeFichier=base64.b64encode(attachment.data).decode("ascii"),
                    pieceJointeNom=attachment.name,
                    pieceJointeTypeMime=attachment.mime,
                    pieceJointeExtension=attachment.extension,
                )
                pieces.append(
                    fa.PieceJointeComplementaire(
                        pieceJointeComplementaireDesignation=attachment.name,
                        pieceJointeComplementaireId=added.pieceJointeId,
                    )
                )
            client.completer_facture(
                fa.CompleterFactureParam(
                    identifiantFactureCPP=record.cpp_id,
                    pieceJointeComplementaire=pieces or None,
                    commentaire=comment,
                )
            )
        except TransportError as error:
            raise _ambiguous("completion", record, error) from None
        names = ", ".join(a.name for a in attachments) or "no attachment"
        why = f"completed by the supplier ({names})" + (f": {comment}" if comment else "")
        return _followed_again(store, record, owner, "COMPLETEE", why)


# --- re-issue --------------------------------------------------------------------------


def _with_routing(invoice: Invoice, change: RoutingChange) -> Invoice:
    """The invoice with the corrected routing written where Chorus Pro reads it."""
    updates: dict[str, Any] = {}
    if change.buyer_siret is not None and invoice.buyer is not None:
        buyer = invoice.buyer
        changed: dict[str, Any] = {}
        current = routing(invoice).buyer_siret
        for name in ("identifier", "legal_registration", "electronic_address"):
            value = getattr(buyer, name)
            if (
                value is not None
                and value.scheme == SIRET_SCHEME
                and value.value.strip() == (current or value.value.strip())
            ):
                changed[name] = value.model_copy(update={"value": change.buyer_siret})
        if not changed:
            changed["identifier"] = PartyIdentifier(value=change.buyer_siret, scheme=SIRET_SCHEME)
        updates["buyer"] = buyer.model_copy(update=changed)
    if change.service_code is not None:
        updates["buyer_reference"] = change.service_code
    if change.engagement_number is not None:
        updates["purchase_order_reference"] = change.engagement_number
    if change.contract_number is not None:
        updates["contract_reference"] = change.contract_number
    return invoice.model_copy(update=updates) if updates else invoice


def reissue(
    store: Store,
    clients: Clients,
    invoice_id: int,
    number: str,
    change: RoutingChange | None = None,
    options: SendOptions | None = None,
) -> Reissued:
    """Queue a new invoice made from a REJETEE one, under ``number``, linked to it; the
    rejection is acknowledged on Chorus Pro (traiterFacturesRejetees) when it can be."""
    number = number.strip()
    change = change or RoutingChange()
    change.check()
    options = options or SendOptions()
    if not number:
        raise InputError("A re-issued invoice needs a new number.", "Give --number.")
    with _held(store, invoice_id) as (record, _owner):
        _expect(record, State.REFUSED, REFUSED_STATUS, "re-issued")
        if number == record.number:
            raise InputError(
                f"{number} is the rejected invoice's own number.",
                "A re-issue takes a new number (BT-1); give another --number.",
            )
        original = read_document(store.content(record.id), record.filename)
        document = _rewritten(original, number, change)
        checks = Checks(
            directory=options.directory, known=StoreKnownInvoices(store), luhn=options.luhn
        )
        report = Validator(checks).validate(document)
        source = f"re-issue of #{record.id} ({record.number})"
        prepared = Prepared.of(source, document, report.findings)
        why = f"re-issued as {number}" + (f" ({change.described()})" if change else "")
        with store.transaction() as tx:
            queued = _insert(tx, prepared, options)
            tx.connection.execute(
                insert(reissues).values(
                    invoice_id=queued.invoice_id, replaces=record.id, at=tx.now, reason=why
                )
            )
            tx.record(
                record, record.state, record.state, f"{why} (#{queued.invoice_id})", REFUSED_STATUS
            )
        acknowledged = queued.state is not State.INVALID and _acknowledge(clients, record)
        if acknowledged:
            with store.transaction() as tx:
                tx.record(
                    record,
                    record.state,
                    record.state,
                    "rejection acknowledged on Chorus Pro (traiterFacturesRejetees)",
                    REFUSED_STATUS,
                )
    return Reissued(record.id, queued, acknowledged)


def _rewritten(original: Document, number: str, change: RoutingChange) -> Document:
    """The stored file under a new number (and routing), in its own syntax and profile.

    A Factur-X is rendered anew: its PDF shows the old number, which must not be sent again.
    """
    invoice = original.invoice.model_copy(update={"number": number})
    invoice = _with_routing(invoice, change)
    syntax = original.syntax
    try:
        produced = write_checked(invoice, syntax, original.profile)
    except FatalFindingsError as refused:
        first = refused.findings[0]
        raise ChorusflowError(
            f"The re-issued invoice {number} would break {first.rule}: {first.message_en}",
            first.fix or "Correct the routing given.",
            exit_code=EXIT_INVALID,
        ) from None
    return read_document(produced.data, file_name(number, syntax))


def _acknowledge(clients: Clients, record: InvoiceRecord) -> bool:
    """traiterFacturesRejetees: the rejection is dealt with (best effort: the new invoice is
    queued whatever Chorus Pro says of the old one)."""
    if record.cpp_id is None:
        return False
    try:
        clients(record.supplier).traiter_factures_rejetees(
            fa.TraiterFacturesRejeteesParam(
                listeDemandePaiement=[
                    fa.TraiterFacturesRejeteesListeDemandePaiement(idDemandePaiement=record.cpp_id)
                ]
            )
        )
    except (BusinessError, NoResultError, TransportError):
        return False
    return True


def replaced_by(store: Store, invoice_id: int) -> list[int]:
    """The invoices queued in place of ``invoice_id`` (newest last)."""
    with store.engine.connect() as connection:
        return list(
            connection.scalars(
                select(reissues.c.invoice_id)
                .where(reissues.c.replaces == invoice_id)
                .order_by(reissues.c.invoice_id)
            )
        )


def replaces(store: Store, invoice_id: int) -> int | None:
    """The invoice ``invoice_id`` was queued in place of, if any."""
    with store.engine.connect() as connection:
        found = connection.scalar(
            select(reissues.c.replaces).where(reissues.c.invoice_id == invoice_id)
        )
    return int(found) if found is not None else None


__all__ = [
    "Attachment",
    "BusyError",
    "Reissued",
    "RoutingChange",
    "WrongStateError",
    "complete",
    "read_attachment",
    "recycle",
    "reissue",
    "replaced_by",
    "replaces",
]
