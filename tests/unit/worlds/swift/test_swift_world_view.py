"""What the Swift world shows and decides, against a fake code server: observation, check, path choices."""

from __future__ import annotations

from typing import Any

from neuronaut.settings import Settings
from neuronaut.tools.types import ToolOutcome
from neuronaut.worlds.swift.world import SwiftWorld, package_manifest
from tests.unit.worlds.swift.fakes import BROKEN, GREET, FakeCode, write_solution


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
    check = await world.check(world.goal("g"), code)
    assert not check.achieved and "no Swift file in Sources/greet/" in check.reason
    assert check.progress == {"built": False, "passed": 0, "total": 3, "checks_run": 0}
    assert code.calls == []


async def test_a_correct_package_achieves_the_goal(world: SwiftWorld) -> None:
    write_solution(world)
    code = FakeCode()
    check = await world.check(world.goal("g"), code)
    assert check.achieved and check.reason == "3/3 examples pass."
    assert check.progress == {"built": True, "passed": 3, "total": 3, "checks_run": 1}
    assert code.calls[0] == ("swift_build", {"package_path": "greet"})


async def test_a_compiler_error_is_shown_with_its_source_line(world: SwiftWorld) -> None:
    write_solution(world, 'let names = CommandLine.arguments.dropFirst()\nlet name = nme.isEmpty ? "world" : "x"\n')
    code = FakeCode(build=BROKEN)
    assert not (await world.check(world.goal("g"), code)).achieved
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
    await world.check(world.goal("g"), code)
    await world.observe(code)
    await world.check(world.goal("g"), code)
    assert code.count("swift_build") == 1 and world.checks_run == 1


async def test_a_changed_file_is_rebuilt(world: SwiftWorld) -> None:
    write_solution(world)
    code = FakeCode()
    await world.check(world.goal("g"), code)
    (world.package_dir / "Sources" / "greet" / "main.swift").write_text('print("Hello, world!")\n')
    await world.check(world.goal("g"), code)
    assert code.count("swift_build") == 2


async def test_a_build_without_a_verdict_is_tried_again(world: SwiftWorld) -> None:
    write_solution(world)

    class TimingOut(FakeCode):
        async def call(self, name: str, args: dict[str, Any]) -> ToolOutcome:
            self.calls.append((name, args))
            return ToolOutcome.failure(name, args, "no answer within 60s")

    code = TimingOut()
    first = await world.check(world.goal("g"), code)
    await world.check(world.goal("g"), code)
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


async def test_a_manifest_the_world_wrote_is_not_offered_for_rewriting(settings: Settings) -> None:
    world = SwiftWorld(GREET)
    world.servers(settings, "scaffolded")
    write_solution(world)
    choices = (await world.observe(FakeCode())).choices
    assert choices["write_file"]["path"] == ["Sources/greet/main.swift"]


def test_a_wrong_error_message_is_shown_as_such_not_as_equal_outputs(world: SwiftWorld) -> None:
    from neuronaut.worlds.swift import view
    from neuronaut.worlds.swift.checker import CheckReport, CheckResult

    reason = "stderr lacks the README's message 'usage: greet'; got 'oops'"
    failed = CheckResult(command="greet -x", passed=False, reason=reason, expected_stdout="", actual_stdout="",
                         expected_exit=1, actual_exit=1)
    report = CheckReport(package="greet", built=True, build_summary="Build succeeded.", results=[failed])
    assert f"FAIL $ greet -x\n  {reason}" in view.report_text(report, world.package_dir, "")
