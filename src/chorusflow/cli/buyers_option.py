"""Where `validate` and `send` read the buyers' demands: a file, or the live directory."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from chorusflow.rules.directory import Directory, read_directory_path

if TYPE_CHECKING:
    from chorusflow.chorus import Settings

DirectoryOption = Annotated[
    Path | None,
    typer.Option(
        "--directory",
        metavar="FILE",
        help="JSON file of the buyers' demands (docs/validation.md).",
    ),
]
OfflineOption = Annotated[
    bool,
    typer.Option(
        "--offline",
        help="Do not ask Chorus Pro's directory, even when a connection is configured.",
    ),
]


def buyers_directory(
    path: Path | None, *, offline: bool, stack: ExitStack, settings: Settings | None = None
) -> Directory | None:
    """The directory file given, else the live directory when a connection is configured.

    ``settings`` are the caller's when it has loaded them; otherwise they are loaded here
    (the chorus layer is imported only then: it is slow to import).
    """
    if path is not None:
        return read_directory_path(path)
    if offline:
        return None
    from chorusflow.chorus import ChorusClient, ChorusDirectory, ConfigurationError, load_settings

    if settings is None:
        try:
            settings = load_settings()
        except ConfigurationError:
            return None  # not configured: the buyers' demands are not checked
    client = stack.enter_context(ChorusClient.from_settings(settings))
    return ChorusDirectory(client)
