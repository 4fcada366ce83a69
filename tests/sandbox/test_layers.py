"""The sandbox uses model, formats, rules and the chorus wire models, never the client or
the outbox (DESIGN.md), so a mistake shared by client and sandbox cannot pass unseen."""

from __future__ import annotations

import ast
from pathlib import Path

import chorusflow.sandbox

ALLOWED = (
    "chorusflow.model",
    "chorusflow.formats",
    "chorusflow.rules",
    "chorusflow.chorus.wire",
    "chorusflow.sandbox",
    "chorusflow.errors",
)


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_sandbox_imports_only_the_layers_above_it_and_the_wire_models() -> None:
    folder = Path(chorusflow.sandbox.__file__).parent
    modules = sorted(folder.glob("*.py"))
    assert len(modules) > 10
    for path in modules:
        ours = {m for m in imports(path) if m.startswith("chorusflow")}
        wrong = {m for m in ours if not m.startswith(ALLOWED)}
        assert not wrong, f"{path.name} imports {wrong}"


def test_wire_models_import_nothing_but_pydantic_and_themselves() -> None:
    folder = Path(chorusflow.sandbox.__file__).parent.parent / "chorus" / "wire"
    for path in folder.glob("*.py"):
        ours = {m for m in imports(path) if m.startswith("chorusflow")}
        assert all(m.startswith("chorusflow.chorus.wire") for m in ours), (path.name, ours)
