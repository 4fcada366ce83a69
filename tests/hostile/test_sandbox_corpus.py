"""The hostile corpus deposited as flows in a running sandbox over loopback.

Each file goes in the syntax it claims (archives as flows); the sandbox must answer with the
platform's documented code, integrate nothing it refused, answer its health-check afterwards,
and stay within the time and memory limits (tests/hostile/harness.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.hostile.harness import PEAK_MB, PER_FILE_SECONDS, Child, Measured
from tests.hostile.test_corpus import report


def _check_flow(name: str, entry: dict[str, Any], answer: dict[str, Any] | None) -> list[str]:
    where = f"sandbox {name}"
    if answer is None:
        return [f"{where}: no flow report within {PER_FILE_SECONDS} s (hang)"]
    if "died" in answer:
        return [f"{where}: the sandbox process died ({answer['died']})"]
    expected = set(entry["sandbox"])
    integrated = answer.get("integrated", 0)
    if "etat" not in answer:  # the deposit itself was refused
        ok = "refused" in expected and answer.get("codeRetour") not in (None, 0)
        return [] if ok else [f"{where}: deposit refused ({answer}), expected {sorted(expected)}"]
    if "integrated" in expected:
        ok = answer["etat"] == "IN_INTEGRE" and integrated >= 1
    elif "rejected" in expected:
        ok = answer["etat"] == "IN_REJETE" and answer["dp"] >= 1 and integrated == 0
    else:
        technical = set(answer["technical"])
        ok = answer["etat"] == "IN_REJETE" and bool(technical) and technical <= expected
        ok = ok and integrated == 0
    return [] if ok else [f"{where}: {answer}, expected {sorted(expected)}"]


def test_every_file_through_the_sandbox(
    corpus: tuple[Path, dict[str, dict[str, Any]]], child_env: dict[str, str]
) -> None:
    root, manifest = corpus
    problems: list[str] = []
    measured = Measured()
    child = Child(child_env, sandbox=True)
    deposited = 0
    try:
        for name, entry in sorted(manifest.items()):
            if not entry["sandbox"]:
                continue  # over the request limit: test_bad_input covers the 413
            answer = child.ask({"deposit": str(root / name), "syntax": entry["flow_syntax"]})
            problems += _check_flow(name, entry, answer)
            if answer is not None and "died" not in answer:
                measured.add(f"sandbox {name}", answer)
            deposited += 1
        health = child.ask({"health": True})
        assert health is not None and health["http"] == 200 and health["status"] == "200", health
    finally:
        child.stop()
    report("sandbox", measured)
    if measured.peak_mb > PEAK_MB:
        problems.append(
            f"peak memory {measured.peak_mb:.0f} MB, first over at {measured.peak_file}"
        )
    assert not problems, "\n".join(problems)
    assert deposited >= 300
