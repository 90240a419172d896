from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from neuronaut.memory.embeddings import HashEmbeddings
from neuronaut.skills.library import SkillLibrary


@pytest.fixture
def skills_root(tmp_path: Path) -> Path:
    return tmp_path / "skills"


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def library(skills_root: Path, index_dir: Path) -> Iterator[SkillLibrary]:
    lib = SkillLibrary(skills_root, index_dir, HashEmbeddings(64))
    yield lib
    lib.close()
