"""Integration tests run the real bundled SmolLM2 model, real MCP servers, real Chroma and SQLite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from neuronaut.settings import Settings

TINY_MODEL = "smollm2-135m"
BUNDLED_MODEL = "qwen2.5-coder-1.5b"  # the default model; `make test` installs it like `make demo`


@pytest.fixture(scope="session")
def bundled_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the assembled default model lives for the session (assembled once, ~1 GB).

    A developer who already assembled it points NEURONAUT_MODELS_PATH there; a missing model fails the
    test with the installer's own message instead of skipping it, so CI cannot pass without running it.
    """
    from neuronaut.llm.presets import resolve_model

    shared = os.environ.get("NEURONAUT_MODELS_PATH")
    folder = Path(shared) if shared else tmp_path_factory.mktemp("models")
    resolve_model(BUNDLED_MODEL, folder)
    return folder


@pytest.fixture
def bundled_settings(home: Path, bundled_models_dir: Path) -> Settings:
    """Settings for an outcome test with the real default model (fixed seed, the shipped defaults otherwise)."""
    return Settings.load(env={"NEURONAUT_HOME": str(home), "NEURONAUT_MODEL": BUNDLED_MODEL,
                              "NEURONAUT_MODELS_PATH": str(bundled_models_dir)})


@pytest.fixture
def tiny_settings(home: Path) -> Settings:
    return Settings.load(env={"NEURONAUT_HOME": str(home), "NEURONAUT_MODEL": TINY_MODEL,
                              "NEURONAUT_N_CTX": "4096"})


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "NEURONAUT_HOME": str(home), "NEURONAUT_MODEL": TINY_MODEL, "NEURONAUT_N_CTX": "4096",
            **extra}


def run_cli(*args: str, home: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "neuronaut.cli", *args], capture_output=True, text=True,
                          env=cli_env(home), timeout=timeout)
