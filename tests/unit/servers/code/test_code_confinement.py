"""What a sandboxed program cannot reach: the network, other processes, files outside the workspace."""

from __future__ import annotations

import socket
import textwrap
from pathlib import Path

import pytest

from neuronaut.servers.code.isolation import detect_isolation
from tests.mcp_results import call_ok
from tests.unit.servers.code.code_testkit import connect, needs_network_namespace, needs_pid_namespace

needs_locked_filesystem = pytest.mark.skipif(
    not detect_isolation().read_only_outside_workspace, reason="this machine cannot remount read-only"
)


async def run(workspace: Path, code: str, **args) -> dict:
    async with connect(workspace) as session:
        return await call_ok(session, "run_python", code=textwrap.dedent(code), **args)


@needs_network_namespace
async def test_network_connections_fail(workspace: Path):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        code = f"""
            import socket
            try:
                socket.create_connection(("127.0.0.1", {port}), timeout=5).close()
                print("connected")
            except OSError as exc:
                print("blocked", exc.errno)
        """
        result = await run(workspace, code)
    assert result["stdout"].startswith("blocked"), result["stdout"]
    assert result["sandbox"]["network_isolated"] is True


@needs_pid_namespace
async def test_other_processes_are_invisible(workspace: Path):
    result = await run(workspace, "import os; print(sorted(p for p in os.listdir('/proc') if p.isdigit()))")
    # pid 1 is the namespace's init (pid1.py), pid 2 the program itself.
    assert result["stdout"] == "['1', '2']\n"


@needs_locked_filesystem
async def test_files_outside_the_workspace_cannot_be_written(workspace: Path, tmp_path: Path):
    target = tmp_path / "outside.txt"
    code = f"""
        try:
            open({str(target)!r}, "w").write("x")
            print("written")
        except OSError as exc:
            print("refused", exc.errno)
    """
    result = await run(workspace, code)
    assert result["stdout"] == "refused 30\n"  # EROFS
    assert not target.exists() and result["sandbox"]["read_only_outside_workspace"] is True


@needs_locked_filesystem
async def test_the_program_cannot_remount_the_filesystem_writable(workspace: Path):
    code = """
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        MS_REMOUNT, MS_BIND = 32, 4096
        failed = libc.mount(None, b"/", None, ctypes.c_ulong(MS_REMOUNT | MS_BIND), None) != 0
        print("refused" if failed else "remounted", ctypes.get_errno())
    """
    result = await run(workspace, code)
    assert result["stdout"] == "refused 1\n"  # EPERM: no capabilities left


@needs_locked_filesystem
async def test_the_program_cannot_leave_its_process_cap(workspace: Path):
    code = """
        try:
            open("/sys/fs/cgroup/pids/cgroup.procs", "w").write("0")
            print("escaped")
        except OSError as exc:
            print("refused")
    """
    result = await run(workspace, code)
    assert result["stdout"] == "refused\n"
