"""The child process the hostile-input tests measure: many files, one process, one line each.

It reads jobs (one JSON object a line) on standard input and answers one JSON line per job on
the descriptor that was standard output when it started. Everything a job prints, the
``chorusflow`` command's output and anything C libraries write to descriptors 1 and 2, is
captured and returned, so the parent judges exactly what a user would see. Each answer carries
the job's time and the process's peak resident memory so far (``ru_maxrss``).

Jobs: ``{"cli": [ARGS...]}`` runs ``chorusflow ARGS`` through its real entry point;
``{"deposit": PATH, "syntax": S}`` deposits the file as a flow in a sandbox this process runs
over loopback and waits for the flow report; ``{"health": true}`` asks that sandbox's
health-check; ``{"ready": true}`` answers once set up.
"""

from __future__ import annotations

import base64
import io
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from chorusflow.cli.main import run
from tests.sandbox.conftest import FAST, Api, launch
from tests.sandbox.invoices import SUPPLIER

#: The sandbox as fast as it goes: flows processed as soon as deposited.
SETTINGS = FAST.with_(flow_delay=0.0, tick=0.005)
FLUX = "/cpro/factures/v1/deposer/flux"


class Captured:
    """Descriptors 1 and 2 (and sys.stdout/sys.stderr) sent to a file for one job."""

    def __enter__(self) -> Captured:
        sys.stdout.flush()
        sys.stderr.flush()
        self.saved = (os.dup(1), os.dup(2), sys.stdout, sys.stderr)
        self.out = tempfile.TemporaryFile()
        self.err = tempfile.TemporaryFile()
        os.dup2(self.out.fileno(), 1)
        os.dup2(self.err.fileno(), 2)
        sys.stdout = io.TextIOWrapper(os.fdopen(os.dup(1), "wb"), encoding="utf-8")
        sys.stderr = io.TextIOWrapper(os.fdopen(os.dup(2), "wb"), encoding="utf-8")
        return self

    def __exit__(self, *exc: object) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout.close()
        sys.stderr.close()
        one, two, sys.stdout, sys.stderr = self.saved
        os.dup2(one, 1)
        os.dup2(two, 2)
        os.close(one)
        os.close(two)

    def texts(self) -> tuple[str, str]:
        texts = []
        for file in (self.out, self.err):
            file.seek(0)
            texts.append(file.read().decode("utf-8", "replace"))
            file.close()
        return texts[0], texts[1]


def peak_mb() -> float:
    """This process's peak resident memory: VmHWM, which starts anew at exec.

    ``ru_maxrss`` does not: Linux keeps the high-water mark of the process that forked us
    (a pytest worker of 1 GB made every file "use" 1 GB).
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cli(args: list[str]) -> dict[str, Any]:
    with Captured() as captured:
        try:
            code = run(args)
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 3)
        except BaseException as escaped:
            print(f"ESCAPED {type(escaped).__name__}: {escaped}", file=sys.stderr)
            code = -1
    stdout, stderr = captured.texts()
    return {"exit": code, "stdout": stdout[:200_000], "stderr": stderr[:20_000]}


class Sandbox:
    """A sandbox in this process, started on the first deposit."""

    def __init__(self) -> None:
        self.api: Api | None = None

    def client(self) -> Api:
        if self.api is None:
            self.directory = tempfile.TemporaryDirectory()
            self.server, self.api = launch(Path(self.directory.name), SETTINGS)
        return self.api

    def deposit(self, path: str, syntax: str) -> dict[str, Any]:
        api = self.client()
        # the body is built as bytes once: this process's memory is the sandbox's to measure
        fields = json.dumps({"nomFichier": Path(path).name, "syntaxeFlux": syntax}).encode()
        body = b'{"fichierFlux": "' + base64.b64encode(Path(path).read_bytes())
        body += b'", ' + fields[1:]
        answer = api.http.post(FLUX, content=body, headers=api.headers(SUPPLIER))
        del body
        result: dict[str, Any] = {"http": answer.status_code}
        try:
            data = answer.json()
        except ValueError:
            return result | {"body": answer.text[:500]}
        result["codeRetour"] = data.get("codeRetour")
        numero = data.get("numeroFluxDepot")
        if answer.status_code != 200 or data.get("codeRetour") != 0 or not numero:
            return result | {"libelle": data.get("libelle")}
        report = api.report(numero, SUPPLIER, timeout=30)
        return result | {
            "etat": report["etatCourantDepotFlux"],
            "technical": [e["codeErreur"] for e in report.get("listeErreurTechnique") or []],
            "dp": len(report.get("listeErreurDP") or []),
            "integrated": len(api.invoices_of_flow(numero, SUPPLIER)),
        }

    def health(self) -> dict[str, Any]:
        api = self.client()
        answer = api.http.get("/cpro/transverses/v1/health-check", headers=api.headers(SUPPLIER))
        return {"http": answer.status_code, "status": answer.json().get("statusCode")}


def main() -> None:
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    sandbox = Sandbox()
    for line in sys.stdin:
        job = json.loads(line)
        start = time.perf_counter()
        if "cli" in job:
            result = cli(job["cli"])
        elif "deposit" in job:
            result = sandbox.deposit(job["deposit"], job["syntax"])
        elif "health" in job:
            result = sandbox.health()
        else:
            if job.get("sandbox"):
                sandbox.client()
            result = {"ready": True}
        result |= {"seconds": time.perf_counter() - start, "peak_mb": peak_mb()}
        channel.write(json.dumps(result) + "\n")
        channel.flush()


if __name__ == "__main__":
    main()
