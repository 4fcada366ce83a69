"""Running the sandbox under uvicorn: in the foreground (the CLI) or in a thread (tests, demo)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from chorusflow.errors import ChorusflowError
from chorusflow.sandbox.app import TOKEN_PATH, create_app
from chorusflow.sandbox.faults import FaultPlan
from chorusflow.sandbox.settings import SandboxSettings
from chorusflow.sandbox.store import Store


def _config(
    db: Path, settings: SandboxSettings, faults: FaultPlan | None, host: str, port: int
) -> tuple[uvicorn.Config, Store]:
    store = Store(db)
    app = create_app(store, settings, faults)
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, lifespan="on"
    )
    return config, store


def serve(
    db: Path,
    settings: SandboxSettings,
    faults: FaultPlan | None = None,
    host: str = "127.0.0.1",
    port: int = 8340,
) -> None:
    """Serve until interrupted."""
    config, store = _config(db, settings, faults, host, port)
    try:
        uvicorn.Server(config).run()
    finally:
        store.close()


@dataclass
class RunningSandbox:
    """A sandbox serving in a background thread."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread
    store: Store

    @property
    def token_url(self) -> str:
        return self.url + TOKEN_PATH

    @property
    def api_url(self) -> str:
        return self.url

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.store.close()


def start(
    db: Path,
    settings: SandboxSettings,
    faults: FaultPlan | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
) -> RunningSandbox:
    """Start a sandbox in a thread on ``port`` (0: a free one) and wait until it answers."""
    config, store = _config(db, settings, faults, host, port)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="sandbox-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise ChorusflowError(f"The sandbox could not start on {host}:{port}.")
        time.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    return RunningSandbox(f"http://{host}:{bound}", server, thread, store)
