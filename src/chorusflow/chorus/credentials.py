"""The two credentials Chorus Pro needs, kept out of every printout.

A PISTE application (client id + secret: who calls, OAuth2) and a Chorus Pro technical
account (login + password: for which structure, the ``cpro-account`` header). Secrets are
:class:`Secret` values: their ``repr`` and ``str`` are masked, so a log line, an exception or
a debugger never shows them; only :meth:`Secret.reveal` gives the text, at the one place
that sends it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Final

MASK: Final = "********"


class Secret:
    """A string that does not print itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret text: call this only where it is sent or stored encrypted."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __repr__(self) -> str:
        return f"Secret('{MASK}')"

    def __str__(self) -> str:
        return MASK

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret is not pickled (it would leave memory in clear)")


@dataclass(frozen=True, slots=True)
class Credentials:
    """PISTE application and Chorus Pro technical account of one environment."""

    client_id: str
    client_secret: Secret
    login: str
    password: Secret

    def cpro_account(self) -> str:
        """The ``cpro-account`` header: base64 of ``login:password`` in UTF-8 (API.md §1.3)."""
        raw = f"{self.login}:{self.password.reveal()}".encode()
        return base64.b64encode(raw).decode("ascii")
