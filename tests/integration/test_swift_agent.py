"""The agent loop in the Swift world: a scripted model, the real files and code servers over stdio, real swift.

The feedback path under test: a compiler error produced by a real
``swift build`` reaches the model's next prompt, and a fix written after it
ends the run ``achieved`` by the world's own checker.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from neuronaut.api import arun_goal
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.settings import Settings
from neuronaut.worlds.swift.world import package_manifest

pytestmark = [
    pytest.mark.integration,
    pytest.mark.swift,
    pytest.mark.skipif(shutil.which("swift") is None, reason="needs the Swift toolchain on PATH"),
]

ROOT = Path(__file__).parents[2]
GREET = {"spec": "examples/swift/greet/README.md", "scaffold": False}  # the model writes the manifest too
MAIN = "Sources/greet/main.swift"
BROKEN = (
    "let names = CommandLine.arguments.dropFirst()\n"
    'let name = nme.isEmpty ? "world" : names.joined(separator: " ")\n'
    'print("Hello, \\(name)!")\n'
)
FIXED = BROKEN.replace("nme.isEmpty", "names.isEmpty")


def write(path: str, content: str, thought: str) -> tuple[dict, str]:
    """A write_file decision, then the file itself in the drafting answer that follows it."""
    return {"thought": thought, "tool": "write_file", "args": {"path": path}}, f"```swift\n{content}```"


@pytest.fixture
def settings(home: Path) -> Settings:
    return Settings.load(env={"NEURONAUT_HOME": str(home), "NEURONAUT_EMBEDDING_MODEL": "hash-128"})


async def test_a_compiler_error_reaches_the_model_and_its_fix_passes(settings: Settings) -> None:
    model = ScriptedModel(
        *write("Package.swift", package_manifest("greet", "greet"), "manifest first"),
        *write(MAIN, BROKEN, "greet by name"),
        *write(MAIN, FIXED, "fix the typo"),
    )
    result = await arun_goal("", world="swift", world_options=GREET, settings=settings, decision_model=model,
                             max_steps=5, thread_id="fix")

    assert result.status == "achieved", result.stop_reason
    assert result.stop_reason == "3/3 examples pass."
    assert result.steps == 3 and result.goal.startswith("build the Swift package `greet`")
    error = "Sources/greet/main.swift:2:12: error: cannot find 'nme' in scope"
    decision_after_broken_build, draft_of_the_fix = (call[0][-1].content for call in model.calls[4:6])
    assert error in decision_after_broken_build and "Build failed: 1 error." in decision_after_broken_build
    # The drafting call sees the error, the file as it is and the plan, and its answer is what gets written.
    assert error in draft_of_the_fix and BROKEN.strip() in draft_of_the_fix and "Your plan: fix the typo" in draft_of_the_fix
    assert result.llm_calls == 6
    # The JSON result names the package it built, so the user (and this test) can find it.
    package = Path(result.to_dict()["package_dir"])
    assert package == settings.worlds_dir / "swift-fix" / "greet"
    assert (package / MAIN).read_text() == FIXED


async def test_by_default_the_model_starts_from_a_written_manifest(settings: Settings) -> None:
    model = ScriptedModel(*write(MAIN, BROKEN, "greet by name"))
    await arun_goal("", world="swift", world_options={"spec": "greet"}, settings=settings, decision_model=model,
                    max_steps=1, thread_id="first")

    system, user = model.calls[0][0][0].content, model.calls[0][0][-1].content
    assert "$ greet Ada\nHello, Ada!" in system and "- swift_build(): " in system
    assert "Package files: Package.swift (160 B), Sources/greet/ (empty)" in user
    assert "Next: write Sources/greet/main.swift." in user


async def test_a_correct_starter_package_passes_the_world_checker(settings: Settings) -> None:
    model = ScriptedModel({"thought": "look first", "tool": "list_directory", "args": {"path": "."}})
    options = {**GREET, "starter": str(ROOT / "tests" / "fixtures" / "swift_solutions" / "greet")}
    result = await arun_goal("", world="swift", world_options=options, settings=settings, decision_model=model,
                             max_steps=3, thread_id="solved")

    assert result.status == "achieved" and result.steps == 1
    assert "Build: ok. Examples: 3/3 pass." in model.calls[0][0][-1].content
