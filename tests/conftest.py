"""Shared fixtures: every test gets its own NeuroNaut home; nothing touches the project's data."""

from __future__ import annotations

from pathlib import Path

import pytest

from neuronaut.settings import Settings


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "home"
    monkeypatch.setenv("NEURONAUT_HOME", str(root))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    return root


@pytest.fixture
def settings(home: Path) -> Settings:
    return Settings.load(env={"NEURONAUT_HOME": str(home)})
