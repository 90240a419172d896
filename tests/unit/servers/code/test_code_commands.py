"""run_command: allowlisted programs only, no shell, paths kept inside the workspace."""

from __future__ import annotations

from pathlib import Path

from tests.mcp_results import call_error, call_ok
from tests.unit.servers.code.code_testkit import connect


async def test_an_allowed_program_runs(workspace: Path):
    async with connect(workspace) as session:
        result = await call_ok(session, "run_command", argv=["echo", "hello"])
    assert (result["exit_code"], result["stdout"]) == (0, "hello\n")


async def test_there_is_no_shell_between(workspace: Path):
    async with connect(workspace) as session:
        result = await call_ok(session, "run_command", argv=["echo", "$HOME", "|", "wc", ";", "ls"])
    assert result["stdout"] == "$HOME | wc ; ls\n"


async def test_a_program_outside_the_allowlist_is_refused(workspace: Path):
    async with connect(workspace) as session:
        error = await call_error(session, "run_command", argv=["sh", "-c", "echo hi"])
    assert "not an allowed program" in error and "swift" in error


async def test_a_program_given_by_path_is_refused(workspace: Path):
    async with connect(workspace) as session:
        error = await call_error(session, "run_command", argv=["/bin/echo", "hi"])
    assert "not an allowed program" in error


async def test_cwd_selects_a_directory_inside_the_workspace(workspace: Path):
    (workspace / "pkg").mkdir()
    (workspace / "pkg" / "a.txt").write_text("x")
    async with connect(workspace) as session:
        result = await call_ok(session, "run_command", argv=["ls"], cwd="pkg")
    assert result["stdout"] == "a.txt\n"


async def test_cwd_outside_the_workspace_is_denied(workspace: Path):
    async with connect(workspace) as session:
        error = await call_error(session, "run_command", argv=["ls"], cwd="..")
    assert "Access denied" in error


async def test_path_arguments_outside_the_workspace_are_denied(workspace: Path):
    async with connect(workspace) as session:
        absolute = await call_error(session, "run_command", argv=["cat", "/etc/passwd"])
        climbing = await call_error(session, "run_command", argv=["cat", "../../etc/passwd"])
    assert "Access denied" in absolute and "Access denied" in climbing


async def test_path_arguments_inside_the_workspace_are_allowed(workspace: Path):
    (workspace / "a.txt").write_text("content\n")
    async with connect(workspace) as session:
        result = await call_ok(session, "run_command", argv=["cat", str(workspace / "a.txt")])
    assert result["stdout"] == "content\n"


async def test_stdin_is_passed_to_the_command(workspace: Path):
    async with connect(workspace) as session:
        result = await call_ok(session, "run_command", argv=["wc", "-w"], stdin="one two three")
    assert result["stdout"].strip() == "3"


async def test_tools_carry_behaviour_annotations(workspace: Path):
    async with connect(workspace) as session:
        tools = {t.name: t for t in (await session.list_tools()).tools}
    assert set(tools) == {"swift_build", "swift_run", "swift_test", "run_python", "run_command"}
    assert tools["swift_build"].annotations.destructiveHint is False
    assert tools["swift_build"].annotations.idempotentHint is True
    assert tools["run_command"].annotations.readOnlyHint is False
