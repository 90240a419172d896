"""The Swift world: spec loading, goal and briefing, workspace layout and the tools the model sees.

Builds and runs never happen here; see test_swift_world_view.py (fake code
server) and tests/integration/test_swift_agent.py (real swift).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from neuronaut.decision import tool_actions
from neuronaut.errors import UserError
from neuronaut.servers.code.server import build_server as build_code_server
from neuronaut.servers.files.server import build_server as build_files_server
from neuronaut.settings import Settings
from neuronaut.tools.types import ToolSpec
from neuronaut.worlds import get_world
from neuronaut.worlds.swift.world import SwiftWorld, package_manifest
from tests.unit.worlds.swift.fakes import GREET, ROOT, SOLUTION


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
    SwiftWorld(GREET).parse_goal("make it shine")  # raises UserError if refused


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


async def test_the_model_sees_six_tools_and_never_a_package_path(tmp_path: Path, world: SwiftWorld) -> None:
    catalogue = {}
    for server, built in (("files", build_files_server([tmp_path])), ("code", build_code_server(tmp_path / "ws"))):
        for tool in await built.list_tools():
            catalogue[tool.name] = ToolSpec(tool.name, server, tool.description or "", tool.inputSchema)
    params = {a.name: sorted(a.params["properties"]) for a in tool_actions(catalogue, world)}
    assert params == {
        "edit_file": ["edits", "path"], "list_directory": ["path"], "read_text_file": ["path"],
        "swift_build": [], "swift_run": ["arguments", "stdin"], "write_file": ["path"],  # content: drafted
    }


def test_code_tools_get_the_package_path_as_a_fixed_argument(world: SwiftWorld) -> None:
    assert world.fixed_args == {"swift_build": {"package_path": "greet"}, "swift_run": {"package_path": "greet"}}


def test_writing_and_running_in_the_workspace_needs_no_approval(world: SwiftWorld) -> None:
    write = ToolSpec("write_file", "files", "", {}, destructive=True)
    assert world.needs_approval(write) is False


def test_the_result_names_the_package_directory(world: SwiftWorld, settings: Settings) -> None:
    assert world.result_dir() == settings.worlds_dir / "swift-run_1" / "greet"


def test_a_readme_in_another_style_is_a_spec_the_world_runs() -> None:
    world = SwiftWorld("examples/swift/roman/variants/usage.md")
    assert (world.package, world.spec.executable, len(world.spec.checks)) == ("roman", "roman", 7)
    assert world.default_goal() == "build the Swift package `roman` from its README so that every example passes"
