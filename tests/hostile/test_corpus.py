"""The hostile corpus through the CLI and the sandbox: a clear refusal, fast, small, nothing kept.

The corpus is generated into a temporary directory at test time (tools/gen_hostile.py), the
hand-made set is taken from tests/hostile/handmade/, and the huge files (hundreds of MB
declared) are made here. One child process handles every file of a run, each under a
watchdog (tests/hostile/harness.py); a file that breaks a limit is named in the failure.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.hostile.conftest import HANDMADE
from tests.hostile.harness import PEAK_MB, PER_FILE_SECONDS, Child, Measured


@dataclass(frozen=True)
class Command:
    """A command run on every file: its arguments and its exit code for each outcome class.

    ``{file}`` is the corpus file, ``{scratch}`` an empty directory of the job's own (where
    ``{out}`` lies), which must still be empty after any run that did not succeed.
    """

    name: str
    args: tuple[str, ...]
    exits: dict[str, int]


REFUSING = {"valid": 0, "invalid": 1, "flagged": 1, "unreadable": 2}
#: One line per command.
COMMANDS = (
    Command("validate", ("validate", "{file}"), REFUSING),
    Command("inspect", ("inspect", "{file}"), {**REFUSING, "invalid": 0, "flagged": 0}),
    Command(
        "convert", ("convert", "{file}", "--to", "ubl", "-o", "{out}"), {**REFUSING, "flagged": 0}
    ),
    Command("send", ("send", "{file}", "--db", "sqlite:///{scratch}/outbox.db"), REFUSING),
)
OUTBOX = "outbox.db"

#: Words that betray a crash rather than a sentence for people.
CRASH = re.compile(r"Traceback|internal error|\b[A-Z]\w*(Error|Exception)\b|File \"/")


def test_the_corpus_is_large_and_every_file_has_an_outcome(
    corpus: tuple[Path, dict[str, dict[str, Any]]],
) -> None:
    root, manifest = corpus
    files = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} - {"manifest.json"}
    assert files == set(manifest)
    assert len(manifest) >= 300
    classes = {entry["kind"] for entry in manifest.values()}
    assert classes == {"valid", "invalid", "flagged", "unreadable"}
    assert len(list(HANDMADE.rglob("*.*"))) >= 20


def _check(
    command: Command, name: str, entry: dict[str, Any], answer: dict[str, Any] | None, scratch: Path
) -> list[str]:
    """What is wrong with one run, as sentences naming the file."""
    where = f"{command.name} {name}"
    if answer is None:
        return [f"{where}: no answer within {PER_FILE_SECONDS} s (hang)"]
    if "died" in answer:
        return [f"{where}: the process died ({answer['died']})"]
    problems = []
    wanted = command.exits[entry["kind"]]
    text = answer["stdout"] + answer["stderr"]
    if answer["exit"] != wanted:
        problems.append(f"{where}: exit {answer['exit']}, not {wanted}: {answer['stderr'][:300]!r}")
    if CRASH.search(text):
        problems.append(f"{where}: crash words in the output: {text[:300]!r}")
    lines = [line for line in answer["stderr"].splitlines() if line.strip()]
    # `send` lists an invalid invoice's findings on stderr (exit 1): a report, not an error.
    report = command.name == "send" and answer["exit"] == 1
    if (len(lines) > 1 and not report) or (answer["exit"] == 2 and len(lines) != 1):
        problems.append(f"{where}: stderr is not one line: {answer['stderr'][:300]!r}")
    if command.name == "validate" and entry["kind"] in ("invalid", "flagged"):
        missing = [rule for rule in entry["rules"] if rule not in answer["stdout"]]
        if missing:
            problems.append(f"{where}: rules {missing} not reported")
    left = sorted(p.name for p in scratch.iterdir() if not p.name.startswith(OUTBOX))
    if command.name == "send":
        problems += _outbox_problems(where, entry["kind"], scratch / OUTBOX)
    if answer["exit"] != 0 and left:
        problems.append(f"{where}: wrote {left} though it failed")
    if answer["seconds"] > PER_FILE_SECONDS:
        problems.append(f"{where}: took {answer['seconds']:.1f} s")
    return problems


def _outbox_problems(where: str, kind: str, path: Path) -> list[str]:
    """What `send` left in its outbox: an unreadable file nothing at all, an invalid one a
    record of its refusal (state ``invalid``, which no worker ever sends), a valid one a
    ``checked`` invoice ready to go."""
    if not path.exists():
        return [] if kind == "unreadable" else [f"{where}: no outbox was written"]
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        states = [row[0] for row in db.execute("SELECT state FROM invoices")]
    wanted = {"unreadable": [], "invalid": ["invalid"], "flagged": ["invalid"]}.get(
        kind, ["checked"]
    )
    return [] if states == wanted else [f"{where}: the outbox holds {states}, not {wanted}"]


def run_commands(
    corpus: tuple[Path, dict[str, dict[str, Any]]],
    env: dict[str, str],
    work: Path,
    commands: tuple[Command, ...] = COMMANDS,
) -> tuple[list[str], Measured]:
    root, manifest = corpus
    problems: list[str] = []
    measured = Measured()
    child = Child(env)
    try:
        for command in commands:
            for i, (name, entry) in enumerate(sorted(manifest.items())):
                scratch = work / f"{command.name}-{i}"
                scratch.mkdir()
                values = {
                    "file": str(root / name),
                    "scratch": str(scratch),
                    "out": str(scratch / "out.xml"),
                }
                args = [arg.format(**values) for arg in command.args]
                answer = child.ask({"cli": args})
                problems += _check(command, name, entry, answer, scratch)
                if answer is not None and "died" not in answer:
                    measured.add(f"{command.name} {name}", answer)
                shutil.rmtree(scratch)
    finally:
        child.stop()
    if measured.peak_mb > PEAK_MB:
        problems.append(
            f"peak memory {measured.peak_mb:.0f} MB, first over at {measured.peak_file}"
        )
    return problems, measured


def report(label: str, measured: Measured) -> None:
    """One line for RELIABILITY.md (shown with pytest -s)."""
    print(
        f"\n{label}: {measured.jobs} runs, worst {measured.worst_seconds:.2f} s "
        f"({measured.worst_file}), peak {measured.peak_mb:.0f} MB ({measured.peak_file})"
    )


def test_every_file_through_the_cli(
    corpus: tuple[Path, dict[str, dict[str, Any]]], child_env: dict[str, str], tmp_path: Path
) -> None:
    problems, measured = run_commands(corpus, child_env, tmp_path)
    report("cli", measured)
    assert not problems, "\n".join(problems)
    assert measured.jobs == len(corpus[1]) * len(COMMANDS)


def test_a_hang_is_named_and_the_next_file_still_runs(
    child_env: dict[str, str], tmp_path: Path
) -> None:
    """The watchdog itself: a FIFO never written blocks the reader; the child is replaced."""
    fifo = tmp_path / "never.xml"
    os.mkfifo(fifo)
    manifest = {"never.xml": {"kind": "unreadable"}, "never2.xml": {"kind": "unreadable"}}
    (tmp_path / "never2.xml").write_bytes(b"")
    problems, measured = run_commands(
        (tmp_path, manifest),
        child_env,
        tmp_path / "work" if (tmp_path / "work").mkdir() is None else tmp_path,
        (COMMANDS[1],),
    )
    assert problems == ["inspect never.xml: no answer within 5.0 s (hang)"], problems
    assert measured.jobs == 1
