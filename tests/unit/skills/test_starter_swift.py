"""The Swift starter skills, run through the real files server (in process) and a recording fake."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mcp.server.fastmcp.exceptions import ToolError

from neuronaut.servers.files.server import build_server
from neuronaut.skills.runner import run_skill
from neuronaut.worlds.swift.starters import swift_starter_skills
from neuronaut.tools.types import ToolOutcome
from neuronaut.worlds.swift.world import SwiftWorld, package_manifest


def starter(name: str):
    return next(skill for skill in swift_starter_skills() if skill.name == name)


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def __call__(self, tool: str, args: dict[str, Any]) -> ToolOutcome:
        self.calls.append((tool, args))
        return ToolOutcome(tool=tool, args=args, ok=True, text="ok")


async def test_create_executable_package_writes_the_manifest_the_briefing_shows(tmp_path: Path) -> None:
    (tmp_path / "Sources" / "greet").mkdir(parents=True)  # the Swift world creates it for every run
    files = build_server([tmp_path])

    async def call(tool: str, args: dict[str, Any]) -> ToolOutcome:
        try:
            await files.call_tool(tool, args)
        except ToolError as exc:
            return ToolOutcome.failure(tool, args, str(exc))
        return ToolOutcome(tool=tool, args=args, ok=True)

    run = await run_skill(starter("create-executable-package"), {"name": "greet"}, call)

    assert run.ok, run.summary
    assert (tmp_path / "Package.swift").read_text() == package_manifest("greet", "greet")
    assert "CommandLine.arguments" in (tmp_path / "Sources" / "greet" / "main.swift").read_text()


async def test_build_and_run_with_an_argument_passes_it_as_a_list() -> None:
    tools = Recorder()
    run = await run_skill(starter("build-and-run-with-argument"), {"argument": "Ada"}, tools)
    assert run.ok
    assert tools.calls == [("swift_run", {"arguments": ["Ada"], "stdin": ""})]


async def test_build_and_run_with_input_feeds_stdin() -> None:
    tools = Recorder()
    await run_skill(starter("build-and-run-with-input"), {"stdin": "a b\n"}, tools)
    assert tools.calls == [("swift_run", {"arguments": [], "stdin": "a b\n"})]


def test_every_step_uses_a_tool_the_swift_world_allows() -> None:
    used = {step.tool for skill in swift_starter_skills() for step in skill.steps}
    assert used <= SwiftWorld.allowed_tools


def test_starters_are_marked_as_such_and_fresh() -> None:
    first = swift_starter_skills()
    first[0].steps[0].args["path"] = "changed"
    assert all(skill.kind == "starter" and skill.world == "swift" for skill in first)
    assert swift_starter_skills()[0].steps[0].args["path"] == "Package.swift"
