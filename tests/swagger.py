"""The official swaggers as JSON Schema validators (Swagger 2.0 definitions, Draft 4)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft4Validator

from tests.conftest import ROOT, SHARED

#: shared/ sits beside the clone (CI) or two levels up from a worktree (/work/wt/<name>).
CHORUS_PRO = next(
    (
        p
        for p in (SHARED / "chorus-pro", ROOT.parent.parent / "shared" / "chorus-pro")
        if p.is_dir()
    ),
    SHARED / "chorus-pro",
)
FILES = {
    "factures": CHORUS_PRO / "swagger-factures-v1-betagouv-2020.json",
    "structures": CHORUS_PRO / "swagger-structures-v1-piste-sandbox.json",
}


@cache
def swagger(api: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FILES[api].read_text(encoding="utf-8"))
    return data


def operations() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(api, full path, operationId, operation) for every operation of both swaggers."""
    out = []
    for api in FILES:
        doc = swagger(api)
        for path, methods in doc["paths"].items():
            for op in methods.values():
                out.append((api, doc["basePath"] + path, op["operationId"], op))
    return out


def validator(api: str, definition: str) -> Draft4Validator:
    doc = swagger(api)
    return Draft4Validator(
        {"$ref": f"#/definitions/{definition}", "definitions": doc["definitions"]}
    )


def request_definition(op: dict[str, Any]) -> str:
    body = next(p for p in op["parameters"] if p["in"] == "body")
    ref: str = body["schema"]["$ref"]
    return ref.rsplit("/", 1)[-1]


def response_definition(op: dict[str, Any]) -> str:
    ref: str = op["responses"]["200"]["schema"]["$ref"]
    return ref.rsplit("/", 1)[-1]


def errors(api: str, definition: str, instance: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(api, definition).iter_errors(instance)
    ]
