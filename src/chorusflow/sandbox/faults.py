"""Chorus Pro on a bad day, on demand: latency, 5xx, 429, timeouts, dropped connections,
revoked tokens and maintenance windows.

A plan is written as ``--faults "latency=0.05,5xx=0.1,429=0.05,retry_after=1,timeout=0.05,
timeout_seconds=2,drop=0.05,maintenance=30+10,revoke=20,seed=7"``: shares are fractions of
API calls; ``drop`` closes the connection after a deposit was committed (the answer is lost,
the flow or invoice exists); ``maintenance=AT+FOR`` answers 503 from AT seconds after start
for FOR seconds; ``revoke=AT`` invalidates every token once, AT seconds after start. The
admin endpoint ``/admin/faults`` reads and replaces the plan while the sandbox runs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from chorusflow.errors import ChorusflowError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Operations after which a dropped connection loses the answer of a committed deposit.
DEPOSITS = frozenset(
    {
        "/cpro/factures/v1/deposer/flux",
        "/cpro/factures/v1/deposer/pdf",
        "/cpro/factures/v1/soumettre",
    }
)


_ALIASES = {"5xx": "error_5xx", "429": "throttle_429"}


@dataclass(slots=True)
class FaultPlan:
    """What goes wrong, and how often."""

    latency: float = 0.0
    error_5xx: float = 0.0
    throttle_429: float = 0.0
    retry_after: int = 1
    timeout: float = 0.0
    timeout_seconds: float = 30.0
    drop: float = 0.0
    maintenance_at: float | None = None
    maintenance_for: float = 0.0
    revoke_at: float | None = None
    seed: int | None = None
    started: float = field(default_factory=time.time)

    @classmethod
    def parse(cls, spec: str | None) -> FaultPlan:
        """A plan from its text; ChorusflowError naming the part that is wrong."""
        plan = cls()
        if not spec or not spec.strip():
            return plan
        names = {f.name for f in fields(cls)} - {"started"}
        for part in spec.split(","):
            key, sep, value = part.strip().partition("=")
            key = _ALIASES.get(key, key)
            try:
                if not sep:
                    raise ValueError
                if key == "maintenance":
                    at, _, length = value.partition("+")
                    plan.maintenance_at, plan.maintenance_for = float(at), float(length or 60)
                elif key == "revoke":
                    plan.revoke_at = float(value)
                elif key in ("seed", "retry_after"):
                    setattr(plan, key, int(value))
                elif key in names:
                    number = float(value.removesuffix("s"))
                    if key in ("error_5xx", "throttle_429", "timeout", "drop") and not (
                        0 <= number <= 1
                    ):
                        raise ValueError
                    setattr(plan, key, number)
                else:
                    raise KeyError(key)
            except (ValueError, KeyError):
                raise ChorusflowError(
                    f"The fault '{part.strip()}' is not understood.",
                    "Write KEY=VALUE pairs separated by commas, e.g. "
                    "'latency=0.05,5xx=0.1,429=0.05,drop=0.05,maintenance=30+10'.",
                ) from None
        return plan

    def describe(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("started")
        return data

    def in_maintenance(self, at: float) -> float:
        """Seconds of maintenance left at ``at`` (0 when there is none)."""
        if self.maintenance_at is None:
            return 0.0
        start = self.started + self.maintenance_at
        end = start + self.maintenance_for
        return end - at if start <= at < end else 0.0


async def _json(
    send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]]
) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json;charset=utf-8"),
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class DroppedConnectionError(Exception):
    """Raised after half an answer was sent, so that the server closes the connection."""


class QuietDrops(logging.Filter):
    """Keeps the server's log free of the tracebacks of connections dropped on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, DroppedConnectionError)


def quiet_drops() -> None:
    """Install :class:`QuietDrops` on uvicorn's error log (once)."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, QuietDrops) for f in logger.filters):
        logger.addFilter(QuietDrops())


class FaultControl:
    """The plan in force and its random draws; the admin endpoint replaces the plan."""

    def __init__(self, plan: FaultPlan, revoke: Callable[[], object]) -> None:
        self.revoke = revoke
        self.replace(plan)

    def replace(self, plan: FaultPlan) -> None:
        self.plan = plan
        self.random = random.Random(plan.seed)  # noqa: S311 - simulation, not security
        self.revoked = False
        self.seen: Counter[str] = Counter()
        """Calls and faults injected under this plan, by kind (``/admin/faults/seen``): a
        soak says how many faults its client survived, not only how many were asked for."""


class FaultMiddleware:
    """Applies the plan in force to every call of the API (``/cpro/...``) and token endpoint."""

    def __init__(self, app: App, control: FaultControl) -> None:
        self.app = app
        self.control = control

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path.startswith(("/cpro/", "/api/oauth/"))):
            await self.app(scope, receive, send)
            return
        control = self.control
        plan, at = control.plan, time.time()
        if (
            plan.revoke_at is not None
            and not control.revoked
            and at >= plan.started + plan.revoke_at
        ):
            control.revoked = True
            control.seen["revoke"] += 1
            await asyncio.to_thread(control.revoke)
        control.seen["calls"] += 1
        left = plan.in_maintenance(at)
        if left > 0:
            control.seen["maintenance"] += 1
            page = (
                b"<html><body><h1>Service en maintenance</h1>"
                b"<p>Chorus Pro est momentan\xc3\xa9ment indisponible.</p></body></html>"
            )
            await send(
                {
                    "type": "http.response.start",
                    "status": 503,
                    "headers": [
                        (b"content-type", b"text/html;charset=utf-8"),
                        (b"content-length", str(len(page)).encode()),
                        (b"retry-after", str(max(1, round(left))).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": page})
            return
        if plan.latency:
            await asyncio.sleep(plan.latency)
        draw = control.random.random()
        if path.startswith("/cpro/"):
            if draw < plan.error_5xx:
                status = control.random.choice((500, 502, 503))
                control.seen["5xx"] += 1
                await _json(
                    send, status, {"codeRetour": status, "libelle": "Erreur interne du serveur"}, []
                )
                return
            draw -= plan.error_5xx
            if draw < plan.throttle_429:
                control.seen["429"] += 1
                await _json(
                    send,
                    429,
                    {"error": "too_many_requests", "error_description": "Quota dépassé"},
                    [(b"retry-after", str(plan.retry_after).encode())],
                )
                return
            draw -= plan.throttle_429
            if draw < plan.timeout:
                control.seen["timeout"] += 1
                await asyncio.sleep(plan.timeout_seconds)
                await _json(send, 504, {"error": "gateway_timeout"}, [])
                return
            draw -= plan.timeout
            if path in DEPOSITS and draw < plan.drop:
                control.seen["drop"] += 1
                await self._drop_after(scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _drop_after(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the call to the end (the deposit is committed), then lose the answer."""
        start: Message | None = None
        body = b""

        async def keep(message: Message) -> None:
            nonlocal start, body
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                body += message.get("body", b"")

        await self.app(scope, receive, keep)
        if start is None:
            return
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": start["status"], "headers": headers})
        await send(
            {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
        )
        raise DroppedConnectionError("connection dropped after the deposit was committed (fault)")
