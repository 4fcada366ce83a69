"""Every operation refuses a call without a live token, from an application the API is not
attached to, or without a valid technical account."""

from __future__ import annotations

import base64
import time

import pytest

from chorusflow.chorus.wire.operations import OPERATIONS, Operation
from chorusflow.chorus.wire.operations import Api as ApiName
from chorusflow.sandbox.store import Jeton
from tests.sandbox.conftest import JSON, Api
from tests.sandbox.invoices import SUPPLIER


@pytest.fixture(scope="module")
def expired(api: Api) -> str:
    with api.sandbox.store.session() as session:
        session.add(
            Jeton(
                valeur="matrix-expired",
                client_id=api.application()["client_id"],
                expire_a=time.time() - 60,
            )
        )
    return "matrix-expired"


def call(api: Api, op: Operation, headers: dict[str, str]) -> int:
    if op.method == "GET":
        return api.http.get(op.path, headers=headers).status_code
    return api.http.post(op.path, json={}, headers=headers).status_code


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
def test_each_operation_checks_token_application_and_account(
    api: Api, expired: str, op: Operation
) -> None:
    account = api.account(SUPPLIER)
    assert call(api, op, {**JSON, "cpro-account": account}) == 401, "no token"
    assert (
        call(api, op, {**JSON, "cpro-account": account, "Authorization": f"Bearer {expired}"})
        == 401
    ), "expired token"
    assert (
        call(api, op, {**JSON, "cpro-account": account, "Authorization": "Bearer not-a-token"})
        == 401
    ), "unknown token"
    limited = api.headers(SUPPLIER, full=False)
    attached = op.api in (ApiName.STRUCTURES, ApiName.TRANSVERSES, ApiName.UTILISATEURS)
    assert (call(api, op, limited) == 403) is not attached, "API not attached"
    if op.method == "POST":
        wrong = base64.b64encode(
            f"{api.party(SUPPLIER)['technical_account']['login']}:nope".encode()
        ).decode()
        assert call(api, op, {**api.headers(SUPPLIER), "cpro-account": wrong}) == 401, (
            "wrong account"
        )
        headers = api.headers(SUPPLIER)
        del headers["cpro-account"]
        assert call(api, op, headers) == 401, "no account"
