"""Unpacking a flow: a single file, or a tar.gz / zip batch, without trusting the archive.

A hostile archive cannot escape (absolute paths, ``..``, links and devices are refused) nor
exhaust the machine (members are read with a byte budget, never by their declared size, and
the count of members is bounded), so zip and tar bombs stop at the limit.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO


class ArchiveError(ValueError):
    """The archive is refused; the message says why, in French, for the flow report."""


@dataclass(frozen=True, slots=True)
class Member:
    """One file of a flow."""

    name: str
    data: bytes


def is_zip(data: bytes) -> bool:
    """A zip's first local header, or the end record alone (an empty zip)."""
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def is_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def _safe_name(name: str) -> str:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        raise ArchiveError(f"Chemin interdit dans l'archive : {name}")
    return str(path)


def _read_bounded(stream: IO[bytes], limit: int, name: str) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(65536, limit + 1 - total))
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise ArchiveError(
                f"Le fichier {name} dépasse la taille autorisée une fois décompressé"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _unzip(data: bytes, max_file: int, max_files: int) -> Iterator[Member]:
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        infos = [i for i in zipped.infolist() if not i.is_dir()]
        if len(infos) > max_files:
            raise ArchiveError(f"L'archive contient plus de {max_files} fichiers")
        for info in infos:
            name = _safe_name(info.filename)
            with zipped.open(info) as stream:
                yield Member(name, _read_bounded(stream, max_file, name))


def _untar(data: bytes, max_file: int, max_files: int) -> Iterator[Member]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        count = 0
        for info in archive:
            if info.isdir():
                continue
            if not info.isfile():
                raise ArchiveError(f"Lien ou fichier spécial interdit : {info.name}")
            count += 1
            if count > max_files:
                raise ArchiveError(f"L'archive contient plus de {max_files} fichiers")
            name = _safe_name(info.name)
            stream = archive.extractfile(info)
            if stream is not None:
                yield Member(name, _read_bounded(stream, max_file, name))


def unpack(data: bytes, *, max_file: int, max_total: int, max_files: int) -> list[Member]:
    """The files of a zip or tar.gz archive, checked; ArchiveError when it is hostile."""
    if is_zip(data):
        members = _unzip(data, max_file, max_files)
    elif is_gzip(data):
        members = _untar(data, max_file, max_files)
    else:
        raise ArchiveError("Format d'archive non reconnu (zip ou tar.gz attendu)")
    out: list[Member] = []
    total = 0
    try:
        for member in members:
            total += len(member.data)
            if total > max_total:
                raise ArchiveError("L'archive dépasse la taille autorisée une fois décompressée")
            out.append(member)
    except ArchiveError:
        raise
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, ValueError, zlib.error) as exc:
        raise ArchiveError(f"Archive illisible : {exc}") from None
    if not out:
        raise ArchiveError("L'archive ne contient aucun fichier")
    return out
