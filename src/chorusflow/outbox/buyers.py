"""The buyers' demands as `send` asks them: from the live directory, never blocking the queue.

Queueing must work while Chorus Pro is unreachable (the worker delivers when it answers
again), so a directory that cannot answer does not stop `send`: the invoice is queued with a
warning and the flow report judges the buyer's demands. After the first failure the directory
is not asked again during this run, so that a batch does not wait one timeout per invoice.
"""

from __future__ import annotations

from chorusflow.chorus.exceptions import AuthenticationError, TransportError
from chorusflow.rules.chorus import BuyerDirectoryEntry
from chorusflow.rules.directory import Directory, DirectoryUnavailableError


class QueueingDirectory:
    """A :class:`Directory` whose transport or credential failures become
    :class:`DirectoryUnavailableError` (a warning, not an unreadable file)."""

    def __init__(self, inner: Directory) -> None:
        self.inner = inner
        self.failure: str | None = None

    @property
    def complete(self) -> bool:
        return self.inner.complete

    def lookup(self, siret: str) -> BuyerDirectoryEntry | None:
        if self.failure is not None:
            raise DirectoryUnavailableError(self.failure)
        try:
            return self.inner.lookup(siret)
        except (TransportError, AuthenticationError) as error:
            self.failure = error.message
            raise DirectoryUnavailableError(error.message) from None


__all__ = ["QueueingDirectory"]
