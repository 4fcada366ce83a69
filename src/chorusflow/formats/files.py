"""Reading an input file within the size limit, refusing an oversized one before reading it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from chorusflow.errors import InputError
from chorusflow.formats.limits import MAX_INPUT_BYTES, MiB


def read_input(path: str | os.PathLike[str], limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of ``path``, or :class:`InputError` if it is missing, unreadable or too large.

    The size is checked on the file system first, so a 200 MB file costs nothing; the read
    itself stops one byte past ``limit``, for files that grow or lie about their size
    (pipes, ``/dev/zero``).
    """
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > limit:
            raise InputError(
                f"{file.name} is {size // MiB} MiB, over the {limit // MiB} MiB limit.",
                "Chorus Pro takes at most 10 MB a flow: reduce the images or attachments.",
            )
        with file.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError(f"{file} does not exist.", "Check the path.") from None
    except IsADirectoryError:
        raise InputError(f"{file} is a directory, not a file.") from None
    except PermissionError:
        raise InputError(f"{file} cannot be read (permission denied).") from None
    if len(data) > limit:
        raise InputError(f"{file.name} is over the {limit // MiB} MiB limit.")
    return data


def write_output(path: str | os.PathLike[str], data: bytes, *, private: bool = False) -> None:
    """Write ``data`` to ``path`` atomically: a reader sees the old file or the whole new one.

    The bytes go to a temporary file beside ``path``, are flushed to disk, then renamed over
    it, so an interruption never leaves half a file. ``private`` makes it readable by the
    owner only (0600), for secrets.
    """
    target = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        os.chmod(temporary, 0o600 if private else 0o644 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
