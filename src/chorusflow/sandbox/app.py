"""The HTTP face of the sandbox: PISTE's token endpoint, every Chorus Pro operation at its
real path, the admin endpoints, and OpenAPI at /docs.

A client written for the real platform works unchanged: only the two base URLs differ
(``token_url`` and ``api_url`` of the data set).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import logging
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from chorusflow.chorus.wire.base import WireModel
from chorusflow.chorus.wire.operations import BY_PATH, OPERATIONS, Operation
from chorusflow.chorus.wire.piste import ErreurOAuth
from chorusflow.errors import ChorusflowError
from chorusflow.sandbox import dataset, errors
from chorusflow.sandbox import ops_factures as _factures  # noqa: F401 - registers handlers
from chorusflow.sandbox import ops_structures as _structures  # noqa: F401
from chorusflow.sandbox import ops_transverses as _transverses  # noqa: F401
from chorusflow.sandbox.auth import Authority, Caller
from chorusflow.sandbox.context import HANDLERS, Sandbox
from chorusflow.sandbox.errors import CproError, GatewayError
from chorusflow.sandbox.faults import (
    FaultControl,
    FaultMiddleware,
    FaultPlan,
    Receive,
    Scope,
    Send,
    quiet_drops,
)
from chorusflow.sandbox.processor import Processor
from chorusflow.sandbox.settings import SandboxSettings
from chorusflow.sandbox.store import Store

log = logging.getLogger("chorusflow.sandbox")
TOKEN_PATH = "/api/oauth/token"  # noqa: S105 - a path, not a secret
JSON = "application/json;charset=utf-8"


class BodyTooLargeError(Exception):
    """The request body is over the configured limit (HTTP 413)."""


def _envelope(status: int, code: int, libelle: str) -> JSONResponse:
    return JSONResponse(
        {"codeRetour": code, "libelle": libelle}, status_code=status, media_type=JSON
    )


def _gateway(error: GatewayError) -> JSONResponse:
    headers = {"WWW-Authenticate": f'Bearer error="{error.error}"'} if error.status == 401 else {}
    body = ErreurOAuth(error=error.error, error_description=error.description)
    return JSONResponse(body.to_wire(), status_code=error.status, headers=headers)


class Gateway:
    """What PISTE does before a call reaches Chorus Pro: route, size, media type, token,
    API subscription, technical account and the raccordement of the application."""

    def __init__(
        self, app: Callable[[Scope, Receive, Send], Awaitable[None]], sandbox: Sandbox
    ) -> None:
        self.app = app
        self.sandbox = sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith("/cpro/"):
            await self.app(scope, receive, send)
            return
        response = self._refuse(scope, path)
        if response is not None:
            await response(scope, receive, send)
            return
        limit = self.sandbox.settings.max_request_bytes
        seen = 0

        async def bounded() -> dict[str, Any]:
            nonlocal seen
            message = dict(await receive())
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLargeError
            return message

        await self.app(scope, bounded, send)

    def _refuse(self, scope: Scope, path: str) -> Response | None:
        op = BY_PATH.get(path.rstrip("/"))
        if op is None:
            return _envelope(404, 404, errors.API_NON_TROUVEE)
        if scope["method"] != op.method:
            return _envelope(405, 405, f"Méthode {scope['method']} non autorisée pour {op.path}")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        length = headers.get("content-length", "0")
        if length.isdigit() and int(length) > self.sandbox.settings.max_request_bytes:
            return _envelope(413, 413, errors.TROP_GROS)
        if op.method == "POST":
            media = headers.get("content-type", "").split(";")[0].strip().lower()
            if media != "application/json":
                return _envelope(415, 415, errors.FORMAT_NON_SUPPORTE)
        authority = self.sandbox.authority
        try:
            client_id = authority.check_bearer(headers.get("authorization"), op.api.value)
            if op.request is not None:
                caller = authority.check_account(headers.get("cpro-account"))
                authority.check_connection(client_id, caller)
                scope.setdefault("state", {})["caller"] = caller
        except GatewayError as error:
            return _gateway(error)
        return None


def _loopback_only(request: Request) -> None:
    """The admin endpoints hand out every secret of the data set: local callers only."""
    host = request.client.host if request.client else ""
    try:
        local = ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    if not local:
        raise HTTPException(403, "The admin endpoints answer loopback callers only.")


def _validation_message(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "corps"
    if first["type"] == "json_invalid":
        return f"{errors.REQUETE_MAL_FORMULEE} : JSON invalide"
    return f"{errors.REQUETE_MAL_FORMULEE} : {where} : {first['msg']}"


def _endpoint(op: Operation, sandbox: Sandbox) -> Callable[[Request], Awaitable[Response]]:
    handler = HANDLERS[op.operation_id]
    model = op.request

    async def endpoint(request: Request) -> Response:
        caller: Caller | None = request.scope.get("state", {}).get("caller")
        body: WireModel | None = None
        if model is not None:
            raw = await request.body()
            try:
                body = model.model_validate_json(raw or b"{}")
            except ValidationError as error:
                return _envelope(400, 400, _validation_message(error))
        result = await run_in_threadpool(handler, sandbox, caller, body)  # type: ignore[arg-type]
        return Response(json.dumps(result.to_wire(), ensure_ascii=False).encode(), media_type=JSON)

    endpoint.__name__ = op.operation_id
    return endpoint


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for op in OPERATIONS:
            if op.request is None:
                continue
            body = op.request.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(body.pop("$defs", {}))
            components[op.request.__name__] = body
            entry = schema["paths"][op.path][op.method.lower()]
            entry["requestBody"] = {
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{op.request.__name__}"}
                    }
                }
            }
            entry.setdefault("parameters", []).append(
                {
                    "name": "cpro-account",
                    "in": "header",
                    "required": True,
                    "description": "base64 de 'login:password' du compte technique",
                    "schema": {"type": "string"},
                }
            )
        app.openapi_schema = schema
        return schema

    return build


def create_app(
    store: Store,
    settings: SandboxSettings,
    faults: FaultPlan | None = None,
    *,
    process: bool = True,
) -> FastAPI:
    """The sandbox as an ASGI app (``process=False`` leaves flows and lifecycles still)."""
    with store.session() as session:
        dataset.upgrade(session)  # a database made by an earlier sandbox keeps working
    authority = Authority(store, settings.token_lifetime)
    sandbox = Sandbox(store, settings, authority)
    processor = Processor(store, settings)
    control = FaultControl(faults or FaultPlan(), authority.revoke_all)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if process:
            processor.start()
        try:
            yield
        finally:
            processor.stop()

    app = FastAPI(
        title="chorusflow sandbox — a local Chorus Pro",
        version="1.0",
        description="PISTE OAuth2 and the Chorus Pro API (Factures, Transverses, Structures, "
        "Engagements juridiques, Utilisateurs) at their real paths.",
        lifespan=lifespan,
    )
    app.state.sandbox = sandbox
    app.state.processor = processor
    app.state.faults = control

    for op in OPERATIONS:
        app.add_api_route(
            op.path,
            _endpoint(op, sandbox),
            methods=[op.method],
            response_model=op.response,
            operation_id=op.operation_id,
            tags=[op.api.value],
            summary=op.operation_id,
            description=(op.request or op.response).__doc__ or "",
        )

    @app.exception_handler(CproError)
    async def business(_: Request, error: CproError) -> Response:
        return _envelope(error.status or settings.business_error_status, error.code, error.libelle)

    @app.exception_handler(BodyTooLargeError)
    async def too_large(_: Request, __: BodyTooLargeError) -> Response:
        return _envelope(413, 413, errors.TROP_GROS)

    @app.exception_handler(Exception)
    async def internal(_: Request, error: Exception) -> Response:
        log.exception("internal error", exc_info=error)
        return _envelope(500, 500, errors.ERREUR_INTERNE)

    @app.post(TOKEN_PATH, tags=["PISTE"], summary="OAuth2 token (client_credentials)")
    async def token(request: Request) -> Response:
        form = urllib.parse.parse_qs((await request.body()).decode("utf-8", "replace"))
        client_id: str | None = form.get("client_id", [""])[0] or None
        secret: str | None = form.get("client_secret", [""])[0] or None
        grant: str | None = form.get("grant_type", [""])[0] or None
        basic = request.headers.get("authorization", "")
        if basic.lower().startswith("basic "):
            try:
                client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return _gateway(GatewayError(400, "invalid_client", "Malformed Basic credentials."))
        try:
            answer = await run_in_threadpool(authority.issue, grant, client_id, secret)
        except GatewayError as error:
            return _gateway(error)
        return JSONResponse(answer.to_wire(), headers={"Cache-Control": "no-store"})

    @app.get("/admin/faults", tags=["admin"], dependencies=[Depends(_loopback_only)])
    async def get_faults() -> dict[str, Any]:
        return control.plan.describe()

    @app.get("/admin/faults/seen", tags=["admin"], dependencies=[Depends(_loopback_only)])
    async def faults_seen() -> dict[str, int]:
        return dict(control.seen)

    @app.put("/admin/faults", tags=["admin"], dependencies=[Depends(_loopback_only)])
    async def put_faults(request: Request) -> Response:
        spec = (await request.body()).decode("utf-8", "replace")
        try:
            plan = FaultPlan.parse(
                json.loads(spec).get("spec", "") if spec.startswith("{") else spec
            )
        except (ChorusflowError, ValueError, AttributeError) as error:
            return JSONResponse({"error": str(error)}, status_code=400)
        control.replace(plan)
        return JSONResponse(plan.describe())

    @app.post("/admin/tokens/revoke", tags=["admin"], dependencies=[Depends(_loopback_only)])
    async def revoke() -> dict[str, int]:
        return {"revoked": await run_in_threadpool(authority.revoke_all)}

    @app.post("/admin/dataset", tags=["admin"], dependencies=[Depends(_loopback_only)])
    async def make_dataset(request: Request) -> dict[str, Any]:
        created = await run_in_threadpool(dataset.ensure, store)
        authority.forget_accounts()
        base = settings.public_url or str(request.base_url).rstrip("/")
        description = await run_in_threadpool(dataset.describe, store, base + TOKEN_PATH, base)
        return {"created": created, **description}

    @app.post("/admin/process", tags=["admin"], dependencies=[Depends(_loopback_only)])
    async def process_now() -> dict[str, int]:
        """Process what is due now (handy when the processor is off)."""
        return {"handled": await run_in_threadpool(processor.step)}

    app.openapi = _openapi(app)  # type: ignore[method-assign]
    app.add_middleware(Gateway, sandbox=sandbox)
    app.add_middleware(FaultMiddleware, control=control)
    quiet_drops()
    return app
