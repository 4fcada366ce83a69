"""The outbox run as users run it, for the delivery bench and the crash and fault runs.

A sandbox in its own process (``chorusflow sandbox serve``), an outbox database (an SQLite
file, or a schema of its own in PostgreSQL's ``test`` database, dropped afterwards),
``chorusflow send`` and ``chorusflow worker`` as OS processes configured through the
CHORUSFLOW_* variables and a ``config.toml`` of their own, invoices generated from the bundled
examples, and the census that compares what the outbox says with what the sandbox holds.
"""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.sandbox.conftest import Api  # noqa: E402

from bench.bench_sandbox import Served, launch  # noqa: E402
from chorusflow.outbox import Store  # noqa: E402
from chorusflow.outbox.states import ON_PLATFORM, State, state_of_status  # noqa: E402

EXAMPLES = ROOT / "examples"
#: The data set's supplier every generated invoice is issued by (one technical account).
SUPPLIER = "90123456700005"
PG_TEST = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SEARCH = "/cpro/factures/v1/rechercher/fournisseur"


# --- invoices ---------------------------------------------------------------------------


def write_invoices(folder: Path, count: int, prefix: str) -> list[Path]:
    """``count`` JSON invoices cycled from examples/*.json, numbered ``prefix-n``, all issued
    by :data:`SUPPLIER` (the examples of other suppliers take its seller block)."""
    examples = [json.loads(p.read_text("utf-8")) for p in sorted(EXAMPLES.glob("*.json"))]
    seller = next(e["seller"] for e in examples if _siret(e) == SUPPLIER)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        data = dict(examples[n % len(examples)])
        data["seller"] = seller
        data["number"] = f"{prefix}-{n:05d}"
        path = folder / f"{prefix}-{n:05d}.json"
        path.write_text(json.dumps(data), "utf-8")
        paths.append(path)
    return paths


def _siret(example: dict[str, Any]) -> str:
    return str(example["seller"]["legal_registration"]["value"])


# --- databases --------------------------------------------------------------------------


def postgres_answers() -> bool:
    try:
        engine = create_engine(PG_TEST, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    """The URL of a fresh outbox: an SQLite file in ``folder``, or a PostgreSQL schema of its
    own in the ``test`` database (dropped at the end)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'outbox-{uuid.uuid4().hex[:8]}.db'}"
        return
    schema = f"proof_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_TEST, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_TEST}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


# --- the sandbox and the commands -------------------------------------------------------


@dataclass
class Outbox:
    """One sandbox process and the environment of the chorusflow commands that use it."""

    folder: Path
    sandbox: Served
    api: Api
    env: dict[str, str]

    def stop(self) -> None:
        self.api.http.close()
        self.sandbox.stop()

    def set_faults(self, spec: str) -> None:
        """Replace the sandbox's fault plan (its times count from now; its counters restart)."""
        answer = self.api.http.put("/admin/faults", content=spec)
        answer.raise_for_status()

    def faults_seen(self) -> Counter[str]:
        return Counter(self.api.http.get("/admin/faults/seen").json())


def start(folder: Path, db_url: str, *sandbox_options: str, **outbox: float) -> Outbox:
    """A sandbox process (``sandbox_options`` for ``serve``), and a configuration directory
    whose ``[outbox]`` table holds ``outbox`` (``read_timeout`` goes to ``[http]``)."""
    sandbox, api = launch(folder, *sandbox_options, log=folder / "sandbox.log")
    config = folder / f"config-{uuid.uuid4().hex[:6]}"
    config.mkdir()
    http = {"read_timeout": outbox.pop("read_timeout")} if "read_timeout" in outbox else {}
    lines = ["[http]", *(f"{k} = {v}" for k, v in http.items()), "[outbox]"]
    lines += [f"{key} = {value}" for key, value in outbox.items()]
    (config / "config.toml").write_text("\n".join(lines) + "\n", "utf-8")
    app = next(a for a in api.data["applications"] if "factures" in a["apis"])
    account = api.party(SUPPLIER)["technical_account"]
    env = {
        **os.environ,
        "CHORUSFLOW_CONFIG_DIR": str(config),
        "CHORUSFLOW_ENV": "sandbox",
        "CHORUSFLOW_TOKEN_URL": api.data["token_url"],
        "CHORUSFLOW_API_URL": api.data["api_url"],
        "CHORUSFLOW_CLIENT_ID": app["client_id"],
        "CHORUSFLOW_CLIENT_SECRET": app["client_secret"],
        "CHORUSFLOW_LOGIN": account["login"],
        "CHORUSFLOW_PASSWORD": account["password"],
        "CHORUSFLOW_DB": db_url,
        "NO_PROXY": "127.0.0.1,localhost",
    }
    return Outbox(folder, sandbox, api, env)


def command(name: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "chorusflow", name, *args]


@dataclass(frozen=True)
class Finished:
    """A command that ran to its end: exit code, seconds, peak memory (MB): the RSS
    high-water mark of its largest process, and the highest sum of the proportional set
    sizes (PSS: pages shared after fork counted once) of it and its children."""

    code: int
    seconds: float
    peak_mb: float
    tree_mb: float = 0.0


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as found:
            return [int(p) for p in found.read().split()]
    except (OSError, ValueError):
        return []


def tree_pss_mb(pid: int) -> float:
    """PSS of a process and its children, in MB (0 where /proc cannot tell)."""
    return sum(_pss_kb(p) for p in (pid, *_children(pid))) / 1024


def run(outbox: Outbox, args: list[str], log: Path) -> Finished:
    """Run one command to its end, measuring its RSS high-water mark (wait4) and, every
    0.2 s, the PSS of its process tree."""
    started = time.perf_counter()
    tree = 0.0
    with log.open("ab") as out:
        process = subprocess.Popen(args, env=outbox.env, stdout=out, stderr=out)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            tree = max(tree, tree_pss_mb(process.pid))
            time.sleep(0.2)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    return Finished(process.returncode, seconds, usage.ru_maxrss / 1024, tree)


def send(outbox: Outbox, paths: Sequence[Path], syntax: str, per_call: int) -> list[Finished]:
    """``chorusflow send --format SYNTAX`` on ``per_call`` files at a time, one call after the
    other (a failing call raises with its log)."""
    log = outbox.folder / "send.log"
    done = []
    for first in range(0, len(paths), per_call):
        chunk = [str(p) for p in paths[first : first + per_call]]
        finished = run(outbox, command("send", "--format", syntax, *chunk), log)
        if finished.code != 0:
            tail = log.read_text("utf-8", "replace")[-3000:]
            raise RuntimeError(f"chorusflow send exited {finished.code}:\n{tail}")
        done.append(finished)
    return done


@dataclass
class Workers:
    """``chorusflow worker`` processes on one outbox: started, killed, restarted, stopped."""

    outbox: Outbox
    poll: float = 0.05
    running: list[subprocess.Popen[bytes]] = field(default_factory=list)
    peak_mb: float = 0.0
    exits: Counter[int] = field(default_factory=Counter)
    born: dict[int, float] = field(default_factory=dict)
    settled: float = 4.0
    """Seconds a new worker is left to start (import, connect) before it may be killed."""

    def start(self, count: int = 1) -> None:
        log = (self.outbox.folder / "workers.log").open("ab")
        for _ in range(count):
            args = command("worker", "--poll", str(self.poll))
            process = subprocess.Popen(args, env=self.outbox.env, stdout=log, stderr=log)
            self.running.append(process)
            self.born[process.pid] = time.monotonic()
        log.close()

    def reap(self, process: subprocess.Popen[bytes], limit: float = 60.0) -> int:
        """Wait for the process's end (SIGKILL past ``limit`` s); its exit code."""
        deadline = time.monotonic() + limit
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                deadline = float("inf")
            time.sleep(0.02)
        process.returncode = code = os.waitstatus_to_exitcode(status)
        self.peak_mb = max(self.peak_mb, usage.ru_maxrss / 1024)
        self.exits[code] += 1
        return code

    def died(self) -> list[int]:
        """Exit codes of workers that ended by themselves (reaped, replaced by nothing)."""
        codes = []
        for process in list(self.running):
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                process.returncode = code = os.waitstatus_to_exitcode(status)
                self.peak_mb = max(self.peak_mb, usage.ru_maxrss / 1024)
                self.running.remove(process)
                codes.append(code)
                self.exits[code] += 1
        return codes

    def catch(
        self, engine: Engine, chosen: random.Random, *, during_deposit: bool, wait: float = 8.0
    ) -> subprocess.Popen[bytes] | None:
        """Freeze (SIGSTOP) one worker that has been up for a while, at a random moment or,
        ``during_deposit``, while it holds invoices between a deposit and its commit; None
        when none was caught within ``wait`` seconds (it is let go)."""
        grown = [p for p in self.running if time.monotonic() - self.born[p.pid] > self.settled]
        if not grown:
            time.sleep(0.1)
            return None
        if not during_deposit:
            time.sleep(chosen.uniform(0.0, 1.0))
            process = chosen.choice(grown)
            process.send_signal(signal.SIGSTOP)
            return process
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            for process in grown:
                if depositing_held_by(engine, process.pid):
                    process.send_signal(signal.SIGSTOP)
                    if depositing_held_by(engine, process.pid):
                        return process
                    process.send_signal(signal.SIGCONT)
            time.sleep(0.01)
        return None

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        process.send_signal(signal.SIGKILL)
        self.running.remove(process)
        self.reap(process)

    def stop(self) -> None:
        for process in self.running:
            process.send_signal(signal.SIGTERM)
        for process in self.running:
            self.reap(process)
        self.running.clear()


def maxrss_children_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


# --- watching the outbox and counting ---------------------------------------------------


def reader(url: str) -> Engine:
    """An engine that only reads the outbox while workers run. Not the Store's: on SQLite its
    transactions take the write lock (BEGIN IMMEDIATE), and a worker frozen while holding it
    would stall the reader; a plain WAL reader never waits."""
    return create_engine(url)


def states(engine: Engine) -> Counter[str]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT state, count(*) FROM invoices GROUP BY state"))
        return Counter({str(state): int(count) for state, count in rows})


def on_platform(engine: Engine) -> int:
    found = states(engine)
    return sum(found[s.value] for s in ON_PLATFORM)


def wait_on_platform(engine: Engine, total: int, limit: float, workers: Workers | None) -> float:
    """Wait until ``total`` invoices are on the platform; the seconds it took (TimeoutError
    past ``limit``; RuntimeError when every worker died)."""
    started = time.perf_counter()
    while on_platform(engine) < total:
        if time.perf_counter() - started > limit:
            raise TimeoutError(f"{dict(states(engine))} after {limit:.0f} s")
        if workers is not None and workers.running and len(workers.died()) and not workers.running:
            raise RuntimeError(f"every worker ended by itself: {dict(workers.exits)}")
        time.sleep(0.1)
    return time.perf_counter() - started


def depositing_held_by(engine: Engine, pid: int) -> int:
    """Invoices a worker process holds between its deposit and the commit that follows."""
    with engine.connect() as connection:
        return int(
            connection.scalar(
                text(
                    "SELECT count(*) FROM invoices WHERE state = 'depositing' "
                    "AND lease_owner LIKE :owner"
                ),
                {"owner": f"%:{pid}:%"},
            )
            or 0
        )


def platform_invoices(api: Api, prefix: str) -> list[dict[str, Any]]:
    """Every invoice of :data:`SUPPLIER` on the sandbox whose number starts with ``prefix``,
    read through rechercherFactureParFournisseur (all pages)."""
    found: list[dict[str, Any]] = []
    page = 1
    while True:
        answer = api.call(
            SEARCH,
            {
                "rechercheFactureParFournisseur": {
                    "nbResultatsParPage": 1000,
                    "pageResultatDemandee": page,
                }
            },
            SUPPLIER,
        )
        items = answer.get("listeFactures") or []
        found += [i for i in items if str(i.get("numeroFacture", "")).startswith(prefix)]
        pages = int(answer.get("parametresRetour", {}).get("pages", 1) or 1)
        if page >= pages or not items:
            return found
        page += 1


@dataclass
class Census:
    """What the outbox and the sandbox agree on, invoice by invoice."""

    invoices: int
    integrated: int = 0
    lost: int = 0
    duplicated: int = 0
    disagree: int = 0
    stuck: int = 0
    adopted: int = 0
    """Deposits that landed without their commit (crash or lost answer), found and adopted."""
    resent: int = 0
    """Invoices proved absent after an uncertain deposit and sent again."""
    notes: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.integrated == self.invoices and not (
            self.lost or self.duplicated or self.disagree or self.stuck
        )


def census(store: Store, api: Api, prefix: str, total: int) -> Census:
    """Compare every outbox invoice with the sandbox (after the workers stopped)."""
    result = Census(total)
    on_sandbox: dict[str, list[dict[str, Any]]] = {}
    for item in platform_invoices(api, prefix):
        on_sandbox.setdefault(str(item["numeroFacture"]), []).append(item)
    records = store.invoices()
    result.duplicated = sum(1 for items in on_sandbox.values() if len(items) > 1)
    numbers = {r.number for r in records}
    result.lost = sum(1 for n in numbers if n not in on_sandbox)
    if len(records) != total:
        result.notes.append(f"{len(records)} invoices in the outbox, {total} expected")
    for record in records:
        if record.lease_owner is not None or record.state in (State.DEPOSITING, State.CHECKED):
            result.stuck += 1
            result.notes.append(f"stuck: {record.number} {record.state} {record.lease_owner}")
            continue
        if record.state in ON_PLATFORM:
            result.integrated += 1
        items = on_sandbox.get(record.number, [])
        if len(items) != 1:
            continue
        [item] = items
        status = str(item.get("statut", ""))
        if item.get("identifiantFactureCPP") != record.cpp_id or (
            state_of_status(status) is not record.state
        ):
            result.disagree += 1
            result.notes.append(
                f"disagree: {record.number} outbox {record.state} {record.cpp_id}, "
                f"sandbox {status} {item.get('identifiantFactureCPP')}"
            )
    with store.engine.connect() as connection:
        result.adopted = int(
            connection.scalar(
                text("SELECT count(DISTINCT invoice_id) FROM transitions WHERE reason LIKE :r"),
                {"r": "%adopted%"},
            )
            or 0
        )
        result.resent = int(
            connection.scalar(
                text("SELECT count(DISTINCT invoice_id) FROM transitions WHERE reason LIKE :r"),
                {"r": "%provably absent%"},
            )
            or 0
        )
    return result


def scratch(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"chorusflow-{prefix}-"))


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {one:.2f} (1 min), {five:.2f} (5 min)"
