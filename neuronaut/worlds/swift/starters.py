"""Hand-written starter skills for the Swift world, so a small model can compose from its first step.

Paths are relative to the package folder (the Swift world roots the files
server there) and ``package_path`` is left out of the code-tool steps: the
world injects it as a fixed argument, as for the model's own calls.
"""

from __future__ import annotations

from neuronaut.skills.model import Skill, SkillParameter, SkillStep

WORLD = "swift"

# "{name}" is the skill's placeholder; Swift's own braces never look like one ("{\n", "{ $0 }").
_MANIFEST = (
    "// swift-tools-version:5.9\nimport PackageDescription\n\nlet package = Package(\n"
    '    name: "{name}",\n    targets: [\n        .executableTarget(name: "{name}")\n    ]\n)\n'
)
_STUB = "let arguments = CommandLine.arguments.dropFirst()\nprint(arguments.joined(separator: \" \"))\n"


def _create_executable_package() -> Skill:
    return Skill(
        name="create-executable-package",
        description="Write Package.swift for an executable named name and a stub Sources/<name>/main.swift.",
        world=WORLD,
        goal="create a Swift executable package",
        parameters={"name": SkillParameter(description="The package and executable name from the README.")},
        steps=[
            SkillStep(tool="write_file", args={"path": "Package.swift", "content": _MANIFEST}),
            SkillStep(tool="write_file", args={"path": "Sources/{name}/main.swift", "content": _STUB}),
        ],
        kind="starter",
    )


def _build_and_run_with_input() -> Skill:
    return Skill(
        name="build-and-run-with-input",
        description="Build the package and run it with no arguments, giving it stdin as standard input.",
        world=WORLD,
        goal="try the Swift program on some input",
        parameters={"stdin": SkillParameter(description="The text to feed to standard input.")},
        steps=[SkillStep(tool="swift_run", args={"arguments": [], "stdin": "{stdin}"})],
        kind="starter",
    )


def _build_and_run_with_argument() -> Skill:
    return Skill(
        name="build-and-run-with-argument",
        description="Build the package and run it with one command-line argument and empty standard input.",
        world=WORLD,
        goal="try the Swift program with an argument",
        parameters={"argument": SkillParameter(description="The single command-line argument.")},
        steps=[SkillStep(tool="swift_run", args={"arguments": ["{argument}"], "stdin": ""})],
        kind="starter",
    )


def swift_starter_skills() -> list[Skill]:
    """Fresh copies of the Swift world's starter skills."""
    return [_create_executable_package(), _build_and_run_with_input(), _build_and_run_with_argument()]
