"""The hostile corpus (generated, hand-made, huge) and the environment of the measured child."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import shutil
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.harness import ROOT

HANDMADE = Path(__file__).parent / "handmade"
MB = 1024 * 1024


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("gen_hostile", ROOT / "tools" / "gen_hostile.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _sparse(path: Path, head: bytes, size: int) -> None:
    """A file of ``size`` bytes that starts with ``head`` (the rest is a hole of zeros)."""
    with path.open("wb") as out:
        out.write(head)
        out.truncate(size)


def _tar_gz_of_zeros(path: Path, size: int) -> None:
    """A tar.gz whose one member is ``size`` zero bytes (about 1 MB compressed per GB)."""
    with gzip.open(path, "wb", compresslevel=1) as raw, tarfile.open(fileobj=raw, mode="w|") as tar:
        info = tarfile.TarInfo("zeros.xml")
        info.size = size
        chunk = b"\0" * MB

        class Zeros:
            left = size

            def read(self, n: int = -1) -> bytes:
                n = min(self.left, MB if n < 0 else n)
                self.left -= n
                return chunk[:n]

        tar.addfile(info, Zeros())  # type: ignore[arg-type]


def huge_files(out: Path) -> dict[str, dict[str, Any]]:
    """Files too big to commit, made at test time; not deposited when over the request limit."""
    out.mkdir(parents=True, exist_ok=True)
    made: dict[str, dict[str, Any]] = {}

    def entry(claims: str, sandbox: list[str], syntax: str) -> dict[str, Any]:
        return {
            "kind": "unreadable",
            "claims": claims,
            "rules": [],
            "sandbox": sandbox,
            "flow_syntax": syntax,
        }

    _sparse(out / "json-200mb.json", b'{"number": "', 200 * MB)
    made["huge/json-200mb.json"] = entry("json", [], "IN_DP_E1_UBL_INVOICE")
    _sparse(out / "xml-200mb.xml", b"<?xml version='1.0'?><Invoice>", 200 * MB)
    made["huge/xml-200mb.xml"] = entry("ubl", [], "IN_DP_E1_UBL_INVOICE")
    _sparse(out / "pdf-200mb.pdf", b"%PDF-1.7\n", 200 * MB)
    made["huge/pdf-200mb.pdf"] = entry("facturx", [], "IN_DP_E2_CII_FACTURX")
    (out / "xml-40mb.xml").write_bytes(b"<a>" + b"x" * (40 * MB) + b"</a>")
    made["huge/xml-40mb.xml"] = entry("ubl", ["refused"], "IN_DP_E1_UBL_INVOICE")
    (out / "xml-11mb.xml").write_bytes(b"<a>" + b"<b>x</b>" * (11 * MB // 8) + b"</a>")
    made["huge/xml-11mb.xml"] = entry("ubl", ["refused"], "IN_DP_E1_UBL_INVOICE")
    _tar_gz_of_zeros(out / "tar-1gb.tar.gz", 1024 * MB)
    made["huge/tar-1gb.tar.gz"] = entry("archive", ["ERR_ARCHIVE_001"], "IN_DP_E1_UBL_INVOICE")
    return made


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, Any]]]:
    """The corpus directory and its manifest: generated, hand-made and huge files."""
    root = tmp_path_factory.mktemp("hostile")
    manifest: dict[str, dict[str, Any]] = _generator().write_corpus(root)
    handmade = json.loads((HANDMADE / "manifest.json").read_text())
    for name, entry in handmade.items():
        target = root / "handmade" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HANDMADE / name, target)
        manifest[f"handmade/{name}"] = entry
    manifest |= huge_files(root / "huge")
    return root, manifest


@pytest.fixture(scope="module")
def child_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The user's environment without any chorusflow configuration: an empty home."""
    home = tmp_path_factory.mktemp("home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHORUSFLOW_")}
    env |= {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "CHORUSFLOW_CONFIG_DIR": str(home / "cfg"),
        "PYTHONPATH": str(ROOT),
        "COLUMNS": "200",
    }
    return env
