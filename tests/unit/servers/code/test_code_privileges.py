"""What a sandboxed program cannot do with privileges: read root's files, trace the agent, become root.

Every attempt runs through the code server's run_python, as the model's code
would, and every test also checks the sandbox's own report of what it did.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from neuronaut.servers.code.commands import run_python
from neuronaut.servers.code.isolation import SANDBOX_UID, detect_isolation
from neuronaut.servers.code.workspace import Workspace
from tests.mcp_results import call_ok
from tests.unit.servers.code.code_testkit import connect, needs_pid_namespace

needs_unprivileged_user = pytest.mark.skipif(
    detect_isolation().run_as is None, reason="only a server running as root can switch programs to another user"
)
OTHER_UID = 4242  # no account needed: a file's owner is just a number


async def run(workspace: Path, code: str) -> dict:
    async with connect(workspace) as session:
        return await call_ok(session, "run_python", code=textwrap.dedent(code))


def assert_unprivileged(result: dict) -> None:
    assert result["sandbox"]["unprivileged_uid"] == SANDBOX_UID, result["sandbox"]
    assert result["sandbox"]["privileges_dropped"] is True


@needs_unprivileged_user
async def test_the_program_runs_as_nobody_without_capabilities(workspace: Path):
    code = """
        import os
        status = dict(line.split(":", 1) for line in open("/proc/self/status"))
        print(os.getuid(), os.geteuid(), os.getgid(), os.getgroups(),
              status["CapEff"].strip(), status["CapPrm"].strip(), status["CapBnd"].strip(), status["NoNewPrivs"].strip())
    """
    result = await run(workspace, code)
    zero = "0000000000000000"
    assert result["stdout"] == f"65534 65534 65534 [] {zero} {zero} {zero} 1\n", result
    assert_unprivileged(result)


@needs_unprivileged_user
async def test_root_only_files_cannot_be_read_or_listed(workspace: Path):
    code = """
        import os
        try:
            print("read", open("/etc/shadow").read()[:20])
        except OSError as exc:
            print("shadow refused", exc.errno)
        try:
            print("listed", os.listdir("/root"))
        except OSError as exc:
            print("root refused", exc.errno)
    """
    result = await run(workspace, code)
    assert result["stdout"] == "shadow refused 13\nroot refused 13\n", result  # EACCES both
    assert_unprivileged(result)


@needs_unprivileged_user
async def test_another_users_file_cannot_be_read(tmp_path: Path):
    # A directory the sandbox shows (like /etc or the toolchain) holding a file only its owner may read.
    shown = tmp_path / "shown"
    shown.mkdir()
    private = shown / "private.txt"
    private.write_text("someone else's\n")
    os.chown(private, OTHER_UID, OTHER_UID)
    private.chmod(0o600)
    for folder in (tmp_path, shown):
        folder.chmod(0o755)
    isolation = detect_isolation()
    showing = dataclasses.replace(isolation, readable_paths=(*isolation.readable_paths, str(shown)))
    workspace = Workspace(tmp_path / "ws", isolation=showing)
    code = f"""
        import os
        print(sorted(os.listdir({str(shown)!r})))
        try:
            print("read", open({str(private)!r}).read())
        except OSError as exc:
            print("refused", exc.errno)
    """
    result = await run_python(workspace, textwrap.dedent(code), None, 20)
    assert result.stdout == "['private.txt']\nrefused 13\n", result
    assert result.sandbox.unprivileged_uid == SANDBOX_UID


PTRACE = """
    import ctypes, os
    libc = ctypes.CDLL(None, use_errno=True)
    PTRACE_ATTACH = 16
    for name, pid in (("init", os.getppid()), ("agent", {agent})):
        attached = libc.ptrace(PTRACE_ATTACH, pid, None, None) == 0
        print(name, "attached" if attached else "refused", ctypes.get_errno())
"""


@needs_pid_namespace
async def test_the_program_cannot_trace_its_init_or_the_agent(workspace: Path):
    # The agent (this test process, which runs the server in memory) is outside the PID namespace.
    result = await run(workspace, PTRACE.format(agent=os.getpid()))
    assert result["stdout"] == "init refused 1\nagent refused 3\n", result  # EPERM, ESRCH
    assert result["sandbox"]["processes_hidden"] is True
    assert result["sandbox"]["privileges_dropped"] is True


@needs_unprivileged_user
async def test_setuid_cannot_raise_privileges(workspace: Path):
    code = """
        import os, subprocess
        try:
            os.setuid(0)
            print("became root")
        except OSError as exc:
            print("setuid refused", exc.errno)
        try:
            os.setgroups([0])
            print("joined root's group")
        except OSError as exc:
            print("setgroups refused", exc.errno)
        # passwd is setuid root: with its privileges it reads /etc/shadow and reports the real dates.
        shown = subprocess.run(["passwd", "-S", "nobody"], capture_output=True, text=True)
        print(shown.stdout.strip() or shown.stderr.strip())
    """
    result = await run(workspace, code)
    lines = result["stdout"].splitlines()
    assert lines[:2] == ["setuid refused 1", "setgroups refused 1"], result
    with_privileges = subprocess.run(["passwd", "-S", "nobody"], capture_output=True, text=True, check=True)
    assert lines[2] != with_privileges.stdout.strip(), "the setuid passwd read /etc/shadow inside the sandbox"
    assert_unprivileged(result)


@needs_unprivileged_user
async def test_files_the_program_writes_stay_usable_by_the_server(workspace: Path):
    (workspace / "given.txt").write_text("from the server\n")  # written by the server, as root
    code = """
        open("given.txt", "a").write("and from the program\\n")
        open("made.txt", "w").write("new\\n")
    """
    result = await run(workspace, code)
    assert result["exit_code"] == 0, result
    assert (workspace / "given.txt").read_text() == "from the server\nand from the program\n"
    assert (workspace / "made.txt").stat().st_uid == SANDBOX_UID


@needs_unprivileged_user
async def test_a_symlink_to_a_root_file_is_not_handed_over(workspace: Path, tmp_path: Path):
    # The workspace is handed to the program's user before each run; a link out of it must not carry that along.
    outside = tmp_path / "root-owned.txt"
    outside.write_text("root's\n")
    (workspace / "link").symlink_to(outside)
    result = await run(workspace, "print('ran')")
    assert result["stdout"] == "ran\n"
    assert outside.stat().st_uid == 0 and (workspace / "link").lstat().st_uid == SANDBOX_UID


@needs_pid_namespace
def test_where_the_user_switch_fails_the_report_says_so(monkeypatch: pytest.MonkeyPatch):
    from neuronaut.servers.code import isolation

    probe = isolation._init_works
    monkeypatch.setattr(isolation, "_init_works",
                        lambda prefix, readable, run_as=None: False if run_as else probe(prefix, readable))
    notes: list[str] = []
    readable = detect_isolation().readable_paths
    assert isolation._as_unprivileged_user(readable, None, notes) is None
    fallback = isolation._as_own_user(readable, None, notes)
    assert fallback.run_as is None
    if os.geteuid() == 0:
        assert "programs run as root: switching to the unprivileged uid 65534 failed here" in fallback.notes
    else:
        assert f"programs run as the server's own user (uid {os.geteuid()}): only root can switch users" in fallback.notes


@needs_unprivileged_user
async def test_files_of_other_users_in_the_workspace_keep_their_owner(workspace: Path):
    theirs = workspace / "theirs.txt"
    theirs.write_text("not the server's\n")
    os.chown(theirs, OTHER_UID, OTHER_UID)
    result = await run(workspace, "print(open('theirs.txt').read(), end='')")
    assert result["stdout"] == "not the server's\n"
    assert theirs.stat().st_uid == OTHER_UID and workspace.stat().st_uid == SANDBOX_UID
