"""Integration tests run the real bundled SmolLM2 model, real MCP servers, real Chroma and SQLite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from neuronaut.settings import Settings

TINY_MODEL = "smollm2-135m"


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
