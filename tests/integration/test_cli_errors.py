"""Bad input gives one clear line on stderr, a non-zero exit and no traceback — through the real CLI."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def neuronaut(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "NEURONAUT_HOME": str(home), **env}
    return subprocess.run([sys.executable, "-m", "neuronaut.cli", *args], capture_output=True, text=True,
                          env=environment, timeout=300)


def assert_one_clear_line(result: subprocess.CompletedProcess, fragment: str) -> None:
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("neuronaut: error:")
    assert fragment in lines[0]


def test_unknown_world(tmp_path: Path) -> None:
    assert_one_clear_line(neuronaut("run", "reach level 2", "--world", "mars", home=tmp_path), "unknown world")


def test_unknown_model(tmp_path: Path) -> None:
    assert_one_clear_line(neuronaut("run", "reach level 2", "--model", "gpt-9", home=tmp_path), "unknown model")


def test_empty_goal(tmp_path: Path) -> None:
    assert_one_clear_line(neuronaut("run", "   ", home=tmp_path), "goal is empty")


def test_unwritable_checkpoint_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    assert_one_clear_line(neuronaut("run", "reach level 2", "--model", "smollm2-135m", home=blocker / "home"),
                          "cannot write to")


def test_truncated_model_file(tmp_path: Path) -> None:
    from neuronaut.llm.presets import PRESETS, installed_path

    source = installed_path(PRESETS["smollm2-135m"], tmp_path)
    truncated = tmp_path / "truncated.gguf"
    truncated.write_bytes(source.read_bytes()[: 4 * 1024 * 1024])
    result = neuronaut("run", "reach level 2", "--model", str(truncated), home=tmp_path / "home")
    assert_one_clear_line(result, "cannot load model")
    assert truncated.stat().st_size == 4 * 1024 * 1024  # nothing rewritten


def test_resume_unknown_thread(tmp_path: Path) -> None:
    assert_one_clear_line(neuronaut("resume", "no-such-thread", home=tmp_path), "no checkpointed run")
