"""Configuration file, environment variables and secrets at rest."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend

from chorusflow.chorus import Environment, Secret
from chorusflow.chorus.config import (
    ConfigFile,
    ConfigurationError,
    Profile,
    load_settings,
    parse_config,
    read_config,
    render_config,
    secret_name,
    write_config,
)
from chorusflow.chorus.rehearsal import Rehearsal
from chorusflow.chorus.vault import (
    FileStore,
    KeyringStore,
    VaultError,
    choose_store,
    keyring_usable,
)

CLIENT_SECRET = "piste-secret-7Hq2"
PASSWORD = "tech-pass-Zx91"


def _configure(directory: Path, env: Environment = Environment.QUALIFICATION) -> FileStore:
    store = FileStore(directory)
    store.set(secret_name(env, "client_secret"), Secret(CLIENT_SECRET))
    store.set(secret_name(env, "password"), Secret(PASSWORD))
    profile = Profile(
        client_id="app-id",
        login="TECH_1_93125027408770@cpro.fr",
        rehearsal=Rehearsal({"12345678900012": "93125027408770"}, {"REAL": "TEST"}),
    )
    write_config(
        directory,
        ConfigFile(environment=env, secrets="file").with_profile(env, profile),
    )
    return store


def test_the_file_round_trips_and_holds_no_secret(tmp_path: Path) -> None:
    _configure(tmp_path)
    text = (tmp_path / "config.toml").read_text()
    assert CLIENT_SECRET not in text and PASSWORD not in text
    config = read_config(tmp_path)
    assert config is not None
    assert parse_config(render_config(config)) == config
    profile = config.profile(Environment.QUALIFICATION)
    assert profile.rehearsal.sirets == {"12345678900012": "93125027408770"}


def test_tables_of_other_layers_survive_a_rewrite(tmp_path: Path) -> None:
    _configure(tmp_path)
    path = tmp_path / "config.toml"
    path.write_text(
        path.read_text()
        + '\n[outbox]\nformat = "ubl"\nbatch_invoices = 20\n'
        + '\n[hooks]\ncommands = ["notify --all", "log"]\n[hooks.webhook]\nurl = "http://x/y"\n'
    )
    config = read_config(tmp_path)
    assert config is not None
    write_config(tmp_path, config.with_profile(Environment.PRODUCTION, Profile(client_id="p")))
    again = read_config(tmp_path)
    assert again is not None
    assert again.others == {
        "outbox": {"format": "ubl", "batch_invoices": 20},
        "hooks": {"commands": ["notify --all", "log"], "webhook": {"url": "http://x/y"}},
    }
    assert again.profile(Environment.PRODUCTION).client_id == "p"


def test_settings_take_defaults_file_then_variables(tmp_path: Path) -> None:
    _configure(tmp_path)
    settings = load_settings({}, directory=tmp_path)
    assert settings.environment is Environment.QUALIFICATION
    assert settings.token_url == "https://sandbox-oauth.piste.gouv.fr/api/oauth/token"
    assert settings.api_url == "https://sandbox-api.piste.gouv.fr"
    assert settings.credentials.client_secret.reveal() == CLIENT_SECRET
    assert settings.sources["client_secret"] == "file"
    overridden = load_settings(
        {
            "CHORUSFLOW_ENV": "qualification",
            "CHORUSFLOW_API_URL": "https://other.example",
            "CHORUSFLOW_CLIENT_ID": "from-env",
            "CHORUSFLOW_PASSWORD": "env-pass",
            "CHORUSFLOW_DB": "postgresql://u@h/db",
        },
        directory=tmp_path,
    )
    assert overridden.api_url == "https://other.example"
    assert overridden.credentials.client_id == "from-env"
    assert overridden.credentials.password.reveal() == "env-pass"
    assert overridden.database_url == "postgresql://u@h/db"
    assert overridden.sources["password"] == "env" and overridden.sources["api_url"] == "env"


def test_variables_alone_are_enough(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "CHORUSFLOW_ENV": "production",
            "CHORUSFLOW_CLIENT_ID": "id",
            "CHORUSFLOW_CLIENT_SECRET": "s",
            "CHORUSFLOW_LOGIN": "l",
            "CHORUSFLOW_PASSWORD": "p",
        },
        directory=tmp_path / "none",
    )
    assert settings.api_url == "https://api.piste.gouv.fr"
    assert settings.token_url == "https://oauth.piste.gouv.fr/api/oauth/token"


def test_missing_values_are_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="No environment") as none:
        load_settings({}, directory=tmp_path)
    assert none.value.exit_code == 2
    with pytest.raises(ConfigurationError, match=r"client secret.*password") as caught:
        load_settings(
            {"CHORUSFLOW_ENV": "sandbox", "CHORUSFLOW_CLIENT_ID": "i", "CHORUSFLOW_LOGIN": "l"},
            directory=tmp_path,
        )
    assert "chorusflow init --env sandbox" in str(caught.value)


def test_a_broken_file_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("environment = [\n")
    with pytest.raises(ConfigurationError, match="not valid TOML"):
        load_settings({}, directory=tmp_path)
    (tmp_path / "config.toml").write_text('environment = "staging"\n')
    with pytest.raises(ConfigurationError, match="not an environment"):
        load_settings({}, directory=tmp_path)


def test_secrets_are_encrypted_at_rest_in_0600_files(tmp_path: Path) -> None:
    store = _configure(tmp_path)
    for path in tmp_path.iterdir():
        data = path.read_bytes()
        assert CLIENT_SECRET.encode() not in data and PASSWORD.encode() not in data, path
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert store.get(secret_name(Environment.QUALIFICATION, "password")) == Secret(PASSWORD)
    assert (
        repr(store.get(secret_name(Environment.QUALIFICATION, "password"))) == "Secret('********')"
    )


def test_a_key_readable_by_others_is_refused(tmp_path: Path) -> None:
    store = _configure(tmp_path)
    os.chmod(store.key_path, 0o644)
    with pytest.raises(VaultError, match="chmod 600"):
        store.get(secret_name(Environment.QUALIFICATION, "password"))


def test_a_secret_under_another_key_does_not_open(tmp_path: Path) -> None:
    store = _configure(tmp_path)
    store.key_path.unlink()
    FileStore(tmp_path).set("other", Secret("x"))  # makes a new key
    with pytest.raises(VaultError, match="does not open"):
        store.get(secret_name(Environment.QUALIFICATION, "password"))


class MemoryKeyring(KeyringBackend):
    """An OS keyring stand-in that keeps secrets in memory (this machine has none)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


def test_a_headless_machine_falls_back_to_the_key_file(tmp_path: Path) -> None:
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert not keyring_usable()
        assert isinstance(choose_store("auto", tmp_path), FileStore)
        with pytest.raises(VaultError, match="--secrets file"):
            choose_store("keyring", tmp_path)
    finally:
        keyring.set_keyring(previous)


def test_a_usable_keyring_is_preferred(tmp_path: Path) -> None:
    import keyring

    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        assert keyring_usable()
        store = choose_store("auto", tmp_path)
        assert isinstance(store, KeyringStore)
        store.set("qualification/password", Secret(PASSWORD))
        assert memory.items == {("chorusflow", "qualification/password"): PASSWORD}
        assert store.get("qualification/password") == Secret(PASSWORD)
        assert not list(tmp_path.iterdir()), "nothing written to disk"
    finally:
        keyring.set_keyring(previous)
