"""kill -9 in the middle of a real run, then `neuronaut resume` continues from the last checkpoint."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.conftest import cli_env, run_cli

pytestmark = pytest.mark.integration


def start_run(home: Path, thread: str, max_steps: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "neuronaut.cli", "run", "reach level 9", "--max-steps", str(max_steps),
         "--thread", thread, "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env(home), start_new_session=True,
    )


def wait_for_line(process: subprocess.Popen, fragment: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    for line in process.stderr:
        if fragment in line:
            return
        if time.monotonic() > deadline:
            break
    raise AssertionError(f"never saw {fragment!r}")


def test_resume_after_kill_9_continues_from_the_last_checkpoint(home: Path) -> None:
    process = start_run(home, "killed", max_steps=5)
    wait_for_line(process, "[  2] learn")
    os.killpg(process.pid, signal.SIGKILL)  # the agent and its MCP server, mid-run
    process.wait(timeout=30)

    result = run_cli("resume", "killed", "--json", home=home)
    assert result.returncode in (0, 1), result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["resumed_from_step"] >= 2
    assert data["steps"] == 5 and data["status"] == "budget_exhausted"
    assert "[  0] perceive" not in result.stderr  # it did not start over


def test_resuming_a_finished_run_changes_nothing(home: Path) -> None:
    first = run_cli("run", "reach level 9", "--max-steps", "1", "--thread", "done", "--json", home=home)
    again = run_cli("resume", "done", "--json", home=home)
    before = json.loads(first.stdout.strip().splitlines()[-1])
    after = json.loads(again.stdout.strip().splitlines()[-1])
    assert after["steps"] == before["steps"] == 1 and after["resumed_from_step"] == 1
