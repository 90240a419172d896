"""The Swift world: spec loading, workspace layout, what the model sees, and checking without swift.

Builds and runs are answered by a fake code server (``FakeCode``); real
``swift build`` runs belong to tests/integration/test_swift_agent.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from neuronaut.decision import tool_actions
from neuronaut.errors import UserError
from neuronaut.servers.code.server import build_server as build_code_server
from neuronaut.servers.files.server import build_server as build_files_server
from neuronaut.settings import Settings
from neuronaut.tools.types import ToolOutcome, ToolSpec
from neuronaut.worlds import get_world
from neuronaut.worlds.swift.world import SwiftWorld, package_manifest

ROOT = Path(__file__).parents[4]
GREET = "examples/swift/greet/README.md"
SOLUTION = ROOT / "tests" / "fixtures" / "swift_solutions" / "greet"
GREETINGS = {(): "Hello, world!\n", ("Ada",): "Hello, Ada!\n", ("Grace", "Hopper"): "Hello, Grace Hopper!\n"}
BUILT = {"ok": True, "summary": "Build succeeded.", "diagnostics": []}
BROKEN = {
    "ok": False,
    "summary": "Build failed: 1 error, 0 warnings. First: Sources/greet/main.swift:2:12: error: cannot find 'nme'",
    "diagnostics": [
        {"file": "Sources/greet/main.swift", "line": 2, "column": 12, "severity": "error",
         "message": "cannot find 'nme' in scope", "notes": []},
        {"file": None, "line": None, "column": None, "severity": "warning",
         "message": "/root/.swiftpm/configuration is not accessible", "notes": []},
    ],
}


class FakeCode:
    """Answers swift_build with ``build`` and swift_run from ``outputs`` (by arguments); records calls."""

    def __init__(self, build: dict[str, Any] | None = None, outputs: dict[tuple, str] | None = None) -> None:
        self.build = build or BUILT
        self.outputs = GREETINGS if outputs is None else outputs
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def call(self, name: str, args: dict[str, Any]) -> ToolOutcome:
        self.calls.append((name, args))
        if name == "swift_build":
            return ToolOutcome(tool=name, args=args, ok=True, structured=self.build)
        stdout = self.outputs.get(tuple(args["arguments"]), "")
        return ToolOutcome(tool=name, args=args, ok=True,
                           structured={"stdout": stdout, "stderr": "", "exit_code": 0, "timed_out": False})

    def count(self, tool: str) -> int:
        return sum(name == tool for name, _ in self.calls)


@pytest.fixture
def world(settings: Settings) -> SwiftWorld:
    """An empty package: no manifest written for the model (scaffold=False)."""
    world = SwiftWorld(GREET, scaffold=False)
    world.servers(settings, "run 1")
    return world


def write_solution(world: SwiftWorld, main: str | None = None) -> None:
    (world.package_dir / "Package.swift").write_text(package_manifest("greet", "greet"))
    source = main if main is not None else (SOLUTION / "Sources" / "greet" / "main.swift").read_text()
    (world.package_dir / "Sources" / "greet" / "main.swift").write_text(source)


# -- the spec -------------------------------------------------------------------------


def test_an_unknown_spec_is_refused_naming_it_and_the_bundled_specs() -> None:
    with pytest.raises(UserError) as caught:
        SwiftWorld("examples/swift/nope/README.md")
    message = str(caught.value)
    assert "examples/swift/nope/README.md" in message
    assert GREET in message and "examples/swift/rpn/README.md" in message


@pytest.mark.parametrize("spec", ["greet", "examples/swift/greet", str(ROOT / GREET)])
def test_a_spec_can_be_named_by_bundled_name_folder_or_path(spec: str) -> None:
    assert SwiftWorld(spec).spec_path == (ROOT / GREET).resolve()


def test_a_readme_without_examples_is_refused_naming_its_path(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Thing\n\n- Package: `thing`\n\nDoes things.\n")
    with pytest.raises(UserError, match=rf"{readme}.*no '## Examples' section"):
        SwiftWorld(readme)


def test_a_missing_starter_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="starter package .* is not a directory"):
        SwiftWorld(GREET, starter=tmp_path / "absent")


def test_get_world_passes_the_options_on() -> None:
    world = get_world("swift", None, spec=GREET)
    assert isinstance(world, SwiftWorld) and world.package == "greet"


# -- goal and briefing --------------------------------------------------------------


def test_the_default_goal_names_the_package() -> None:
    assert SwiftWorld(GREET).default_goal() == (
        "build the Swift package `greet` from its README so that every example passes"
    )


def test_any_goal_is_accepted() -> None:
    SwiftWorld(GREET).validate_goal("make it shine")  # raises UserError if refused


def test_the_briefing_holds_the_readme_and_the_layout() -> None:
    briefing = SwiftWorld(GREET).briefing()
    assert "$ greet Grace Hopper\nHello, Grace Hopper!" in briefing
    assert package_manifest("greet", "greet") in briefing
    assert "// swift-tools-version:5.9" in briefing and '.executableTarget(name: "greet")' in briefing
    assert "Sources/greet/main.swift" in briefing


@pytest.mark.parametrize(("spec", "said", "unsaid"), [
    ("greet", "command-line arguments (Array(CommandLine.arguments.dropFirst()))", "readLine()"),
    ("wordcount", "standard input (read lines with readLine() until it returns nil)", "CommandLine"),
    ("calc", "call exit(N)", "readLine()"),
])
def test_the_briefing_says_where_the_examples_input_comes_from(spec: str, said: str, unsaid: str) -> None:
    briefing = SwiftWorld(spec).briefing()
    assert said in briefing and unsaid not in briefing


def test_a_huge_readme_is_cut_in_the_briefing(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text((ROOT / GREET).read_text().replace("## Usage", "x" * 10_000 + "\n\n## Usage"))
    briefing = SwiftWorld(readme).briefing()
    assert "[README cut here]" in briefing and len(briefing) < 5000


# -- servers and tools ----------------------------------------------------------------


def test_servers_root_files_at_the_package_and_code_at_the_workspace(settings: Settings) -> None:
    world = SwiftWorld(GREET)
    files, code = world.servers(settings, "swift-1/a b")
    workspace = settings.worlds_dir / "swift-swift-1_a_b"
    assert files.args == ("-m", "neuronaut.servers.files", str(workspace / "greet"))
    assert code.args[:3] == ("-m", "neuronaut.servers.code", str(workspace))
    assert (workspace / "greet" / "Sources" / "greet").is_dir()  # write_file needs the folder to exist


def test_by_default_the_manifest_is_written_for_the_model(settings: Settings) -> None:
    world = SwiftWorld(GREET)
    world.servers(settings, "scaffolded")
    assert (world.package_dir / "Package.swift").read_text() == package_manifest("greet", "greet")


def test_the_scaffold_never_replaces_a_manifest(settings: Settings, world: SwiftWorld) -> None:
    (world.package_dir / "Package.swift").write_text("// mine\n")
    SwiftWorld(GREET).servers(settings, "run 1")
    assert (world.package_dir / "Package.swift").read_text() == "// mine\n"


def test_a_restarted_run_keeps_its_files(settings: Settings, world: SwiftWorld) -> None:
    (world.package_dir / "Package.swift").write_text("// mine\n")
    again = SwiftWorld(GREET, starter=SOLUTION)
    again.servers(settings, "run 1")
    assert (again.package_dir / "Package.swift").read_text() == "// mine\n"


def test_a_starter_package_is_copied_into_a_fresh_workspace(settings: Settings) -> None:
    world = SwiftWorld(GREET, starter=SOLUTION)
    world.servers(settings, "fresh")
    assert (world.package_dir / "Sources" / "greet" / "main.swift").read_text() == (
        SOLUTION / "Sources" / "greet" / "main.swift"
    ).read_text()


async def test_the_model_sees_five_tools_and_never_a_package_path(tmp_path: Path, world: SwiftWorld) -> None:
    catalogue = {}
    for server, built in (("files", build_files_server([tmp_path])), ("code", build_code_server(tmp_path / "ws"))):
        for tool in await built.list_tools():
            catalogue[tool.name] = ToolSpec(tool.name, server, tool.description or "", tool.inputSchema)
    params = {a.name: sorted(a.params["properties"]) for a in tool_actions(catalogue, world)}
    assert params == {
        "list_directory": ["path"], "read_text_file": ["path"],
        "swift_build": [], "swift_run": ["arguments", "stdin"], "write_file": ["content", "path"],
    }


def test_code_tools_get_the_package_path_as_a_fixed_argument(world: SwiftWorld) -> None:
    assert world.fixed_args == {"swift_build": {"package_path": "greet"}, "swift_run": {"package_path": "greet"}}


# -- observe and check --------------------------------------------------------------------


async def test_an_empty_package_is_observed_without_building(world: SwiftWorld) -> None:
    code = FakeCode()
    observation = await world.observe(code)
    assert observation.text.splitlines()[0] == "Package files: Sources/greet/ (empty)"
    assert observation.text.endswith("Next: write Package.swift.")
    assert code.calls == []


async def test_a_package_without_sources_is_not_built(world: SwiftWorld) -> None:
    (world.package_dir / "Package.swift").write_text(package_manifest("greet", "greet"))
    code = FakeCode()
    check = await world.check("g", code)
    assert not check.achieved and "no Swift file in Sources/greet/" in check.reason
    assert check.progress == {"built": False, "passed": 0, "total": 3, "checks_run": 0}
    assert code.calls == []


async def test_a_correct_package_achieves_the_goal(world: SwiftWorld) -> None:
    write_solution(world)
    code = FakeCode()
    check = await world.check("g", code)
    assert check.achieved and check.reason == "3/3 examples pass."
    assert check.progress == {"built": True, "passed": 3, "total": 3, "checks_run": 1}
    assert code.calls[0] == ("swift_build", {"package_path": "greet"})


async def test_a_compiler_error_is_shown_with_its_source_line(world: SwiftWorld) -> None:
    write_solution(world, 'let names = CommandLine.arguments.dropFirst()\nlet name = nme.isEmpty ? "world" : "x"\n')
    code = FakeCode(build=BROKEN)
    assert not (await world.check("g", code)).achieved
    lines = (await world.observe(code)).text.splitlines()
    assert lines[1:4] == [
        "Build failed: 1 error.",
        "Sources/greet/main.swift:2:12: error: cannot find 'nme' in scope",
        '  2 | let name = nme.isEmpty ? "world" : "x"',
    ]
    assert "swiftpm" not in "\n".join(lines)  # SwiftPM's cache warnings are noise to the model


async def test_a_failing_example_shows_expected_and_actual_output(world: SwiftWorld) -> None:
    write_solution(world)
    code = FakeCode(outputs={(): "Hello, world!\n", ("Ada",): "Hello, world!\n", ("Grace", "Hopper"): "Hello!\n"})
    text = (await world.observe(code)).text
    assert "Build: ok. Examples: 1/3 pass." in text
    assert "FAIL $ greet Ada\n  expected: 'Hello, Ada!'\n  got:      'Hello, world!'" in text
    assert text.endswith("so the failing example prints exactly the expected output.")


async def test_an_unchanged_package_is_not_rebuilt(world: SwiftWorld) -> None:
    write_solution(world)
    code = FakeCode()
    await world.check("g", code)
    await world.observe(code)
    await world.check("g", code)
    assert code.count("swift_build") == 1 and world.checks_run == 1


async def test_a_changed_file_is_rebuilt(world: SwiftWorld) -> None:
    write_solution(world)
    code = FakeCode()
    await world.check("g", code)
    (world.package_dir / "Sources" / "greet" / "main.swift").write_text('print("Hello, world!")\n')
    await world.check("g", code)
    assert code.count("swift_build") == 2


async def test_a_build_without_a_verdict_is_tried_again(world: SwiftWorld) -> None:
    write_solution(world)

    class TimingOut(FakeCode):
        async def call(self, name: str, args: dict[str, Any]) -> ToolOutcome:
            self.calls.append((name, args))
            return ToolOutcome.failure(name, args, "no answer within 60s")

    code = TimingOut()
    first = await world.check("g", code)
    await world.check("g", code)
    assert "no answer within 60s" in first.reason
    assert code.count("swift_build") == 2


# -- what the model may write --------------------------------------------------------------


async def test_only_the_manifest_can_be_written_first(world: SwiftWorld) -> None:
    choices = (await world.observe(FakeCode())).choices
    assert choices == {"write_file": {"path": ["Package.swift"]}}


async def test_after_the_manifest_the_program_is_the_file_to_write(world: SwiftWorld) -> None:
    (world.package_dir / "Package.swift").write_text(package_manifest("greet", "greet"))
    choices = (await world.observe(FakeCode())).choices
    assert choices["write_file"] == {"path": ["Sources/greet/main.swift"]}
    assert choices["read_text_file"] == {"path": ["Package.swift"]}


async def test_a_complete_package_offers_every_file_for_rewriting(world: SwiftWorld) -> None:
    write_solution(world)
    (world.package_dir / "Sources" / "greet" / "Names.swift").write_text("let x = 1\n")
    choices = (await world.observe(FakeCode())).choices
    assert choices["write_file"]["path"] == ["Sources/greet/main.swift", "Package.swift", "Sources/greet/Names.swift"]


def test_writing_and_running_in_the_workspace_needs_no_approval(world: SwiftWorld) -> None:
    write = ToolSpec("write_file", "files", "", {}, destructive=True)
    assert world.needs_approval(write) is False


async def test_a_manifest_the_world_wrote_is_not_offered_for_rewriting(settings: Settings) -> None:
    world = SwiftWorld(GREET)
    world.servers(settings, "scaffolded")
    write_solution(world)
    choices = (await world.observe(FakeCode())).choices
    assert choices["write_file"]["path"] == ["Sources/greet/main.swift"]
