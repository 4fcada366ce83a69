"""The one exception every layer raises when input or environment is wrong.

Each carries a single sentence for the user, the fix in their terms, and the exit code of the
command contract (0 ok, 1 the thing checked is wrong, 2 bad usage or unreadable input), so the
CLI can report any failure in one line and never a traceback.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_UNREADABLE = 2


class ChorusflowError(Exception):
    """An error with a user-facing message, a fix and an exit code."""

    exit_code: int = EXIT_UNREADABLE

    def __init__(self, message: str, fix: str | None = None, *, exit_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.fix = fix
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message if not self.fix else f"{self.message} {self.fix}"

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled whole (fix and exit code too), for errors raised in another process."""
        return (_rebuilt, (type(self), self.args, dict(self.__dict__)))


def _rebuilt(
    kind: type[ChorusflowError], args: tuple[object, ...], state: dict[str, object]
) -> ChorusflowError:
    """An unpickled error, whatever its class's ``__init__`` takes."""
    error = kind.__new__(kind)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class InputError(ChorusflowError):
    """The input cannot be read: malformed, truncated, too large, hostile or of unknown kind."""

    exit_code = EXIT_UNREADABLE


class InvalidInvoiceError(ChorusflowError):
    """The invoice was read but breaks rules that forbid writing or sending it."""

    exit_code = EXIT_INVALID
