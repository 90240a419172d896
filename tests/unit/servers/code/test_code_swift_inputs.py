"""Swift tools: bad package paths refused before the compiler starts; test-count summaries."""

from __future__ import annotations

from pathlib import Path

from neuronaut.servers.code.swift import summarize_test_counts
from tests.mcp_results import call_error
from tests.unit.servers.code.code_testkit import connect


async def test_a_directory_without_package_swift_is_refused(workspace: Path):
    (workspace / "empty").mkdir()
    async with connect(workspace) as session:
        error = await call_error(session, "swift_build", package_path="empty")
    assert "No Package.swift in empty" in error


async def test_a_package_outside_the_workspace_is_denied(workspace: Path, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "Package.swift").write_text("// swift-tools-version:5.9\n")
    async with connect(workspace) as session:
        error = await call_error(session, "swift_run", package_path=str(elsewhere))
    assert "Access denied" in error


async def test_a_missing_package_directory_is_reported(workspace: Path):
    async with connect(workspace) as session:
        error = await call_error(session, "swift_test", package_path="nope")
    assert "No such file or directory: nope" in error


def test_test_counts_prefer_the_runner_that_ran_tests():
    output = (
        "\t Executed 2 tests, with 1 failure (0 unexpected) in 0.004 (0.004) seconds\n"
        "✔ Test run with 0 tests in 0 suites passed after 0.001 seconds.\n"
    )
    expected = "Executed 2 tests, with 1 failure (0 unexpected) in 0.004 (0.004) seconds"
    assert summarize_test_counts(output) == expected
