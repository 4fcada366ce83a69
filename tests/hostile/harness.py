"""Driving the runner child: one job at a time, each under a watchdog, measured for real.

A job that does not answer within its limit is a hang: the child is killed (its whole process
group), the job is recorded as such, and a fresh child takes the next one, so one bad file
names itself and cannot hide the others.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
#: No file may take longer than this (seconds), nor the process more memory (MB).
PER_FILE_SECONDS = 5.0
PEAK_MB = 500.0
#: Starting the child (imports, a sandbox) is not a file's time.
START_SECONDS = 120.0


@dataclass
class Measured:
    """What the runs measured: the worst time and its file, the peak memory and its file."""

    jobs: int = 0
    worst_seconds: float = 0.0
    worst_file: str = ""
    peak_mb: float = 0.0
    peak_file: str = ""
    hangs: list[str] = field(default_factory=list)

    def add(self, name: str, answer: dict[str, Any]) -> None:
        self.jobs += 1
        if answer["seconds"] > self.worst_seconds:
            self.worst_seconds, self.worst_file = answer["seconds"], name
        if answer["peak_mb"] > self.peak_mb:
            self.peak_mb, self.peak_file = answer["peak_mb"], name


class Child:
    """``python -m tests.hostile.runner`` in its own process group, with an isolated home."""

    def __init__(self, env: dict[str, str], *, sandbox: bool = False) -> None:
        self.env = env
        self.sandbox = sandbox
        self.process: subprocess.Popen[bytes] | None = None
        self.buffer = b""

    def _start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.hostile.runner"],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.buffer = b""
        ready = self._ask({"ready": True, "sandbox": self.sandbox}, START_SECONDS)
        assert ready is not None and ready.get("ready"), "the runner child did not start"

    def _ask(self, job: dict[str, Any], limit: float) -> dict[str, Any] | None:
        assert self.process and self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(job).encode() + b"\n")
        self.process.stdin.flush()
        deadline = time.monotonic() + limit
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            while b"\n" not in self.buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    return None
                chunk = os.read(self.process.stdout.fileno(), 65536)
                if not chunk:  # the child died
                    return {"died": self.process.wait(), "seconds": 0.0, "peak_mb": 0.0}
                self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def ask(self, job: dict[str, Any], limit: float = PER_FILE_SECONDS) -> dict[str, Any] | None:
        """The child's answer, or None when it hung past ``limit`` (it is then replaced)."""
        if self.process is None:
            self._start()
        answer = self._ask(job, limit)
        if answer is None or "died" in answer:
            self.stop()
        return answer

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe:
                pipe.close()
        self.process = None
