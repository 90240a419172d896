"""Real `swift build` through the code server over real stdio, judged by the README checker.

Each real build costs several seconds, so only three packages are built by
default; the `slow` test builds every reference solution.
"""

from __future__ import annotations

import shutil
import sys
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from neuronaut.worlds.swift.checker import check_package
from neuronaut.worlds.swift.runners import SessionRunner
from neuronaut.worlds.swift.spec import parse_spec
from neuronaut.worlds.swift.world import package_manifest
from tests.mcp_results import call_ok

pytestmark = [
    pytest.mark.integration,
    pytest.mark.swift,
    pytest.mark.skipif(shutil.which("swift") is None, reason="needs the Swift toolchain on PATH"),
]

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples" / "swift"
SOLUTIONS = ROOT / "tests" / "fixtures" / "swift_solutions"
ALL_SPECS = sorted(path.parent.name for path in EXAMPLES.glob("*/README.md"))


def spec_of(name: str):
    return parse_spec((EXAMPLES / name / "README.md").read_text())


def copy_solution(name: str, workspace: Path) -> Path:
    return Path(shutil.copytree(SOLUTIONS / name, workspace / name))


@asynccontextmanager
async def code_server(workspace: Path):
    params = StdioServerParameters(command=sys.executable, args=["-m", "neuronaut.servers.code", str(workspace)])
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        yield session


async def test_reference_solution_builds_and_passes_its_examples(tmp_path: Path):
    copy_solution("greet", tmp_path)
    async with code_server(tmp_path) as session:
        report = await check_package("greet", spec_of("greet"), SessionRunner(session))
    assert report.passed, report.summary()
    assert report.passed_count == len(spec_of("greet").checks)


async def test_a_broken_package_returns_structured_diagnostics(tmp_path: Path):
    package = copy_solution("greet", tmp_path)
    main = package / "Sources" / "greet" / "main.swift"
    main.write_text(main.read_text() + "let count: Int = names\n")
    async with code_server(tmp_path) as session:
        build = await call_ok(session, "swift_build", package_path="greet")
        report = await check_package("greet", spec_of("greet"), SessionRunner(session))
    assert build["ok"] is False and build["summary"].startswith("Build failed: 1 error")
    (error,) = [d for d in build["diagnostics"] if d["severity"] == "error"]
    assert (error["file"], error["line"]) == ("Sources/greet/main.swift", 4)
    assert "cannot convert value" in error["message"]
    assert not report.built and report.results == []


async def test_a_package_that_builds_but_misbehaves_fails_the_check(tmp_path: Path):
    package = copy_solution("greet", tmp_path)
    (package / "Sources" / "greet" / "main.swift").write_text('print("Hello, world!")\n')
    async with code_server(tmp_path) as session:
        report = await check_package("greet", spec_of("greet"), SessionRunner(session))
    assert report.built and not report.passed
    assert report.passed_count == 1
    assert "expected 'Hello, Ada!', got 'Hello, world!'" in report.summary()


@pytest.mark.slow
@pytest.mark.parametrize("name", ALL_SPECS)
async def test_every_reference_solution_passes_its_spec(tmp_path: Path, name: str):
    copy_solution(name, tmp_path)
    async with code_server(tmp_path) as session:
        report = await check_package(name, spec_of(name), SessionRunner(session))
    assert report.passed, report.summary()


CONTRACT_README = """# halve

Halves a whole number.

## Usage

    halve 10    # prints 5
    halve x     # exits with status 2

When the argument is not a whole number, print `error: not a number` to standard error and exit with status 2.
"""
HALVE = """import Foundation
guard CommandLine.arguments.count == 2, let n = Int(CommandLine.arguments[1]) else {
    fputs("MESSAGE\\n", stderr)
    exit(2)
}
print(n / 2)
"""


@pytest.mark.parametrize(("message", "passes"), [("error: not a number", True), ("bad input", False)])
async def test_the_error_message_a_readme_states_is_required_on_stderr(tmp_path: Path, message: str, passes: bool):
    spec = parse_spec(CONTRACT_README)
    package = tmp_path / "halve"
    (package / "Sources" / "halve").mkdir(parents=True)
    (package / "Package.swift").write_text(package_manifest("halve", "halve"))
    (package / "Sources" / "halve" / "main.swift").write_text(HALVE.replace("MESSAGE", message))
    async with code_server(tmp_path) as session:
        report = await check_package("halve", spec, SessionRunner(session))
    assert report.built and report.passed_count == (2 if passes else 1), report.summary()
    if not passes:
        assert "stderr lacks the README's message 'error: not a number'; got 'bad input'" in report.summary()
