"""Flows: which invoices travel together, and the file Chorus Pro receives for them.

A flow is one file, or a tar.gz batch of files of one syntax deposited by one supplier.
Chorus Pro takes at most 10 MB a file and 30 MB unpacked an archive (API.md §13); batches are
bounded in count and in bytes below both.
"""

from __future__ import annotations

import io
import re
import tarfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from chorusflow.chorus.wire.enums import SyntaxeFlux
from chorusflow.formats.profiles import Syntax

#: The flow syntax of each file syntax chorusflow sends.
SYNTAXE_FLUX: Final = {
    Syntax.UBL: SyntaxeFlux.IN_DP_E1_UBL_INVOICE,
    Syntax.CII: SyntaxeFlux.IN_DP_E1_CII_16B,
    Syntax.FACTURX: SyntaxeFlux.IN_DP_E2_CII_FACTURX,
}
SUFFIX: Final = {Syntax.UBL: ".xml", Syntax.CII: ".xml", Syntax.FACTURX: ".pdf"}
#: Chorus Pro's limit on one flow file (API.md §13), read as 10^7 bytes.
MAX_FLOW_BYTES: Final = 10_000_000
_UNSAFE = re.compile(r"[^A-Za-z0-9_.+-]")


@dataclass(frozen=True, slots=True)
class Packing:
    """How invoices are grouped into flows."""

    max_invoices: int = 50
    """1: one invoice per flow; more: tar.gz batches of up to this many."""
    max_bytes: int = 9_000_000
    """Bytes of the files of one batch, before compression (under the 10 MB file limit)."""


def file_name(number: str, syntax: Syntax) -> str:
    """The ``nomFichier`` of an invoice: its number, made safe for a file name."""
    return (_UNSAFE.sub("_", number) or "facture")[:60] + SUFFIX[syntax]


def batch(sizes: Sequence[int], packing: Packing) -> int:
    """How many of the invoices (with these sizes, in order) go into the next flow (≥ 1)."""
    total, count = 0, 0
    for size in sizes[: packing.max_invoices]:
        if count and total + size > packing.max_bytes:
            break
        total, count = total + size, count + 1
    return max(count, 1)


def flow_file(members: Sequence[tuple[str, bytes]], first_id: int) -> tuple[str, bytes]:
    """The file deposited for ``members`` (name, bytes): the file itself when alone, else a
    tar.gz whose members keep their names (prefixed by their rank, names may repeat)."""
    if len(members) == 1:
        return members[0]
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as archive:
        for rank, (name, data) in enumerate(members, start=1):
            info = tarfile.TarInfo(f"{rank:04d}-{name}")
            info.size = len(data)
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(data))
    return f"lot-{first_id}-{len(members)}.tar.gz", buffer.getvalue()
