"""Opening PDFs that may be hostile: bounded in size, in inflation and in repair work.

Every PDF chorusflow reads goes through :func:`open_pdf`. It refuses what is not a PDF, what
is over :data:`~chorusflow.formats.limits.MAX_INPUT_BYTES`, encrypted files and files whose
cross-reference structure is broken (a truncated download, a file cut by a mail gateway):
qpdf's repair would rebuild them by scanning, and an invoice whose structure is damaged should
be sent again rather than guessed at. qpdf's decoders are given memory limits, so a
decompression bomb stops with an error instead of exhausting the machine, and
:func:`read_stream` inflates an embedded file itself, stopping at a given size.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

import pikepdf
import pikepdf.settings

from chorusflow.errors import InputError
from chorusflow.formats.limits import MAX_INPUT_BYTES, MiB

#: Most memory qpdf may use to decode one stream (Flate, predictors, RunLength, JPEG).
#: Process-wide: qpdf keeps its limits globally. A legitimate invoice page stays far below.
DECODE_LIMIT: Final = 256 * MiB
_HEADER_WINDOW: Final = 1024  # ISO 32000-1 7.5.2 lets the %PDF- header start this late

pikepdf.settings.set_qpdf_limits(
    flate_max_memory=DECODE_LIMIT,
    png_max_memory=DECODE_LIMIT,
    tiff_max_memory=DECODE_LIMIT,
    run_length_max_memory=DECODE_LIMIT,
    dct_max_memory=DECODE_LIMIT,
    doc_max_warnings=200,
)


def _damaged(what: str) -> InputError:
    return InputError(
        f"The {what} is damaged or truncated: its cross-reference table cannot be read.",
        "Export or download the PDF again and check that the whole file was copied.",
    )


def check_pdf_bytes(data: bytes, what: str = "PDF") -> None:
    """Refuse, before any parsing, what is too large or not a PDF."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(
            f"The {what} is {len(data) // MiB} MiB, over the {MAX_INPUT_BYTES // MiB} MiB limit.",
            "Chorus Pro takes at most 10 MB a flow: reduce the images or attachments.",
        )
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        raise InputError(
            f"The {what} is not a PDF: it does not start with the %PDF- header.",
            "Give a PDF file (a Factur-X invoice or the PDF to embed the XML into).",
        )


@contextmanager
def open_pdf(data: bytes, what: str = "PDF") -> Iterator[pikepdf.Pdf]:
    """The parsed PDF, or :class:`InputError` in one sentence."""
    check_pdf_bytes(data, what)
    try:
        pdf = pikepdf.open(io.BytesIO(data), attempt_recovery=False)
    except pikepdf.PasswordError:
        raise InputError(
            f"The {what} is encrypted.",
            "Give the unprotected PDF: PDF/A forbids encryption.",
        ) from None
    except (pikepdf.PdfError, ValueError, OSError, RuntimeError):
        raise _damaged(what) from None
    if pdf.is_encrypted:  # encrypted with an empty user password: it opens, yet is refused
        pdf.close()
        raise InputError(
            f"The {what} is encrypted.",
            "Give the unprotected PDF: PDF/A forbids encryption.",
        )
    try:
        yield pdf
    finally:
        pdf.close()


def read_stream(stream: pikepdf.Stream, limit: int, what: str) -> bytes:
    """The decoded data of ``stream``, inflating at most ``limit`` bytes.

    Only unfiltered and Flate streams are read (every Factur-X and ZUGFeRD producer writes
    those); the inflation stops one byte past ``limit``, so a bomb costs at most that much.
    """
    filters = stream.get("/Filter")
    names: list[str]
    if filters is None:
        names = []
    elif isinstance(filters, pikepdf.Name):
        names = [str(filters)]
    elif isinstance(filters, pikepdf.Array):
        names = [str(item) for item in filters]
    else:
        raise InputError(f"The {what} has an unreadable /Filter entry.")
    if any(name not in {"/FlateDecode", "/Fl"} for name in names):
        raise InputError(
            f"The {what} is encoded with {' '.join(names)}, which chorusflow does not read.",
            "Embed the file with Flate compression (FlateDecode) or none.",
        )
    if stream.get("/DecodeParms") is not None and names:
        raise InputError(
            f"The {what} uses Flate with predictor parameters, which chorusflow does not read.",
            "Embed the file with plain Flate compression.",
        )
    try:
        data = stream.read_raw_bytes()
    except pikepdf.PdfError:
        raise InputError(f"The {what} cannot be read from the PDF.") from None
    for _ in names:
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(data, limit + 1)
        except zlib.error:
            raise InputError(
                f"The {what} is corrupt: its compressed data does not inflate.",
                "Produce the PDF again.",
            ) from None
        if not inflater.eof and len(inflated) <= limit:
            raise InputError(
                f"The {what} is truncated: its compressed data ends early.",
                "Produce the PDF again.",
            )
        if len(inflated) > limit:
            raise InputError(
                f"The {what} inflates to more than {limit // MiB} MiB, which chorusflow refuses.",
                "An invoice XML is a few hundred kilobytes; check where this PDF comes from.",
            )
        data = inflated
    if len(data) > limit:
        raise InputError(f"The {what} is over the {limit // MiB} MiB limit.")
    return data
