"""Where the PISTE client secret and the technical password rest, encrypted.

Two stores behind one small interface:

* :class:`KeyringStore` — the OS keyring (macOS Keychain, Windows Credential Locker, Secret
  Service), where there is a usable one;
* :class:`FileStore` — elsewhere (servers, containers, CI): each secret encrypted with Fernet
  (AES-128-CBC + HMAC-SHA256, from ``cryptography``) in ``secrets.json``, under a key kept in
  ``secrets.key``; both files 0600 in a 0700 directory. This keeps secrets out of the
  configuration file, backups of it and screenshots; it does not protect against someone
  who can read the user's files (the key is beside them) — docs/client.md says so.

Headless machines often have only keyring's ``fail`` or ``null`` backend, or a Secret Service
that cannot be unlocked; :func:`keyring_usable` detects both by trying a write.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets as _random
import stat
from pathlib import Path
from typing import Final, Protocol

from cryptography.fernet import Fernet, InvalidToken

from chorusflow.chorus.credentials import Secret
from chorusflow.errors import ChorusflowError
from chorusflow.formats.files import write_output

SERVICE: Final = "chorusflow"
KEY_FILE: Final = "secrets.key"
DATA_FILE: Final = "secrets.json"
KEYRING: Final = "keyring"
FILE: Final = "file"


class VaultError(ChorusflowError):
    """The secret store cannot be read or written."""


class SecretStore(Protocol):
    """Named secrets, encrypted at rest."""

    kind: str

    def get(self, name: str) -> Secret | None: ...

    def set(self, name: str, value: Secret) -> None: ...

    def delete(self, name: str) -> None: ...


# --- the OS keyring -------------------------------------------------------------------


def keyring_usable() -> bool:
    """True when the OS keyring can store and give back a secret right now."""
    try:
        import keyring
        from keyring.backends import fail, null
    except ImportError:  # pragma: no cover - a dependency
        return False
    try:
        backend = keyring.get_keyring()
    except Exception:
        return False
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    chained = getattr(backend, "backends", None)
    if chained is not None and not chained:
        return False
    probe = f"probe-{_random.token_hex(4)}"
    try:
        keyring.set_password(SERVICE, probe, "probe")
        ok = keyring.get_password(SERVICE, probe) == "probe"
        keyring.delete_password(SERVICE, probe)
    except Exception:
        return False
    return ok


class KeyringStore:
    """Secrets in the OS keyring, under the service name ``chorusflow``."""

    kind = KEYRING

    def __init__(self, namespace: str = "") -> None:
        self._namespace = namespace

    def _user(self, name: str) -> str:
        return f"{self._namespace}{name}"

    def get(self, name: str) -> Secret | None:
        import keyring

        try:
            value = keyring.get_password(SERVICE, self._user(name))
        except Exception as error:
            raise VaultError(
                f"The OS keyring cannot be read ({type(error).__name__}).",
                "Unlock the keyring, or run chorusflow init --secrets file to use a key file.",
            ) from None
        return None if value is None else Secret(value)

    def set(self, name: str, value: Secret) -> None:
        import keyring

        try:
            keyring.set_password(SERVICE, self._user(name), value.reveal())
        except Exception as error:
            raise VaultError(
                f"The OS keyring refused to store a secret ({type(error).__name__}).",
                "Unlock the keyring, or run chorusflow init --secrets file to use a key file.",
            ) from None

    def delete(self, name: str) -> None:
        import keyring

        with contextlib.suppress(Exception):
            keyring.delete_password(SERVICE, self._user(name))


# --- the key file ---------------------------------------------------------------------


def _private_dir(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, readable by the owner only (0600)."""
    _private_dir(path.parent)
    write_output(path, data, private=True)


def _check_private(path: Path) -> None:
    if os.name != "posix":
        return
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise VaultError(
            f"{path} can be read by other users (mode {stat.S_IMODE(mode):o}).",
            f"Run: chmod 600 {path}",
        )


class FileStore:
    """Secrets encrypted with Fernet in ``secrets.json``, the key in ``secrets.key``."""

    kind = FILE

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.key_path = directory / KEY_FILE
        self.data_path = directory / DATA_FILE

    def __repr__(self) -> str:
        return f"FileStore({str(self.directory)!r})"

    def _fernet(self, create: bool) -> Fernet | None:
        if not self.key_path.exists():
            if not create:
                return None
            write_private(self.key_path, Fernet.generate_key())
        _check_private(self.key_path)
        try:
            return Fernet(self.key_path.read_bytes().strip())
        except (ValueError, OSError):
            raise VaultError(
                f"The key file {self.key_path} is damaged.",
                "Delete it and secrets.json beside it, then run chorusflow init again.",
            ) from None

    def _read(self) -> dict[str, str]:
        if not self.data_path.exists():
            return {}
        _check_private(self.data_path)
        try:
            data = json.loads(self.data_path.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            raise VaultError(
                f"The secrets file {self.data_path} is damaged.",
                "Delete it, then run chorusflow init again to store the secrets.",
            ) from None
        if not isinstance(data, dict):
            raise VaultError(f"The secrets file {self.data_path} is damaged.")
        return {str(k): str(v) for k, v in data.items()}

    def get(self, name: str) -> Secret | None:
        token = self._read().get(name)
        if token is None:
            return None
        fernet = self._fernet(create=False)
        if fernet is None:
            raise VaultError(
                f"The key file {self.key_path} is missing: the stored secrets cannot be read.",
                "Run chorusflow init again to store the secrets.",
            )
        try:
            return Secret(fernet.decrypt(token.encode("ascii")).decode("utf-8"))
        except (InvalidToken, UnicodeError, ValueError):
            raise VaultError(
                f"A secret in {self.data_path} does not open with the key {self.key_path}.",
                "Run chorusflow init again to store the secrets.",
            ) from None

    def set(self, name: str, value: Secret) -> None:
        fernet = self._fernet(create=True)
        assert fernet is not None
        data = self._read()
        data[name] = fernet.encrypt(value.reveal().encode("utf-8")).decode("ascii")
        write_private(self.data_path, json.dumps(data, indent=2, sort_keys=True).encode())

    def delete(self, name: str) -> None:
        data = self._read()
        if data.pop(name, None) is not None:
            write_private(self.data_path, json.dumps(data, indent=2, sort_keys=True).encode())


def open_store(kind: str, directory: Path) -> SecretStore:
    """The store of that kind (as written in the configuration)."""
    if kind == KEYRING:
        return KeyringStore()
    if kind == FILE:
        return FileStore(directory)
    raise VaultError(
        f"'{kind}' is not a secret store.", "Use 'keyring' or 'file' (chorusflow init --secrets)."
    )


def choose_store(prefer: str, directory: Path) -> SecretStore:
    """``keyring`` or ``file`` as asked; ``auto`` takes the keyring when it is usable."""
    if prefer == "auto":
        return KeyringStore() if keyring_usable() else FileStore(directory)
    if prefer == KEYRING and not keyring_usable():
        raise VaultError(
            "No usable OS keyring here (headless machines often have none).",
            "Use --secrets file: secrets are then encrypted in a 0600 key file.",
        )
    return open_store(prefer, directory)
