"""Preparing the files of a `send`: read, write in the syntax to send, check — on every core.

Preparing is CPU work (a Factur-X renders a page), so a large `send` hands its files out in
chunks to a pool of processes. What comes back is plain data that pickles cheaply: the bytes
to deposit, the routing fields and the findings, never a model or an XML tree.

Two layers need what only the calling process holds, and run there, on what came back: the
buyers' demands (the directory keeps a connection and a cache) and the duplicates (the
outbox, and the numbers seen earlier in the same call). Their findings carry the model
location but no XPath into the file.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from chorusflow.chorus.environments import Environment
from chorusflow.chorus.rehearsal import Rehearsal, rehearse
from chorusflow.formats.document import Document, read_path, written_document
from chorusflow.formats.profiles import Profile, Syntax
from chorusflow.model import Routing, routing
from chorusflow.outbox.packing import file_name
from chorusflow.rules.chorus import buyer_siret_finding
from chorusflow.rules.duplicates import seller_key
from chorusflow.rules.findings import Finding, Layer, Severity
from chorusflow.rules.produce import FatalFindingsError, write_checked
from chorusflow.rules.validate import ALL_LAYERS, Checks, Validator

#: What the preparing processes check: everything but the duplicates (see the module).
FILE_LAYERS: Final = ALL_LAYERS - {Layer.DUPLICATES}
#: Files a preparing process takes at a time.
CHUNK: Final = 16
#: Chunks handed out per process ahead of the one being queued: bounds the memory.
AHEAD: Final = 2


@dataclass(frozen=True, slots=True)
class PrepareOptions:
    """How a file is prepared (what a preparing process needs: it pickles)."""

    syntax: Syntax = Syntax.FACTURX
    profile: Profile = Profile.EN16931
    rehearsal: Rehearsal | None = None
    environment: Environment | None = None
    luhn: Severity = Severity.FATAL


@dataclass(frozen=True, slots=True)
class Prepared:
    """A file ready to be queued: what will be deposited and what the checks said of it."""

    source: str
    name: str
    """The name of the file that will be deposited."""
    data: bytes
    syntax: Syntax
    supplier: str
    buyer: str | None
    number: str
    seller: str | None
    """Who issued it, as the duplicates layer tells sellers apart."""
    route: Routing | None
    """Routing data for the directory's demands; None when the buyer cannot be looked up."""
    findings: tuple[Finding, ...]
    checked: bool = True
    """False when the writer refused the invoice: ``findings`` are the writer's alone, and
    the layers of the calling process do not run on it."""

    @property
    def valid(self) -> bool:
        return not any(f.fatal for f in self.findings)

    @classmethod
    def of(
        cls, source: str, document: Document, findings: Sequence[Finding], *, checked: bool = True
    ) -> Prepared:
        """The prepared form of a document already read and checked."""
        invoice = document.invoice
        route = routing(invoice)
        return cls(
            source=source,
            name=document.name,
            data=document.data,
            syntax=document.syntax,
            supplier=route.seller_siret or seller_key(invoice) or "unknown",
            buyer=route.buyer_siret,
            number=(invoice.number or "").strip(),
            seller=seller_key(invoice),
            route=route if buyer_siret_finding(invoice) is None else None,
            findings=tuple(findings),
            checked=checked,
        )

    def with_findings(self, findings: Sequence[Finding]) -> Prepared:
        return replace(self, findings=tuple(findings))


def file_validator(options: PrepareOptions) -> Validator:
    """The checks a preparing process runs on each file."""
    return Validator(Checks(layers=FILE_LAYERS, luhn=options.luhn))


def prepare(path: Path, validator: Validator, options: PrepareOptions) -> Prepared:
    """Read ``path``, write it in the syntax to send when needed, and check the file.

    A file chorusflow writes from a JSON invoice is not read back from its bytes (the writer
    states what reading it back gives, :func:`written_document`), and the PDF/A-3b walk of a
    page chorusflow rendered is left to the renderer's tests. Raises
    :class:`ChorusflowError` (exit 2) when the file cannot be read.
    """
    document = read_path(path)
    invoice = document.invoice
    if options.rehearsal and options.environment is not None:
        invoice = rehearse(invoice, options.rehearsal, options.environment)
    own_render = False
    if document.syntax is Syntax.JSON or invoice != document.invoice:
        target = options.syntax if document.syntax is Syntax.JSON else document.syntax
        pdf = document.data if document.syntax is Syntax.FACTURX else None
        level = document.profile or options.profile
        try:
            produced = write_checked(invoice, target, level, pdf=pdf)
        except FatalFindingsError as refused:
            return Prepared.of(str(path), document, refused.findings, checked=False)
        name = file_name(invoice.number or "", target)
        document = written_document(invoice, target, level, produced.data, name)
        own_render = target is Syntax.FACTURX and pdf is None
    report = validator.validate(document, own_render=own_render)
    return Prepared.of(str(path), document, report.findings)


_options = PrepareOptions()
_validator: Validator | None = None


def _start(options: PrepareOptions) -> None:
    global _options, _validator
    _options, _validator = options, file_validator(options)


def _prepare_chunk(paths: list[str]) -> list[Prepared]:
    """Prepare ``paths`` in turn (an unreadable file raises, and pickles whole)."""
    validator = _validator or file_validator(_options)
    return [prepare(Path(path), validator, _options) for path in paths]


def default_jobs() -> int:
    return os.cpu_count() or 1


def prepare_all(
    paths: Sequence[Path], options: PrepareOptions, *, jobs: int | None = None, chunk: int = CHUNK
) -> Iterator[Prepared]:
    """Every file prepared, in the order given, on ``jobs`` processes (default: the CPU
    count; one: in this process). At most ``jobs × AHEAD`` chunks are out at a time, so
    memory stays bounded whatever the number of files. The first file that cannot be read
    raises (in order: the files before it were yielded), and nothing more is prepared.
    """
    jobs = max(1, jobs or default_jobs())
    if jobs == 1 or len(paths) <= chunk:
        validator = file_validator(options)
        for path in paths:
            yield prepare(path, validator, options)
        return
    chunks = [[str(p) for p in paths[i : i + chunk]] for i in range(0, len(paths), chunk)]
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    # the forked processes share this one's memory until they write to it: keep the
    # collector from touching (and so copying) every object already here
    gc.collect()
    gc.freeze()
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(chunks)),
        mp_context=context,
        initializer=_start,
        initargs=(options,),
    )
    pending: deque[Future[list[Prepared]]] = deque()
    try:
        waiting = deque(chunks)
        while waiting and len(pending) < jobs * AHEAD:
            pending.append(pool.submit(_prepare_chunk, waiting.popleft()))
        while pending:
            results = pending.popleft().result()
            if waiting:
                pending.append(pool.submit(_prepare_chunk, waiting.popleft()))
            yield from results
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


__all__ = [
    "CHUNK",
    "PrepareOptions",
    "Prepared",
    "default_jobs",
    "file_validator",
    "prepare",
    "prepare_all",
]
