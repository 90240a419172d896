"""Shared helpers for the reliability suite: fast settings and a way to run the real loop in a test world."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from neuronaut.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SERVERS = Path(__file__).resolve().parent / "servers"


def fast_env(home: Path, **extra: str) -> dict[str, str]:
    """Hash embeddings and no memory retrieval: the loop is real, just without the slow parts."""
    return {"NEURONAUT_HOME": str(home), "NEURONAUT_EMBEDDING_MODEL": "hash-64", "NEURONAUT_TOP_K_MEMORIES": "0",
            **extra}


def fast_settings(home: Path, **extra: str) -> Settings:
    return Settings.load(env=fast_env(home, **extra))


def use_world(monkeypatch: pytest.MonkeyPatch, name: str, make: Any) -> None:
    """Make ``arun_goal(world=name)`` and ``aresume`` build the test world ``make()`` (other names unchanged)."""
    import neuronaut.api

    real = neuronaut.api.get_world

    def get_world(world: str, settings: Settings | None = None, **options: Any):
        return make() if world == name else real(world, settings, **options)

    monkeypatch.setattr(neuronaut.api, "get_world", get_world)
