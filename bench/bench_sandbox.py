"""Sandbox speed: API calls per second, and invoices integrated per second (UBL and CII).

    python -m bench sandbox        # CHORUSFLOW_BENCH_SCALE=0.2 for a quick look

One sandbox process (`chorusflow sandbox serve`: uvicorn + its processor thread) on
loopback with a fresh SQLite database; the clients run in this process.
Calls: a supplier search and a history consultation, from 1 and from 4 client threads.
Integration: batches of 100 invoices in tar.gz flows, timed from the first deposit to the
last flow report, with the native EN 16931 engine (the default), the official
schematron, and the XSD only.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.sandbox.conftest import Api  # noqa: E402
from tests.sandbox.invoices import SUPPLIER, Facture, cii, tar_gz, ubl  # noqa: E402

SCALE = float(os.environ.get("CHORUSFLOW_BENCH_SCALE", "1"))
BATCH = 100


@dataclass
class Served:
    """A sandbox served by its own process (``chorusflow sandbox serve``), as users run it."""

    url: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def launch(folder: Path, *options: str, log: Path | None = None) -> tuple[Served, Api]:
    """A sandbox process on a free port with a fresh database in ``folder`` (its stderr in
    ``log`` when given)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "chorusflow", "sandbox", "serve", "--port", str(port)]
    command += ["--db", str(folder / f"{uuid.uuid4().hex}.db"), "--flow-delay", "0", *options]
    errors = log.open("ab") if log is not None else None
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
    if errors is not None:
        errors.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            data = httpx.post(url + "/admin/dataset", timeout=60).json()
            break
        except httpx.TransportError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise
            time.sleep(0.1)
    served = Served(url, process)
    return served, Api(served, data)  # type: ignore[arg-type]


def calls_per_second(api: Api, threads: int, total: int) -> float:
    headers = api.headers(SUPPLIER)
    facture_id = api.data["invoices"][0]["id"]
    bodies = [
        (
            "/cpro/factures/v1/rechercher/fournisseur",
            {"rechercheFactureParFournisseur": {"nbResultatsParPage": 10}},
        ),
        ("/cpro/factures/v1/consulter/historique", {"idFacture": facture_id}),
    ]

    def worker(count: int) -> None:
        with httpx.Client(base_url=api.sandbox.url, timeout=30) as client:
            for i in range(count):
                path, body = bodies[i % 2]
                answer = client.post(path, json=body, headers=headers)
                assert answer.status_code == 200, answer.text

    start_at = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, [total // threads] * threads))
    return (total // threads * threads) / (time.perf_counter() - start_at)


def integrated_per_second(api: Api, writer: object, syntaxe: str, total: int) -> float:
    prefix = uuid.uuid4().hex[:6]
    flows = []
    batches = [
        tar_gz(
            {f"{prefix}-{b}-{i}.xml": writer(Facture(f"{prefix}-{b}-{i}")) for i in range(BATCH)}
        )  # type: ignore[operator]
        for b in range(total // BATCH)
    ]
    start_at = time.perf_counter()
    for b, data in enumerate(batches):
        flows.append(api.deposit(data, f"lot{b}.tar.gz", syntaxe, SUPPLIER))
    integrated = 0
    for numero in flows:
        report = api.report(numero, SUPPLIER, timeout=3600)
        assert report["etatCourantDepotFlux"] == "IN_INTEGRE", report
        integrated += BATCH
    return integrated / (time.perf_counter() - start_at)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-sandbox-"))
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} (other work on it)"
    )
    sandbox, api = launch(folder, "--manual-buyer")
    try:
        calls = int(2000 * SCALE)
        for threads in (1, 4):
            rate = calls_per_second(api, threads, calls)
            print(f"API calls/s, {threads} client thread(s), {calls} calls: {rate:,.0f} (≥ 300)")
    finally:
        sandbox.stop()
    for engine, count in (
        ("native", int(1000 * SCALE)),
        ("xsd", int(1000 * SCALE)),
        ("official", int(200 * SCALE)),
    ):
        sandbox, api = launch(folder, "--manual-buyer", "--en16931", engine)
        try:
            for name, writer, syntaxe in (
                ("UBL", ubl, "IN_DP_E1_UBL_INVOICE"),
                ("CII", cii, "IN_DP_E1_CII_16B"),
            ):
                total = max(BATCH, count // BATCH * BATCH)
                rate = integrated_per_second(api, writer, syntaxe, total)
                print(
                    f"invoices integrated/s, {name}, EN 16931 check '{engine}', {total} "
                    f"invoices in flows of {BATCH}: {rate:,.1f} (≥ 100)"
                )
        finally:
            sandbox.stop()


if __name__ == "__main__":
    main()
