"""The whole loop's tests share one home per test, with hash embeddings (no embedding model to load)."""

from __future__ import annotations

from pathlib import Path

import pytest

from neuronaut.settings import Settings


@pytest.fixture
def settings(home: Path) -> Settings:
    return Settings.load(env={"NEURONAUT_HOME": str(home), "NEURONAUT_EMBEDDING_MODEL": "hash-128"})
