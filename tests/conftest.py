"""Shared fixtures: where the examples and the CEN corpus are."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# /work/shared beside the main checkout, or two levels up from a worktree under /work/wt/
SHARED = next(
    (up / "shared" for up in ROOT.parents if (up / "shared" / "corpus").is_dir()),
    ROOT.parent / "shared",
)
CORPUS = SHARED / "corpus" / "cen-en16931"


def example_paths() -> list[Path]:
    return sorted(EXAMPLES.glob("*.json"))


@pytest.fixture(params=example_paths(), ids=lambda p: p.stem)
def example_path(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path
