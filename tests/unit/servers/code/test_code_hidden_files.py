"""What a sandboxed program cannot read: files outside the workspace, but for the system and the toolchains."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from neuronaut.servers.code.isolation import _filesystem_confinement, detect_isolation
from neuronaut.servers.code.visibility import readable_paths
from tests.mcp_results import call_ok
from tests.unit.servers.code.code_testkit import connect

ROOT = Path(__file__).parents[4]
SECRET = "session-string-9f3c1e"  # stands in for a Telegram session string in neuronaut.toml

needs_hidden_filesystem = pytest.mark.skipif(
    not detect_isolation().hidden_outside_workspace, reason="this OS or machine cannot hide files in a mount namespace"
)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    # A sibling of the workspace: the parent of the workspace is hidden too, not only far-away directories.
    outside = tmp_path / "outside"
    outside.mkdir()
    path = outside / "secret.txt"
    path.write_text(SECRET + "\n")
    return path


def assert_not_leaked(result: dict) -> None:
    assert SECRET not in result["stdout"] and SECRET not in result["stderr"]


@needs_hidden_filesystem
async def test_python_cannot_read_files_outside_the_workspace(workspace: Path, secret: Path):
    (workspace / "mine.txt").write_text("my own notes\n")
    code = f"""
        import os
        for path in ({str(secret)!r}, {str(ROOT / "pyproject.toml")!r}, "mine.txt"):
            try:
                print(path.rsplit("/", 1)[-1], "read", open(path).read().strip())
            except OSError as exc:
                print(path.rsplit("/", 1)[-1], "missing", exc.errno)
        print(sorted(os.listdir({str(workspace.parent)!r})))
    """
    async with connect(workspace) as session:
        result = await call_ok(session, "run_python", code=textwrap.dedent(code))
    assert_not_leaked(result)
    # ENOENT: the directories holding them are empty, as is the workspace's parent but for the workspace.
    assert result["stdout"] == "secret.txt missing 2\npyproject.toml missing 2\nmine.txt read my own notes\n['ws']\n"
    assert result["sandbox"]["hidden_outside_workspace"] is True


@needs_hidden_filesystem
async def test_a_command_cannot_follow_a_symlink_out_of_the_workspace(workspace: Path, secret: Path):
    # The argument is a plain name, so only the sandbox can stop this: the path check sees nothing to refuse.
    (workspace / "innocent.txt").symlink_to(secret)
    (workspace / "mine.txt").write_text("my own notes\n")
    async with connect(workspace) as session:
        escaped = await call_ok(session, "run_command", argv=["cat", "innocent.txt"])
        own = await call_ok(session, "run_command", argv=["cat", "mine.txt"])
    assert_not_leaked(escaped)
    assert escaped["exit_code"] == 1 and "No such file or directory" in escaped["stderr"]
    assert own["exit_code"] == 0 and own["stdout"] == "my own notes\n"


@needs_hidden_filesystem
async def test_the_sandbox_cannot_write_to_the_hosts_shared_memory(workspace: Path):
    # /dev stays (device nodes), but its /dev/shm is the run's own: other processes' files there are not shared.
    code = "import os; open('/dev/shm/mark', 'w').write('x'); print(sorted(os.listdir('/dev/shm')))"
    async with connect(workspace) as session:
        result = await call_ok(session, "run_python", code=code)
    assert result["stdout"] == "['mark']\n"
    assert not Path("/dev/shm/mark").exists()


def test_the_readable_paths_never_include_the_checkout_or_the_root():
    readable = readable_paths(shutil.which("swift"))
    assert "/" not in readable
    for path in readable:
        # The virtualenv may live inside the checkout; the checkout itself (settings, checkpoints) may not show.
        assert not (ROOT == Path(path) or ROOT.is_relative_to(path)), path
    assert any(Path(sys.executable).resolve().is_relative_to(path) for path in readable)


SWIFT_READER = """\
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

for path in CommandLine.arguments.dropFirst() {
    guard let file = fopen(path, "r") else {
        print("\\(path.split(separator: "/").last!) missing \\(errno)")
        continue
    }
    var line = [CChar](repeating: 0, count: 256)
    let text = fgets(&line, 256, file) != nil ? String(cString: line) : ""
    fclose(file)
    print("\\(path.split(separator: "/").last!) read \\(text)", terminator: "")
}
"""
MANIFEST = """\
// swift-tools-version:5.9
import PackageDescription

let package = Package(name: "reader", targets: [.executableTarget(name: "reader")])
"""


@pytest.mark.swift
@pytest.mark.skipif(shutil.which("swift") is None, reason="needs the Swift toolchain on PATH")
@needs_hidden_filesystem
async def test_a_swift_program_builds_and_cannot_read_outside(workspace: Path, secret: Path):
    package = workspace / "reader"
    (package / "Sources" / "reader").mkdir(parents=True)
    (package / "Package.swift").write_text(MANIFEST)
    (package / "Sources" / "reader" / "main.swift").write_text(SWIFT_READER)
    (package / "data.txt").write_text("my own data\n")
    async with connect(workspace) as session:
        result = await call_ok(
            session, "swift_run", package_path="reader", arguments=[str(secret), "data.txt"], timeout=60
        )
    assert_not_leaked(result)
    assert result["stdout"] == "secret.txt missing 2\ndata.txt read my own data\n", result


@pytest.mark.skipif(not detect_isolation().read_only_outside_workspace, reason="this machine cannot remount read-only")
def test_hiding_that_would_break_python_falls_back_to_read_only_with_a_note():
    # The probe starts run_python's interpreter; with its installation left out it cannot start.
    notes: list[str] = []
    hidden, read_only = _filesystem_confinement(detect_isolation().namespace_prefix, ("/proc",), notes)
    assert (hidden, read_only) == (False, True)
    assert notes == ["files outside the workspace stay readable (read-only): hiding them is not permitted here"]


@needs_hidden_filesystem
def test_hiding_works_over_writable_host_mounts_from_a_hidden_directory(tmp_path: Path, monkeypatch):
    # Without /sys its cgroup mounts (writable on the host) lie under a cover: there is nothing to lock there.
    # The server's own directory is hidden too; every run starts inside its workspace anyway.
    monkeypatch.chdir(tmp_path)
    readable = tuple(path for path in detect_isolation().readable_paths if path != "/sys")
    notes: list[str] = []
    assert _filesystem_confinement(detect_isolation().namespace_prefix, readable, notes) == (True, True)
    assert notes == []
