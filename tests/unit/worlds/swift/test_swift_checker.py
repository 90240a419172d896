"""check_package against a scripted runner: what passes, and how each failure is explained."""

from __future__ import annotations

from typing import Any

from neuronaut.worlds.swift.checker import ToolFailed, check_package
from neuronaut.worlds.swift.spec import parse_spec

SPEC = parse_spec(
    "# Echo\n\n- Package: `say`\n\nSays things.\n\n## Examples\n\n```console\n"
    "$ say hi\nhi\n$ say --bad\n[exit 1]\n```\n"
)
BUILT = {"ok": True, "summary": "Build succeeded.", "diagnostics": []}


class ScriptedRunner:
    """Answers swift_build with ``build`` and swift_run by looking the arguments up in ``runs``."""

    def __init__(self, runs: dict[tuple[str, ...], Any], build: Any = BUILT) -> None:
        self.runs, self.build, self.calls = runs, build, []

    async def swift_build(self, package_path: str) -> dict[str, Any]:
        return self._answer(self.build)

    async def swift_run(
        self, package_path: str, arguments: list[str], stdin: str | None, timeout: float
    ) -> dict[str, Any]:
        self.calls.append((package_path, tuple(arguments), stdin))
        return self._answer(self.runs[tuple(arguments)])

    @staticmethod
    def _answer(value: Any) -> dict[str, Any]:
        if isinstance(value, Exception):
            raise value
        return value


def ran(stdout: str = "", exit_code: int | None = 0, **extra: Any) -> dict[str, Any]:
    return {"stdout": stdout, "exit_code": exit_code, "stderr": "", "timed_out": False, **extra}


async def test_a_package_matching_every_example_passes():
    runner = ScriptedRunner({("hi",): ran("hi\n"), ("--bad",): ran(exit_code=1)})
    report = await check_package("say", SPEC, runner)
    assert report.passed and report.summary() == "2/2 examples pass."
    assert runner.calls == [("say", ("hi",), None), ("say", ("--bad",), None)]


async def test_trailing_whitespace_and_blank_lines_do_not_matter():
    runner = ScriptedRunner({("hi",): ran("hi  \n\n"), ("--bad",): ran(exit_code=1)})
    assert (await check_package("say", SPEC, runner)).passed


async def test_different_stdout_fails_and_shows_both():
    runner = ScriptedRunner({("hi",): ran("hello\n"), ("--bad",): ran(exit_code=1)})
    report = await check_package("say", SPEC, runner)
    assert not report.passed and report.passed_count == 1
    assert "stdout differs: expected 'hi', got 'hello'" in report.summary()


async def test_a_wrong_exit_status_fails():
    runner = ScriptedRunner({("hi",): ran("hi\n"), ("--bad",): ran(exit_code=0, stderr="oops")})
    report = await check_package("say", SPEC, runner)
    assert "expected exit status 1, got 0; stderr: oops" in report.summary()


async def test_a_crash_is_reported_with_its_signal():
    crash = ran(exit_code=None, killed_by_signal="SIGILL", stderr="Fatal error: Index out of range")
    runner = ScriptedRunner({("hi",): crash, ("--bad",): ran(exit_code=1)})
    report = await check_package("say", SPEC, runner)
    assert "crashed (SIGILL): Fatal error: Index out of range" in report.summary()


async def test_a_timeout_is_reported_as_such():
    runner = ScriptedRunner({("hi",): ran(exit_code=None, timed_out=True, duration_s=10), ("--bad",): ran(exit_code=1)})
    report = await check_package("say", SPEC, runner)
    assert "timed out" in report.results[0].reason


async def test_a_failed_build_runs_no_example_and_keeps_the_diagnostics():
    diagnostic = {"file": "Sources/say/main.swift", "line": 1, "column": 1, "severity": "error", "message": "x"}
    build = {"ok": False, "summary": "Build failed: 1 error, 0 warnings.", "diagnostics": [diagnostic]}
    runner = ScriptedRunner({}, build=build)
    report = await check_package("say", SPEC, runner)
    assert not report.passed and report.results == [] and runner.calls == []
    assert report.diagnostics == [diagnostic]
    assert report.summary() == "say does not build. Build failed: 1 error, 0 warnings."


async def test_a_failing_tool_call_is_a_failed_check_not_an_exception():
    runner = ScriptedRunner({("hi",): ToolFailed("Build failed: ..."), ("--bad",): ran(exit_code=1)})
    report = await check_package("say", SPEC, runner)
    assert report.results[0].reason == "could not run: Build failed: ..."


async def test_a_failing_build_call_means_not_built():
    report = await check_package("say", SPEC, ScriptedRunner({}, build=ToolFailed("No Package.swift in say")))
    assert not report.built and "No Package.swift" in report.summary()


CONTRACT = parse_spec(
    "# say\n\nFails loudly: print `error: no input` to standard error and exit with status 2.\n\n"
    "## Examples\n\n```console\n$ say\n[exit 2]\n```\n"
)


async def test_a_stated_error_message_on_stderr_passes():
    runner = ScriptedRunner({(): ran(exit_code=2, stderr="error: no input\n")})
    assert (await check_package("say", CONTRACT, runner)).passed


async def test_a_wrong_error_message_fails_and_shows_the_expected_one():
    runner = ScriptedRunner({(): ran(exit_code=2, stderr="something broke\n")})
    report = await check_package("say", CONTRACT, runner)
    assert not report.passed
    assert "stderr lacks the README's message 'error: no input'; got 'something broke'" in report.summary()
