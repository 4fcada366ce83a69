"""Shared fixtures: where the examples and the CEN corpus are."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# shared/ sits beside the clone (CI) or, for a git worktree under wt/, two levels up
SHARED = next(
    (p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()),
    ROOT.parent / "shared",
)
CORPUS = SHARED / "corpus" / "cen-en16931"


def example_paths() -> list[Path]:
    return sorted(EXAMPLES.glob("*.json"))


@pytest.fixture(params=example_paths(), ids=lambda p: p.stem)
def example_path(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path
