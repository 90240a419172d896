"""Shared by the Swift world's unit tests: a fake code server and the greet spec's files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from neuronaut.tools.types import ToolOutcome
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


def write_solution(world: SwiftWorld, main: str | None = None) -> None:
    (world.package_dir / "Package.swift").write_text(package_manifest("greet", "greet"))
    source = main if main is not None else (SOLUTION / "Sources" / "greet" / "main.swift").read_text()
    (world.package_dir / "Sources" / "greet" / "main.swift").write_text(source)
