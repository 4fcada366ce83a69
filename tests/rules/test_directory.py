"""The directory file: the buyers' demands given as input (validate --directory FILE)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chorusflow.errors import InputError
from chorusflow.rules.chorus import Requirement
from chorusflow.rules.directory import (
    MAX_DIRECTORY_BYTES,
    FileDirectory,
    read_directory,
    read_directory_path,
)

QUALIFICATION = {
    "complete": True,
    "structures": [
        {"siret": "12345678200028", "name": "service obligatoire", "service_code_required": True,
         "services": [{"code": "SERVICE_DEST_SERV_OBL"}]},
        {"siret": "12345678200036", "engagement_required": True},
        {"siret": "12345678200044", "service_or_engagement": True,
         "services": [{"code": "SERVICE_DEST_EJ_OU_SERV_OBL", "engagement_required": False}]},
        {"siret": "12345678200051"},
        {"siret": "11000201100044", "active": False},
    ],
}  # fmt: skip


def test_a_directory_file_reads_into_entries_with_their_requirements() -> None:
    directory = read_directory(json.dumps(QUALIFICATION).encode())
    assert directory.complete is True
    demands = {s: e.requirement for s, e in directory.entries.items()}
    assert demands == {
        "12345678200028": Requirement.SERVICE,
        "12345678200036": Requirement.ENGAGEMENT,
        "12345678200044": Requirement.SERVICE_OR_ENGAGEMENT,
        "12345678200051": Requirement.NONE,
        "11000201100044": Requirement.NONE,
    }
    entry = directory.lookup("12345678200028")
    assert entry is not None and entry.name == "service obligatoire"
    assert entry.service("SERVICE_DEST_SERV_OBL") is not None
    assert directory.lookup("99999999999999") is None
    assert directory.lookup("11000201100044").active is False  # type: ignore[union-attr]


def test_a_file_that_does_not_say_it_is_complete_is_not() -> None:
    assert read_directory(b'{"structures": []}').complete is False


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"{", "not valid JSON"),
        (b"[]", "wrong"),
        (b'{"structures": [{"name": "x"}]}', "structures[0].siret"),
        (b'{"structures": [{"siret": "1", "colour": "red"}]}', "colour"),
        (b'{"structures": [{"siret": "1", "active": "yes"}]}', "structures[0].active"),
        (b'{"structures": [{"siret": 12345678200028}]}', "structures[0].siret"),
        (b'{"structures": [{"siret": "1"}, {"siret": "1"}]}', "twice"),
    ],
)
def test_a_bad_directory_file_is_one_sentence(data: bytes, words: str) -> None:
    with pytest.raises(InputError) as caught:
        read_directory(data, "dir.json")
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_directory_file_is_read_from_a_path_with_its_size_checked(tmp_path: Path) -> None:
    path = tmp_path / "directory.json"
    path.write_text(json.dumps(QUALIFICATION))
    assert len(read_directory_path(path).entries) == 5
    with pytest.raises(InputError, match="Cannot read"):
        read_directory_path(tmp_path / "missing.json")
    big = tmp_path / "big.json"
    with big.open("wb") as f:
        f.truncate(MAX_DIRECTORY_BYTES + 1)  # sparse: nothing written
    with pytest.raises(InputError, match="limit"):
        read_directory_path(big)


def test_an_in_memory_directory_is_built_from_entries() -> None:
    directory = read_directory(json.dumps(QUALIFICATION).encode())
    again = FileDirectory.of(directory.entries.values(), complete=True)
    assert again == directory
