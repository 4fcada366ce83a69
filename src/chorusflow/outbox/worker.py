"""The worker: delivers queued invoices exactly once and follows them to their end.

One :meth:`Worker.step` does, in turn, whatever is due:

1. **reconcile** — invoices left ``depositing`` by an ambiguous answer or a dead worker: ask
   Chorus Pro (search by the invoice number) and adopt what it holds; only an invoice
   provably absent goes back to ``checked`` to be sent again;
2. **deliver** — claim ``checked`` invoices of one supplier and syntax, pack them into one
   flow, and deposit it between two transactions (``depositing``, then ``deposited``);
3. **follow flows** — consulterCRDetaille until the flow is final; each invoice integrated
   (its identifiantFactureCPP) or rejected (the error and the catalogue's fix);
4. **follow lifecycles** — consulterHistoriqueFacture, polling less and less often, until
   MISE_EN_PAIEMENT or REJETEE.

Every claim is a lease (owner, until) taken in a transaction; every move is fenced by it.
Any number of workers, threads or processes, on any number of machines, share one database.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final, TypeVar

from sqlalchemy import func, select, update

from chorusflow.chorus import catalogue
from chorusflow.chorus.client import ChorusClient
from chorusflow.chorus.exceptions import (
    AuthenticationError,
    BusinessError,
    ChorusError,
    NoResultError,
    RequestError,
    TransportError,
)
from chorusflow.chorus.wire.enums import EtatFlux
from chorusflow.chorus.wire.factures import RetourRechercherFactureParFournisseur
from chorusflow.errors import EXIT_INVALID, ChorusflowError
from chorusflow.outbox.packing import Packing, batch, flow_file
from chorusflow.outbox.schema import flows, invoices
from chorusflow.outbox.states import FOLLOWED, SETTLED, State, state_of_status
from chorusflow.outbox.store import (
    FlowRecord,
    InvoiceRecord,
    LeaseLostError,
    Planned,
    Store,
    Tx,
)

log = logging.getLogger("chorusflow.outbox.worker")

T = TypeVar("T")

#: Flow states after which the report does not change.
FINAL_FLOW: Final = frozenset(
    {EtatFlux.IN_INTEGRE, EtatFlux.IN_INTEGRE_PARTIEL, EtatFlux.IN_REJETE, EtatFlux.IN_INCIDENTE}
)
#: The message key of Chorus Pro's "this number already exists for this supplier".
DUPLICATE_KEY: Final = "GDP_MSG_11.040"
DOCTOR_FIX: Final = "Run chorusflow doctor: it says which credential is refused and what to do."

#: Chorus Pro, seen from the worker: a client for the technical account of a supplier.
Clients = Callable[[str], ChorusClient]


def one_account(client: ChorusClient) -> Clients:
    """Every supplier through one technical account (the configured one)."""
    return lambda _supplier: client


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    """Timings and limits of a worker (docs/outbox.md says how to size them)."""

    packing: Packing = field(default_factory=Packing)
    lease: float = 120.0
    """Seconds a claim is held; longer than the longest HTTP call (timeouts)."""
    settle_delay: float = 60.0
    """Seconds after a deposit before a search that does not find it proves it absent:
    longer than Chorus Pro takes to process a flow."""
    rate: float | None = 20.0
    """Calls a second to Chorus Pro, all workers together (None: no limit)."""
    backoff_base: float = 1.0
    backoff_cap: float = 300.0
    flow_poll: float = 2.0
    """First wait before consulterCRDetaille; it grows ×1.5 up to ``flow_poll_cap``."""
    flow_poll_cap: float = 300.0
    lifecycle_poll: float = 5.0
    """First wait before consulterHistoriqueFacture; it doubles up to the cap while nothing
    changes, and starts again at each change."""
    lifecycle_poll_cap: float = 3600.0
    idle_poll: float = 1.0
    """Seconds to sleep when nothing is due."""
    claim_limit: int = 20
    """Flows or invoices followed per claim."""


class StoppedError(ChorusflowError):
    """The worker stopped because carrying on would only burn retries (credentials)."""

    exit_code = EXIT_INVALID


def backoff(attempts: int, options: WorkerOptions, retry_after: float | None = None) -> float:
    """Exponential backoff with full jitter, never sooner than ``retry_after``."""
    ceiling = min(options.backoff_cap, options.backoff_base * (2 ** min(attempts, 30)))
    delay = random.uniform(0, ceiling)  # noqa: S311 - jitter, not cryptography
    return max(delay, retry_after or 0.0)


def new_owner() -> str:
    return f"{socket.gethostname()[:24]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _error_text(error: ChorusflowError) -> tuple[str, str, str | None]:
    code = type(error).__name__
    if isinstance(error, BusinessError):
        code = str(error.code)
    return code, error.message, error.fix


class Worker:
    """Delivery and follow-up, one step at a time (see the module's docstring)."""

    def __init__(
        self,
        store: Store,
        clients: Clients,
        options: WorkerOptions | None = None,
        *,
        owner: str | None = None,
        stop: threading.Event | None = None,
        only: Sequence[int] | None = None,
    ) -> None:
        self.store = store
        self.clients = clients
        self.options = options or WorkerOptions()
        self.owner = owner or new_owner()
        self.stop = stop or threading.Event()
        self.only = list(only) if only is not None else None
        self.crash_point: Callable[[str], None] = lambda _where: None
        """Test seam: called at named points (``deposited``: after the deposit answered,
        before its commit); a test makes it raise to simulate a crash there."""

    # --- running ----------------------------------------------------------------------

    def run(self, *, until_idle: bool = False, once: bool = False) -> None:
        """Steps until stopped (``stop`` set), until nothing is left to do (``until_idle``),
        or one pass (``once``)."""
        while not self.stop.is_set():
            done = self.step()
            if once:
                return
            if done:
                continue
            if until_idle and self.pending() == 0:
                return
            self.stop.wait(self._idle_wait())

    def _idle_wait(self) -> float:
        wait = self.options.idle_poll
        paused = self.store.paused_until() - self.store.clock()
        return max(0.01, min(wait, paused) if paused > 0 else wait)

    def pending(self) -> int:
        """Invoices a worker still has something to do for."""
        query = (
            select(func.count())
            .select_from(invoices)
            .where(invoices.c.state.not_in([s.value for s in SETTLED]))
        )
        if self.only is not None:
            query = query.where(invoices.c.id.in_(self.only))
        with self.store.engine.connect() as connection:
            return int(connection.scalar(query) or 0)

    def step(self) -> int:
        """Do what is due now; how many invoices or flows were handled.

        While invoices wait to be deposited, lifecycles get a tenth of their usual share
        of a step: following invoices already on Chorus Pro must not hold back new ones.
        """
        done = 0
        delivered = 0
        for part in (self.reconcile, self.deliver, self.follow_flows):
            if self.stop.is_set():
                return done
            handled = part()
            delivered += handled if part == self.deliver else 0
            done += handled
        if not self.stop.is_set():
            share = self.options.claim_limit
            done += self.follow_lifecycles(max(1, share // 10) if delivered else share)
        return done

    def _claim(self, tx: Tx, where: list[Any], limit: int) -> list[InvoiceRecord]:
        """Lease this worker's share of the invoices matching ``where`` (within ``only``)."""
        scope = [invoices.c.id.in_(self.only)] if self.only is not None else []
        return tx.claim([*where, *scope], self.owner, self.options.lease, limit)

    # --- calling Chorus Pro ------------------------------------------------------------

    def _call(self, action: Callable[[], T]) -> T:
        """One call, within the shared rate limit and pauses; a Retry-After pauses everyone."""
        wait = self.store.take_slot(self.options.rate)
        if wait > 0:
            self.stop.wait(wait)
        try:
            return action()
        except TransportError as error:
            if error.retry_after:
                self.store.pause(error.retry_after, f"{type(error).__name__}: {error.message}")
            raise
        except AuthenticationError as error:
            raise StoppedError(
                f"Chorus Pro refused the credentials: {error.message}", DOCTOR_FIX
            ) from None

    def _search_number(
        self, client: ChorusClient, number: str
    ) -> RetourRechercherFactureParFournisseur | None:
        """The invoice ``number`` the supplier holds on Chorus Pro (not REJETEE), if any."""
        try:
            found = self._call(
                lambda: list(client.rechercher_facture_par_fournisseur.all(numeroFacture=number))
            )
        except NoResultError:
            return None
        live = [f for f in found if f.numeroFacture == number and str(f.statut) != "REJETEE"]
        return live[-1] if live else None

    # --- 1. reconcile ------------------------------------------------------------------

    def reconcile(self) -> int:
        o = self.options
        with self.store.transaction() as tx:
            claimed = self._claim(
                tx,
                [
                    invoices.c.state == State.DEPOSITING.value,
                    invoices.c.next_attempt_at <= tx.now,
                ],
                o.claim_limit,
            )
        for record in claimed:
            if self.stop.is_set():
                self._release([record])
                continue
            client = self.clients(record.supplier)
            try:
                found = self._search_number(client, record.number)
            except (TransportError, ChorusError) as error:
                if isinstance(error, StoppedError):
                    self._release([record])
                    raise
                self._retry_later(record, error, stay=True)
                continue
            try:
                with self.store.transaction() as tx:
                    if found is not None:
                        self._adopt(
                            tx,
                            record,
                            found,
                            "found on Chorus Pro after an uncertain "
                            "deposit: adopted, not sent again",
                        )
                    else:
                        tx.move(
                            record,
                            State.CHECKED,
                            "not on Chorus Pro after the settle delay: provably absent, to be "
                            "sent again",
                            owner=self.owner,
                            lease_owner=None,
                            lease_until=None,
                            flow_ref=None,
                            next_attempt_at=tx.now,
                        )
            except LeaseLostError:
                log.warning("invoice %d was taken over while reconciling", record.id)
        return len(claimed)

    def _adopt(
        self,
        tx: Tx,
        record: InvoiceRecord,
        found: RetourRechercherFactureParFournisseur,
        reason: str,
        *,
        owner: str | None = None,
    ) -> None:
        tx.move_all(
            [self._adoption(tx, record, found, reason)],
            owner=owner if owner is not None else self.owner if record.lease_owner else None,
        )

    def _adoption(
        self,
        tx: Tx,
        record: InvoiceRecord,
        found: RetourRechercherFactureParFournisseur,
        reason: str,
    ) -> Planned:
        """The move of an invoice found on Chorus Pro to the state its status says. Its
        status is known from the search: the lifecycle is next asked after the first poll
        interval, not at once."""
        status = str(found.statut or "DEPOSEE")
        return Planned(
            record,
            state_of_status(status),
            f"{reason} (identifiantFactureCPP {found.identifiantFactureCPP}, status {status})",
            status,
            {
                "cpp_id": found.identifiantFactureCPP,
                "flow_number": found.numeroFluxDepot or record.flow_number,
                "lifecycle": status,
                "lease_owner": None,
                "lease_until": None,
                "next_poll_at": tx.now + self.options.lifecycle_poll,
                "poll_interval": self.options.lifecycle_poll,
                "error_code": None,
                "error_message": None,
                "error_fix": None,
            },
        )

    def _release(self, records: list[InvoiceRecord]) -> None:
        with self.store.transaction() as tx:
            tx.release([r.id for r in records], self.owner)

    def _retry_later(self, record: InvoiceRecord, error: ChorusflowError, *, stay: bool) -> None:
        retry_after = getattr(error, "retry_after", None)
        code, message, fix = _error_text(error)
        with self.store.transaction() as tx:
            tx.release(
                [record.id],
                self.owner,
                next_attempt_at=tx.now + backoff(record.attempts, self.options, retry_after),
                error_code=code,
                error_message=message,
                error_fix=fix,
            )

    # --- 2. deliver --------------------------------------------------------------------

    def deliver(self) -> int:
        o = self.options
        with self.store.transaction() as tx:
            candidates = self._claim(
                tx,
                [invoices.c.state == State.CHECKED.value, invoices.c.next_attempt_at <= tx.now],
                o.packing.max_invoices,
            )
            if not candidates:
                return 0
            first = candidates[0]
            group = [
                c
                for c in candidates
                if (c.supplier, c.syntaxe_flux) == (first.supplier, first.syntaxe_flux)
            ]
            group = group[: batch([c.size for c in group], o.packing)]
            tx.release([c.id for c in candidates if c not in group], self.owner)
            flow_key = tx.connection.execute(
                flows.insert().values(
                    supplier=first.supplier,
                    syntaxe_flux=first.syntaxe_flux,
                    filename="",
                    invoices=len(group),
                    bytes=sum(c.size for c in group),
                    state="depositing",
                    polls=0,
                    created_at=tx.now,
                    updated_at=tx.now,
                )
            ).inserted_primary_key
            flow_id = int(flow_key[0]) if flow_key else 0
            # (a) depositing, the attempt recorded; if we die now, the lease expires and a
            # reconciliation asks Chorus Pro after the settle delay.
            tx.move_all(
                [
                    Planned(
                        record,
                        State.DEPOSITING,
                        f"depositing (attempt {record.attempts + 1}, flow of {len(group)})",
                        values={
                            "attempts": record.attempts + 1,
                            "flow_ref": flow_id,
                            "deposit_started_at": tx.now,
                            "next_attempt_at": tx.now + o.lease + o.settle_delay,
                        },
                    )
                    for record in group
                ],
                owner=self.owner,
            )
        group = [_moved(r, State.DEPOSITING) for r in group]
        contents = self.store.contents([r.id for r in group])
        members = [(r.filename, contents[r.id]) for r in group]
        filename, data = flow_file(members, group[0].id)
        client = self.clients(first.supplier)
        try:
            answer = self._call(
                lambda: client.deposit_flow(data, filename, first.syntaxe_flux)
            )  # (b)
        except StoppedError:
            self._after_refusal(group, flow_id, None, back=True)
            raise
        except TransportError as error:
            if error.may_have_arrived:
                self._uncertain(group, flow_id, error)
            else:
                self._after_refusal(group, flow_id, error, back=True)
            return len(group)
        except (BusinessError, RequestError) as error:
            self._after_refusal(group, flow_id, error, back=False)
            return len(group)
        except ChorusError as error:  # an answer we cannot read: it may have landed
            self._uncertain(group, flow_id, error)
            return len(group)
        self.crash_point("deposited")
        numero = answer.numeroFluxDepot
        if not numero:
            self._uncertain(group, flow_id, None)
            return len(group)
        with self.store.transaction() as tx:  # (c)
            tx.connection.execute(
                update(flows)
                .where(flows.c.id == flow_id)
                .values(
                    numero=numero,
                    filename=filename,
                    state="deposited",
                    deposited_at=tx.now,
                    next_poll_at=tx.now + o.flow_poll,
                    poll_interval=o.flow_poll,
                    updated_at=tx.now,
                )
            )
            deposited = [
                Planned(
                    record,
                    State.DEPOSITED,
                    f"deposited in flow {numero}",
                    values={
                        "flow_number": numero,
                        "lease_owner": None,
                        "lease_until": None,
                        "error_code": None,
                        "error_message": None,
                        "error_fix": None,
                    },
                )
                for record in group
            ]
            try:
                with tx.connection.begin_nested():
                    tx.move_all(deposited, owner=self.owner)
            except LeaseLostError:  # one was taken over: record the others one by one
                for plan in deposited:
                    try:
                        with tx.connection.begin_nested():
                            tx.move_all([plan], owner=self.owner)
                    except LeaseLostError:
                        log.warning("invoice %d was taken over during its deposit", plan.invoice.id)
        return len(group)

    def _uncertain(
        self, group: list[InvoiceRecord], flow_id: int, error: ChorusflowError | None
    ) -> None:
        """The deposit may have landed: keep ``depositing``; reconcile after the settle delay."""
        code, message, fix = (
            _error_text(error) if error else ("NoFlowNumber", "no numeroFluxDepot came back", None)
        )
        with self.store.transaction() as tx:
            tx.connection.execute(
                update(flows)
                .where(flows.c.id == flow_id)
                .values(state="uncertain", updated_at=tx.now)
            )
            tx.release(
                [r.id for r in group],
                self.owner,
                next_attempt_at=tx.now + self.options.settle_delay,
                error_code=code,
                error_message=f"the deposit may have landed ({message}); Chorus Pro will be "
                "asked before any new attempt",
                error_fix=fix,
            )

    def _after_refusal(
        self, group: list[InvoiceRecord], flow_id: int, error: ChorusflowError | None, *, back: bool
    ) -> None:
        """Not deposited: back to ``checked`` with a backoff (``back``), or rejected."""
        with self.store.transaction() as tx:
            tx.connection.execute(
                update(flows)
                .where(flows.c.id == flow_id)
                .values(state="not_sent" if back else "refused", updated_at=tx.now)
            )
            for record in group:
                if back:
                    retry_after = getattr(error, "retry_after", None)
                    wait = backoff(record.attempts, self.options, retry_after) if error else 0.0
                    code, message, fix = _error_text(error) if error else (None, None, None)
                    tx.move(
                        record,
                        State.CHECKED,
                        f"not sent ({message or 'worker stopped'}); next attempt in {wait:.1f} s",
                        owner=self.owner,
                        lease_owner=None,
                        lease_until=None,
                        flow_ref=None,
                        next_attempt_at=tx.now + wait,
                        error_code=code,
                        error_message=message,
                        error_fix=fix,
                    )
                else:
                    assert error is not None
                    code, message, fix = _error_text(error)
                    tx.move(
                        record,
                        State.REJECTED,
                        f"refused at deposit: {message}",
                        owner=self.owner,
                        lease_owner=None,
                        lease_until=None,
                        error_code=code,
                        error_message=message,
                        error_fix=fix,
                    )

    # --- 3. follow flows ---------------------------------------------------------------

    def follow_flows(self) -> int:
        o = self.options
        with self.store.transaction() as tx:
            claimed = tx.claim_flows(self.owner, o.lease, o.claim_limit)
        for flow in claimed:
            if self.stop.is_set():
                self._release_flow(flow, 0.0)
                continue
            client = self.clients(flow.supplier)
            numero = flow.numero or ""
            try:
                report = self._call(lambda: client.flow_report(numero))  # noqa: B023
                etat = str(report.etatCourantDepotFlux or "")
                integrated: dict[str, RetourRechercherFactureParFournisseur] = {}
                if etat in FINAL_FLOW and etat != EtatFlux.IN_REJETE:
                    for found in self._call(lambda: client.invoices_of_flow(numero)):  # noqa: B023
                        if found.numeroFacture:
                            integrated[found.numeroFacture] = found
            except StoppedError:
                self._release_flow(flow, 0.0)
                raise
            except ChorusError as error:
                log.info("flow %s: report not read (%s)", numero, error.message)
                self._release_flow(
                    flow, backoff(flow.polls, o, getattr(error, "retry_after", None))
                )
                continue
            if etat not in FINAL_FLOW:
                interval = min(o.flow_poll_cap, (flow.poll_interval or o.flow_poll) * 1.5)
                self._release_flow(flow, interval, etat=etat)
                continue
            self._settle_flow(flow, etat, report, integrated, client)
        return len(claimed)

    def _release_flow(self, flow: FlowRecord, wait: float, *, etat: str | None = None) -> None:
        with self.store.transaction() as tx:
            values: dict[str, object] = {
                "lease_owner": None,
                "lease_until": None,
                "next_poll_at": tx.now + wait,
                "poll_interval": max(wait, self.options.flow_poll),
                "polls": flow.polls + 1,
                "updated_at": tx.now,
            }
            if etat:
                values["etat"] = etat
            tx.connection.execute(
                update(flows)
                .where(flows.c.id == flow.id, flows.c.lease_owner == self.owner)
                .values(**values)
            )

    def _settle_flow(
        self,
        flow: FlowRecord,
        etat: str,
        report: object,
        integrated: dict[str, RetourRechercherFactureParFournisseur],
        client: ChorusClient,
    ) -> None:
        from chorusflow.chorus.wire.transverses import WsRetourConsulterCRDetaille

        assert isinstance(report, WsRetourConsulterCRDetaille)
        rejected = {
            e.numeroDP: e.libelleErreurDP or "" for e in report.listeErreurDP or [] if e.numeroDP
        }
        technical = list(report.listeErreurTechnique or [])
        members = self.store.invoices(states=frozenset({State.DEPOSITED}), flow_ref=flow.id)
        # a duplicate refusal means Chorus Pro already holds this number: look it up first
        adopted: dict[int, RetourRechercherFactureParFournisseur | None] = {}
        for record in members:
            libelle = rejected.get(record.number)
            duplicate = libelle is not None and DUPLICATE_KEY in libelle
            unlisted = libelle is None and not technical
            if record.number not in integrated and (duplicate or unlisted):
                adopted[record.id] = self._search_number(client, record.number)
        with self.store.transaction() as tx:
            tx.connection.execute(
                update(flows)
                .where(flows.c.id == flow.id)
                .values(
                    state="final",
                    etat=etat,
                    lease_owner=None,
                    lease_until=None,
                    polls=flow.polls + 1,
                    updated_at=tx.now,
                )
            )
            planned: list[Planned] = []
            for record in members:
                found = integrated.get(record.number) or adopted.get(record.id)
                libelle = rejected.get(record.number)
                if found is not None:
                    why = (
                        f"integrated from flow {flow.numero}"
                        if record.number in integrated
                        else f"Chorus Pro already held this number (flow {flow.numero} refused "
                        "it as a duplicate): adopted"
                    )
                    planned.append(self._adoption(tx, record, found, why))
                    continue
                if libelle:
                    entry = catalogue.rejection_entry(libelle)
                    code, message, fix = "listeErreurDP", libelle, entry.fix
                elif technical:
                    first = technical[0]
                    entry = catalogue.technical_entry(first.codeErreur)
                    code = first.codeErreur or "listeErreurTechnique"
                    message = "; ".join(e.libelleErreur or e.codeErreur or "" for e in technical)
                    fix = entry.fix
                else:
                    code, message = etat, f"flow {flow.numero} ended {etat} without this invoice"
                    fix = "Check the flow report (chorusflow status) and send the invoice again."
                planned.append(
                    Planned(
                        record,
                        State.REJECTED,
                        f"rejected in flow {flow.numero}: {message}",
                        values={"error_code": code, "error_message": message, "error_fix": fix},
                    )
                )
            tx.move_all(planned)

    # --- 4. follow lifecycles ----------------------------------------------------------

    def follow_lifecycles(self, limit: int | None = None) -> int:
        o = self.options
        with self.store.transaction() as tx:
            claimed = self._claim(
                tx,
                [
                    invoices.c.state.in_([s.value for s in FOLLOWED]),
                    invoices.c.next_poll_at <= tx.now,
                ],
                o.claim_limit if limit is None else limit,
            )
        for record in claimed:
            if self.stop.is_set() or record.cpp_id is None:
                self._release([record])
                continue
            client = self.clients(record.supplier)
            cpp_id = record.cpp_id
            try:
                history = self._call(lambda: client.invoice_history(cpp_id))  # noqa: B023
            except StoppedError:
                self._release([record])
                raise
            except ChorusError as error:
                self._poll_later(record, backoff(1, o, getattr(error, "retry_after", None)))
                continue
            status = str(history.statutCourantCode or record.lifecycle or "")
            if status == record.lifecycle:
                interval = min(o.lifecycle_poll_cap, (record.poll_interval or o.lifecycle_poll) * 2)
                self._poll_later(record, interval)
                continue
            comment = ""
            statuses = (
                history.historiquesDesStatuts.histoStatut
                if (history.historiquesDesStatuts and history.historiquesDesStatuts.histoStatut)
                else []
            )
            for entry in statuses:
                if str(entry.histoStatutCode) == status and entry.histoStatutCommentaire:
                    comment = f": {entry.histoStatutCommentaire}"
                    break
            try:
                with self.store.transaction() as tx:
                    tx.move(
                        record,
                        state_of_status(status),
                        f"Chorus Pro status {status}{comment}",
                        owner=self.owner,
                        status=status,
                        lifecycle=status,
                        lease_owner=None,
                        lease_until=None,
                        next_poll_at=tx.now + o.lifecycle_poll,
                        poll_interval=o.lifecycle_poll,
                    )
            except LeaseLostError:
                log.warning("invoice %d was taken over while followed", record.id)
        return len(claimed)

    def _poll_later(self, record: InvoiceRecord, wait: float) -> None:
        with self.store.transaction() as tx:
            tx.release([record.id], self.owner, next_poll_at=tx.now + wait, poll_interval=wait)


def _moved(record: InvoiceRecord, state: State) -> InvoiceRecord:
    return replace(record, state=state, attempts=record.attempts + 1)


def run_workers(
    store: Store,
    clients: Clients,
    options: WorkerOptions,
    *,
    concurrency: int = 1,
    until_idle: bool = False,
    once: bool = False,
    stop: threading.Event | None = None,
    only: Sequence[int] | None = None,
) -> None:
    """``concurrency`` workers in threads of this process, until they end; the first error
    of any of them (e.g. refused credentials) stops all and is raised."""
    stop = stop or threading.Event()
    errors: list[BaseException] = []

    def body(worker: Worker) -> None:
        try:
            worker.run(until_idle=until_idle, once=once)
        except BaseException as error:
            errors.append(error)
            stop.set()

    workers = [Worker(store, clients, options, stop=stop, only=only) for _ in range(concurrency)]
    if concurrency == 1:
        body(workers[0])
    else:
        threads = [threading.Thread(target=body, args=(w,), daemon=True) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(0.2)
    if errors:
        raise errors[0]


__all__ = [
    "Clients",
    "StoppedError",
    "Worker",
    "WorkerOptions",
    "backoff",
    "one_account",
    "run_workers",
]
