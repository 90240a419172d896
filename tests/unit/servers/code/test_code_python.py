"""run_python: results, and the sandbox holding against loops, bombs, hogs, leaks and floods."""

from __future__ import annotations

import textwrap
import uuid
from pathlib import Path

import pytest

from tests.mcp_results import call_ok
from tests.unit.servers.code.code_testkit import connect


async def run(workspace: Path, code: str, **args) -> dict:
    async with connect(workspace) as session:
        return await call_ok(session, "run_python", code=textwrap.dedent(code), **args)


async def test_prints_and_exits_cleanly(workspace: Path):
    result = await run(workspace, "print('hi')")
    assert (result["exit_code"], result["stdout"], result["timed_out"]) == (0, "hi\n", False)


async def test_stdin_reaches_the_program(workspace: Path):
    result = await run(workspace, "import sys; print(sys.stdin.read().upper())", stdin="abc")
    assert result["stdout"] == "ABC\n"


async def test_exit_status_and_traceback_are_reported(workspace: Path):
    result = await run(workspace, "raise SystemExit(3)")
    assert result["exit_code"] == 3
    failing = await run(workspace, "1/0")
    assert failing["exit_code"] == 1 and "ZeroDivisionError" in failing["stderr"]


async def test_runs_in_the_workspace(workspace: Path):
    await run(workspace, "open('made.txt', 'w').write('x')")
    assert (workspace / "made.txt").read_text() == "x"


async def test_timeout_kills_the_whole_process_group(workspace: Path):
    marker = f"sleeper-{uuid.uuid4().hex}"
    code = f"""
        import subprocess, sys
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "{marker}"])
        while True:
            pass
    """
    result = await run(workspace, code, timeout=1.5)
    assert result["timed_out"] is True and result["killed_by_signal"] == "SIGKILL"
    assert _processes_with(marker) == [], "a child of the timed-out program is still running"


async def test_a_fork_bomb_hits_the_process_cap(workspace: Path):
    code = """
        import os, sys, time
        spawned = 0
        try:
            for _ in range(200):
                if os.fork() == 0:
                    time.sleep(60)
                    os._exit(0)
                spawned += 1
        except OSError as exc:
            print("refused after", spawned, exc.errno)
            sys.exit(3)
        print("spawned all", spawned)
    """
    result = await run(workspace, code, timeout=20)
    if result["sandbox"]["process_cap"] == "none":
        pytest.skip("no process cap can be enforced here (root without a pids cgroup)")
    assert result["exit_code"] == 3, result["stdout"]
    assert int(result["stdout"].split()[2]) < result["sandbox"]["limits"]["max_processes"]


async def test_a_memory_hog_is_stopped(workspace: Path):
    code = """
        chunks = []
        try:
            while True:
                chunks.append(bytearray(16 * 1024 * 1024))
        except MemoryError:
            print("stopped at", len(chunks) * 16, "MiB")
    """
    result = await run(workspace, code)
    limit_mib = result["sandbox"]["limits"]["address_space_bytes"] // (1024 * 1024)
    assert result["stdout"].startswith("stopped at")
    assert int(result["stdout"].split()[2]) <= limit_mib


async def test_environment_secrets_are_not_passed_on(workspace: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NEURONAUT_TEST_SECRET", "hunter2")
    code = """
        import os
        print(os.environ.get("NEURONAUT_TEST_SECRET"))
        print(any("hunter2" in value for value in os.environ.values()))
    """
    result = await run(workspace, code)
    assert result["stdout"] == "None\nFalse\n"


async def test_the_environment_holds_only_the_expected_names(workspace: Path):
    result = await run(workspace, "import os; print(' '.join(sorted(os.environ)))")
    assert set(result["stdout"].split()) <= {
        "PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "SWIFT_BACKTRACE", "PYTHONDONTWRITEBYTECODE", "LC_CTYPE",
    }


async def test_long_output_is_truncated_with_a_marker(workspace: Path):
    result = await run(workspace, "print('x' * 200_000)")
    kept = result["stdout"].split("\n…[truncated ")[0]
    assert result["stdout"].endswith(f"…[truncated {200_001 - len(kept)} bytes]")
    assert 0 < len(kept) < 200_000


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found
