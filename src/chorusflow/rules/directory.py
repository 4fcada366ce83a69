"""Where the buyers' demands come from: the Chorus Pro directory, or a file standing in for it.

A :class:`Directory` answers, for a buyer's SIRET, what Chorus Pro knows of that public
structure (:class:`~chorusflow.rules.chorus.BuyerDirectoryEntry`). Two implementations: the
file a user gives with ``validate --directory FILE`` (:class:`FileDirectory`, here), and the
live directory read through the client (in :mod:`chorusflow.chorus`, which depends on this
layer and not the other way round).

The file is JSON (docs/validation.md shows it in full)::

    {"complete": false,
     "structures": [{"siret": "12345678200028", "name": "Mairie",
                     "service_code_required": true,
                     "services": [{"code": "SERVICE_DEST_SERV_OBL"}]}]}

``complete`` says whether the file lists every structure the user may invoice: when it does,
a SIRET absent from it is an error; when it does not (the default), only a warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pydantic import ConfigDict, TypeAdapter, ValidationError

from chorusflow.errors import ChorusflowError, InputError
from chorusflow.formats.limits import MiB
from chorusflow.formats.model_json import error_path
from chorusflow.rules.chorus import BuyerDirectoryEntry

#: A directory file is a list of structures: a few MiB hold tens of thousands of them.
MAX_DIRECTORY_BYTES = 16 * MiB


class DirectoryUnavailableError(ChorusflowError):
    """The directory could not answer now (Chorus Pro unreachable, refused credentials).

    A :class:`Directory` raises it when its caller should go on without the buyer's demands
    (``send`` queues the invoice all the same; the flow report will judge them).
    """


class Directory(Protocol):
    """A source of the buyers' demands, keyed by SIRET."""

    @property
    def complete(self) -> bool:
        """True when a SIRET it does not know is unknown to Chorus Pro itself."""
        ...

    def lookup(self, siret: str) -> BuyerDirectoryEntry | None:
        """The structure with this SIRET, or None when the directory does not list it."""
        ...


@dataclass(frozen=True, slots=True)
class _DirectoryFile:
    __pydantic_config__ = ConfigDict(extra="forbid")

    structures: tuple[BuyerDirectoryEntry, ...]
    complete: bool = False


_FILE = TypeAdapter(_DirectoryFile)


@dataclass(frozen=True, slots=True)
class FileDirectory:
    """A directory held in memory, usually read from a user's JSON file."""

    entries: Mapping[str, BuyerDirectoryEntry] = field(default_factory=dict)
    complete: bool = False

    @classmethod
    def of(cls, entries: Iterable[BuyerDirectoryEntry], *, complete: bool = False) -> FileDirectory:
        """A directory of ``entries``; a SIRET listed twice is refused."""
        table: dict[str, BuyerDirectoryEntry] = {}
        for entry in entries:
            if entry.siret in table:
                raise InputError(
                    f"The directory lists the SIRET {entry.siret} twice.",
                    "Keep one entry per structure and put all its services in it.",
                )
            table[entry.siret] = entry
        return cls(table, complete)

    def lookup(self, siret: str) -> BuyerDirectoryEntry | None:
        return self.entries.get(siret)


def read_directory(data: bytes, name: str = "the directory file") -> FileDirectory:
    """Parse a directory file (JSON), or raise :class:`InputError` in one sentence."""
    if len(data) > MAX_DIRECTORY_BYTES:
        raise InputError(f"{name} is over the {MAX_DIRECTORY_BYTES // MiB} MiB limit.")
    try:
        parsed = _FILE.validate_json(data, strict=True)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = error_path(tuple(error["loc"]))
        unknown = error["type"] in ("unexpected_keyword_argument", "extra_forbidden")
        message = "unknown field" if unknown else error["msg"].rstrip(".").lower()
        what = (
            "is not valid JSON"
            if error["type"] == "json_invalid"
            else f"is wrong at '{where}': {message}"
            if where
            else f"is wrong: {message}"
        )
        raise InputError(
            f"{name} {what}.",
            "docs/validation.md shows the directory file format.",
        ) from None
    return FileDirectory.of(parsed.structures, complete=parsed.complete)


def read_directory_path(path: Path) -> FileDirectory:
    """Read the directory file at ``path`` (size checked before reading)."""
    try:
        size = path.stat().st_size
        if size > MAX_DIRECTORY_BYTES:
            raise InputError(f"{path} is over the {MAX_DIRECTORY_BYTES // MiB} MiB limit.")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"Cannot read the directory file {path}: {exc.strerror or exc}.",
            "Check the path given to --directory.",
        ) from None
    return read_directory(data, str(path))
