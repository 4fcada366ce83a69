"""The outbox's tests: a store on SQLite or PostgreSQL, and a sandbox with a buyer that pays."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from chorusflow.chorus import ChorusClient
from chorusflow.outbox import Packing, Store, WorkerOptions
from chorusflow.sandbox.settings import FAST
from tests.chorus.conftest import Bench, start_bench

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

#: Timings for a sandbox whose flows are processed in 50 ms.
QUICK = WorkerOptions(
    packing=Packing(max_invoices=20),
    lease=2.0,
    settle_delay=0.4,
    rate=None,
    backoff_base=0.02,
    backoff_cap=0.2,
    flow_poll=0.03,
    flow_poll_cap=0.2,
    lifecycle_poll=0.03,
    lifecycle_poll_cap=0.2,
    idle_poll=0.02,
)


def postgres_answers() -> bool:
    try:
        engine = create_engine(PG_ADMIN, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except OperationalError:
        return False


@pytest.fixture(scope="session")
def pg_available() -> bool:
    return postgres_answers()


@pytest.fixture
def pg_url(pg_available: bool) -> Iterator[str]:
    """A fresh PostgreSQL database, dropped afterwards (skipped when no server answers)."""
    if not pg_available:
        pytest.skip("no PostgreSQL server answers at 127.0.0.1:5432")
    name = f"chorusflow_outbox_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'outbox.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def paying(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    """A sandbox whose simulated buyer pays every invoice (FAST delays)."""
    stop, bench = start_bench(tmp_path_factory.mktemp("outbox-sandbox"), policy=FAST.policy)
    yield bench
    stop()


def accounts(bench: Bench) -> Callable[[str], ChorusClient]:
    """A client per supplier SIRET of the data set (each deposits for its own structure)."""
    made: dict[str, ChorusClient] = {}

    def client_for(supplier: str) -> ChorusClient:
        if supplier not in made:
            made[supplier] = bench.client(supplier)
        return made[supplier]

    return client_for


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "simple-invoice.json"


def invoice_file(
    directory: Path, number: str, syntax: str = "json", *, changes: dict[str, object] | None = None
) -> Path:
    """The bundled simple invoice under another number, as JSON or written in ``syntax``."""
    import json

    from chorusflow.formats.document import read_document
    from chorusflow.formats.profiles import Profile, Syntax
    from chorusflow.rules.produce import produce

    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["number"] = number
    data["payment"]["remittance_information"] = number
    data.update(changes or {})
    raw = json.dumps(data).encode()
    if syntax == "json":
        path = directory / f"{number}.json"
        path.write_bytes(raw)
        return path
    target = Syntax(syntax)
    invoice = read_document(raw, "x.json").invoice
    level = Profile.EN16931 if target in (Syntax.CII, Syntax.FACTURX) else None
    path = directory / f"{number}.{'pdf' if target is Syntax.FACTURX else 'xml'}"
    path.write_bytes(produce(invoice, target, level))
    return path
