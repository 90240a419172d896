"""chroma_url: how an address is read, and what a person sees when nothing answers there."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from neuronaut.errors import UserError
from neuronaut.memory.embeddings import HashEmbeddings
from neuronaut.memory.remote import parse_url
from neuronaut.memory.store import EpisodeMemory
from neuronaut.settings import Settings
from neuronaut.skills.library import SkillLibrary


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


@pytest.mark.parametrize(("url", "expected"), [
    ("http://127.0.0.1:8123", ("127.0.0.1", 8123, False)),
    ("http://localhost", ("localhost", 8000, False)),
    ("127.0.0.1:9000", ("127.0.0.1", 9000, False)),
    ("https://memory.example:8443/", ("memory.example", 8443, True)),
])
def test_addresses_are_read_with_sensible_defaults(url: str, expected: tuple[str, int, bool]) -> None:
    assert parse_url(url) == expected


@pytest.mark.parametrize("url", ["ftp://host:1", "http://host:notaport", "http://host:8000/api", "http://"])
def test_a_bad_address_is_a_user_error(url: str) -> None:
    with pytest.raises(UserError, match="not a Chroma server address"):
        parse_url(url)


def test_the_setting_comes_from_the_environment(tmp_path: Path) -> None:
    settings = Settings.load(env={"NEURONAUT_HOME": str(tmp_path), "NEURONAUT_CHROMA_URL": "http://127.0.0.1:8001"})
    assert settings.chroma_url == "http://127.0.0.1:8001"
    assert Settings.load(env={"NEURONAUT_HOME": str(tmp_path)}).chroma_url == ""


def test_unreachable_memory_says_how_to_start_it(tmp_path: Path) -> None:
    port = closed_port()
    url = f"http://127.0.0.1:{port}"
    with pytest.raises(UserError) as caught:
        EpisodeMemory(tmp_path / "memory", HashEmbeddings(32), chroma_url=url)
    message = str(caught.value)
    assert f"cannot reach the shared memory at {url}" in message
    assert f"chroma run --path checkpoints/shared-memory --host 127.0.0.1 --port {port}" in message
    assert not (tmp_path / "memory").exists()  # nothing fell back to an embedded index


def test_unreachable_skill_index_is_the_same_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="cannot reach the shared memory"):
        SkillLibrary(tmp_path / "skills", tmp_path / "index", HashEmbeddings(32),
                     chroma_url=f"http://127.0.0.1:{closed_port()}")
