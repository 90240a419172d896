from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from neuronaut.memory.embeddings import HashEmbeddings
from neuronaut.memory.store import EpisodeMemory


@pytest.fixture
def memory_dir(tmp_path: Path) -> Path:
    return tmp_path / "memory"


@pytest.fixture
def memory(memory_dir: Path) -> Iterator[EpisodeMemory]:
    store = EpisodeMemory(memory_dir, HashEmbeddings(64))
    yield store
    store.close()

