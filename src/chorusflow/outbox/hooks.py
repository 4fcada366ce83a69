"""Status-change hooks that are not lost when a worker dies.

Each transition that a hook wants is written as one ``hook_deliveries`` row per hook, in the
same transaction as the transition itself (:func:`install` registers the recorder with
:meth:`Store.record_with`): a committed move always has its deliveries, a rolled-back one
never does. Workers then deliver them at least once (:class:`HookDeliverer`): each due row is
leased, sent (a command with the JSON on stdin, or a POST of the JSON), and marked delivered;
a failure is retried with backoff until ``max_attempts``, then marked failed. A worker killed
during a delivery leaves a lease that expires, and another worker (or the same, restarted)
sends it again — so a receiver may see a delivery twice and should key on its id
(``delivery_id`` in the JSON, ``X-Chorusflow-Delivery`` header).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import shlex
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import httpx
from sqlalchemy import func, insert, or_, select, update

from chorusflow import __version__
from chorusflow.outbox.hook_config import COMMAND, WEBHOOK, HookSettings, shown_target
from chorusflow.outbox.schema import hook_deliveries, invoices
from chorusflow.outbox.store import Store, Transition, Tx
from chorusflow.outbox.worker import WorkerOptions, backoff, new_owner

log = logging.getLogger("chorusflow.outbox.hooks")

PENDING: Final = "pending"
DELIVERED: Final = "delivered"
FAILED: Final = "failed"
SIGNATURE_HEADER: Final = "X-Chorusflow-Signature"
DELIVERY_HEADER: Final = "X-Chorusflow-Delivery"
#: Variables of the parent's environment a hook command never sees (secrets, database URL).
HIDDEN_PREFIX: Final = "CHORUSFLOW_"


class HookFailedError(Exception):
    """One attempt of one delivery failed (the reason is shown as its last error)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Delivery:
    """One hook's announcement of one transition, as stored."""

    id: int
    invoice_id: int
    kind: str
    target: str
    payload: str
    state: str
    attempts: int
    next_attempt_at: float
    last_error: str | None
    created_at: float
    delivered_at: float | None

    @property
    def shown_target(self) -> str:
        return shown_target(self.kind, self.target)


_COLUMNS: Final = tuple(
    hook_deliveries.c[name]
    for name in (
        "id",
        "invoice_id",
        "kind",
        "target",
        "payload",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "delivered_at",
    )
)


def _delivery(row: Any) -> Delivery:
    return Delivery(**dict(row._mapping))


def wanted(settings: HookSettings, transition: Transition) -> bool:
    """Does this transition trigger the hooks (``on``: states or Chorus Pro statuses)?"""
    if settings.on is None:
        return True
    return transition.target.value in settings.on or (transition.status or "") in settings.on


def payload(tx: Tx, transition: Transition) -> dict[str, Any]:
    """What a hook is told of a transition: the invoice as it stands once moved."""
    row = tx.connection.execute(
        select(
            invoices.c.buyer, invoices.c.flow_number, invoices.c.cpp_id, invoices.c.lifecycle
        ).where(invoices.c.id == transition.invoice_id)
    ).first()
    buyer, flow, cpp_id, lifecycle = row if row is not None else (None, None, None, None)
    return {
        "event": "transition",
        "invoice_id": transition.invoice_id,
        "number": transition.number,
        "supplier": transition.supplier,
        "buyer": buyer,
        "from": transition.source.value if transition.source else None,
        "to": transition.target.value,
        "status": transition.status or lifecycle,
        "flow": flow,
        "cpp_id": cpp_id,
        "at": datetime.fromtimestamp(transition.at, UTC).isoformat(timespec="milliseconds"),
        "reason": transition.reason,
    }


def recorder(settings: HookSettings) -> Callable[[Tx, Transition], None]:
    """The recorder that writes one delivery per hook for each wanted transition."""

    def record(tx: Tx, transition: Transition) -> None:
        if not settings.hooks or not wanted(settings, transition):
            return
        body = json.dumps(payload(tx, transition), ensure_ascii=False, sort_keys=True)
        tx.connection.execute(
            insert(hook_deliveries),
            [
                {
                    "invoice_id": transition.invoice_id,
                    "kind": hook.kind,
                    "target": hook.target,
                    "payload": body,
                    "state": PENDING,
                    "attempts": 0,
                    "next_attempt_at": tx.now,
                    "created_at": tx.now,
                }
                for hook in settings.hooks
            ],
        )

    return record


def install(store: Store, settings: HookSettings) -> Callable[[], None]:
    """Record deliveries of ``settings.hooks`` with every transition of ``store``."""
    if not settings.hooks:
        return lambda: None
    return store.record_with(recorder(settings))


# --- reading ---------------------------------------------------------------------------


def deliveries(
    store: Store, *, invoice_id: int | None = None, state: str | None = None
) -> list[Delivery]:
    """Deliveries, oldest first (attempts and last error included)."""
    query = select(*_COLUMNS).order_by(hook_deliveries.c.id)
    if invoice_id is not None:
        query = query.where(hook_deliveries.c.invoice_id == invoice_id)
    if state is not None:
        query = query.where(hook_deliveries.c.state == state)
    with store.engine.connect() as connection:
        return [_delivery(row) for row in connection.execute(query)]


# --- sending ---------------------------------------------------------------------------


def command_environment(delivery: Delivery, data: Mapping[str, Any]) -> dict[str, str]:
    """The parent's environment without any CHORUSFLOW_* variable (credentials, database
    URL), plus the few that describe the transition."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(HIDDEN_PREFIX)}
    described = {
        "DELIVERY_ID": delivery.id,
        "INVOICE_ID": data.get("invoice_id"),
        "INVOICE_NUMBER": data.get("number"),
        "SUPPLIER": data.get("supplier"),
        "BUYER": data.get("buyer"),
        "FROM": data.get("from"),
        "TO": data.get("to"),
        "STATUS": data.get("status"),
        "CPP_ID": data.get("cpp_id"),
        "FLOW": data.get("flow"),
    }
    env.update({HIDDEN_PREFIX + k: str(v) for k, v in described.items() if v is not None})
    return env


def run_command(delivery: Delivery, settings: HookSettings) -> None:
    """Run the command, the JSON on its stdin; exit status 0 is a delivery."""
    try:
        argv = shlex.split(delivery.target)
    except ValueError as error:
        raise HookFailedError(f"the hook command cannot be split into words ({error})") from None
    data = json.loads(delivery.payload)
    try:
        done = subprocess.run(  # noqa: S603 - the user's own configured command, no shell
            argv,
            input=delivery.payload.encode(),
            env=command_environment(delivery, data),
            capture_output=True,
            timeout=settings.timeout,
            check=False,
        )
    except FileNotFoundError:
        raise HookFailedError(f"the hook command {argv[0]!r} was not found") from None
    except PermissionError:
        raise HookFailedError(f"the hook command {argv[0]!r} is not executable") from None
    except subprocess.TimeoutExpired:
        raise HookFailedError(f"the hook command ran over {settings.timeout:g} s") from None
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        said = f": {lines[-1][:300]}" if lines else ""
        raise HookFailedError(f"the hook command exited {done.returncode}{said}")


def signature(secret: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of the exact body with the configured secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_webhook(delivery: Delivery, settings: HookSettings, http: httpx.Client) -> None:
    """POST the JSON; any 2xx is a delivery (redirects are not followed)."""
    body = delivery.payload.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"chorusflow/{__version__}",
        DELIVERY_HEADER: str(delivery.id),
        "X-Chorusflow-Event": "transition",
    }
    if settings.secret:
        headers[SIGNATURE_HEADER] = signature(settings.secret.reveal(), body)
    try:
        answer = http.post(delivery.target, content=body, headers=headers)
    except httpx.TimeoutException:
        raise HookFailedError(f"no answer within {settings.timeout:g} s") from None
    except httpx.HTTPError as error:
        raise HookFailedError(f"cannot reach the hook URL ({type(error).__name__})") from None
    if not 200 <= answer.status_code < 300:
        retry_after = _retry_after(answer.headers.get("Retry-After"))
        raise HookFailedError(f"the hook URL answered HTTP {answer.status_code}", retry_after)


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


# --- delivering ------------------------------------------------------------------------


class HookDeliverer:
    """Delivers due hook deliveries; any number may run on one database (leases)."""

    def __init__(
        self,
        store: Store,
        settings: HookSettings,
        *,
        owner: str | None = None,
        stop: threading.Event | None = None,
        limit: int = 20,
    ) -> None:
        self.store = store
        self.settings = settings
        self.owner = owner or new_owner()
        self.stop = stop or threading.Event()
        self.limit = limit
        self._backoff = WorkerOptions(
            backoff_base=settings.backoff_base, backoff_cap=settings.backoff_cap
        )
        self._http = httpx.Client(
            timeout=settings.timeout, follow_redirects=False, trust_env=settings.trust_env
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HookDeliverer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def claim(self) -> list[Delivery]:
        lease = self.settings.timeout + self.settings.lease_margin
        with self.store.transaction() as tx:
            free = or_(
                hook_deliveries.c.lease_until.is_(None), hook_deliveries.c.lease_until < tx.now
            )
            rows = tx.connection.execute(
                select(*_COLUMNS)
                .where(
                    hook_deliveries.c.state == PENDING,
                    hook_deliveries.c.next_attempt_at <= tx.now,
                    free,
                )
                .order_by(hook_deliveries.c.id)
                .limit(self.limit)
                .with_for_update(skip_locked=True)
            ).all()
            found = [_delivery(row) for row in rows]
            if found:
                tx.connection.execute(
                    update(hook_deliveries)
                    .where(hook_deliveries.c.id.in_([d.id for d in found]))
                    .values(lease_owner=self.owner, lease_until=tx.now + lease)
                )
        return found

    def send(self, delivery: Delivery) -> None:
        if delivery.kind == COMMAND:
            run_command(delivery, self.settings)
        elif delivery.kind == WEBHOOK:
            post_webhook(delivery, self.settings, self._http)
        else:
            raise HookFailedError(f"unknown hook kind {delivery.kind!r}")

    def step(self) -> int:
        """Deliver what is due now; how many deliveries were attempted."""
        claimed = self.claim()
        for delivery in claimed:
            if self.stop.is_set():
                self._settle(delivery, None, release_only=True)
                continue
            try:
                self.send(delivery)
            except HookFailedError as error:
                log.info(
                    "hook delivery %d to %s failed: %s", delivery.id, delivery.shown_target, error
                )
                self._settle(delivery, error)
            else:
                self._settle(delivery, None)
        return len(claimed)

    def _settle(
        self, delivery: Delivery, error: HookFailedError | None, *, release_only: bool = False
    ) -> None:
        with self.store.transaction() as tx:
            values: dict[str, Any] = {"lease_owner": None, "lease_until": None}
            if not release_only:
                attempts = delivery.attempts + 1
                values["attempts"] = attempts
                if error is None:
                    values.update(state=DELIVERED, delivered_at=tx.now, last_error=None)
                else:
                    values["last_error"] = str(error)
                    if attempts >= self.settings.max_attempts:
                        values["state"] = FAILED
                    else:
                        wait = backoff(attempts - 1, self._backoff, error.retry_after)
                        values["next_attempt_at"] = tx.now + wait
            tx.connection.execute(
                update(hook_deliveries)
                .where(
                    hook_deliveries.c.id == delivery.id,
                    hook_deliveries.c.lease_owner == self.owner,
                )
                .values(**values)
            )

    def next_due(self) -> float | None:
        """When the next pending delivery falls due (None: nothing pending)."""
        with self.store.engine.connect() as connection:
            value = connection.scalar(
                select(func.min(hook_deliveries.c.next_attempt_at)).where(
                    hook_deliveries.c.state == PENDING
                )
            )
        return float(value) if value is not None else None

    def run(self) -> None:
        """Deliver until stopped."""
        while not self.stop.is_set():
            if self.step():
                continue
            self.stop.wait(self.settings.idle_poll)

    def drain(self, seconds: float) -> None:
        """Deliver what falls due within ``seconds`` (``send --wait`` before it exits)."""
        deadline = self.store.clock() + seconds
        while not self.stop.is_set():
            if self.step():
                continue
            due = self.next_due()
            now = self.store.clock()
            if due is None or due > deadline or now >= deadline:
                return
            self.stop.wait(min(max(due - now, 0.01), self.settings.idle_poll))


@contextmanager
def delivering(
    store: Store, settings: HookSettings, stop: threading.Event, *, drain: float = 0.0
) -> Iterator[HookDeliverer]:
    """A deliverer in a thread beside the workers, until the block ends (then, with
    ``drain``, what falls due within that many seconds is delivered before returning)."""
    ended = threading.Event()
    deliverer = HookDeliverer(store, settings, stop=ended)

    def body() -> None:
        try:
            deliverer.run()
        except Exception:  # a database hiccup must not kill the worker: the rows stay
            log.exception("the hook deliverer stopped")

    thread = threading.Thread(target=body, name="chorusflow-hooks", daemon=True)
    thread.start()
    try:
        yield deliverer
    finally:
        ended.set()
        thread.join()
        if drain > 0 and not stop.is_set():
            deliverer.stop = stop
            deliverer.drain(drain)
        deliverer.close()


__all__ = [
    "DELIVERED",
    "DELIVERY_HEADER",
    "FAILED",
    "PENDING",
    "SIGNATURE_HEADER",
    "Delivery",
    "HookDeliverer",
    "HookFailedError",
    "deliveries",
    "delivering",
    "install",
    "payload",
    "recorder",
    "run_command",
    "signature",
    "wanted",
]
