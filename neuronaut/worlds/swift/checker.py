"""Deciding whether a Swift package does what its README says: build it, run every example.

``check_package`` talks to the code server only through a ``SwiftRunner``:
two async calls shaped exactly like the MCP tools ``swift_build`` and
``swift_run`` (same arguments, the same structured results as dicts). The
runners in ``neuronaut.worlds.swift.runners`` provide them three ways: through
the agent's tool caller (what the world checker uses, so checking goes through
the same sandboxed MCP server as the agent's own attempts), through a raw MCP
``ClientSession``, or in-process for tests and scripts.

Comparison is exact on stdout, except that trailing spaces at the ends of
lines and trailing blank lines are ignored; the exit status must match; when
the README states an error message (``expected_stderr``), stderr must contain
it, otherwise stderr is free.
"""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, Field

from neuronaut.worlds.swift.acceptance import AcceptanceCheck, SwiftSpec

DEFAULT_RUN_TIMEOUT_S = 10.0
STDERR_MISMATCH = "stderr lacks the README's message"
SHOWN_OUTPUT_CHARS = 300


class ToolFailed(RuntimeError):
    """The tool call itself failed (isError); the message is the server's."""


class SwiftRunner(Protocol):
    async def swift_build(self, package_path: str) -> dict[str, Any]: ...

    async def swift_run(
        self, package_path: str, arguments: list[str], stdin: str | None, timeout: float
    ) -> dict[str, Any]: ...


class CheckResult(BaseModel):
    command: str
    passed: bool
    reason: str = Field("", description="Why it failed, empty when it passed.")
    expected_stdout: str
    actual_stdout: str = ""
    expected_exit: int
    actual_exit: int | None = None


class CheckReport(BaseModel):
    package: str
    built: bool
    build_summary: str
    diagnostics: list[dict[str, Any]] = Field(default_factory=list)
    results: list[CheckResult] = Field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.built and bool(self.results) and all(r.passed for r in self.results)

    @property
    def passed_count(self) -> int:
        return sum(r.passed for r in self.results)

    def summary(self) -> str:
        if not self.built:
            return f"{self.package} does not build. {self.build_summary}"
        head = f"{self.passed_count}/{len(self.results)} examples pass."
        failure = next((r for r in self.results if not r.passed), None)
        return head if failure is None else f"{head} First failure: `$ {failure.command}`: {failure.reason}"


async def check_package(
    package_dir: str, spec: SwiftSpec, runner: SwiftRunner, *, timeout: float = DEFAULT_RUN_TIMEOUT_S
) -> CheckReport:
    """Build ``package_dir`` (a path as the code server sees it) and run each of ``spec``'s examples."""
    try:
        build = await runner.swift_build(package_dir)
    except ToolFailed as exc:
        return CheckReport(package=spec.package, built=False, build_summary=str(exc))
    report = CheckReport(
        package=spec.package,
        built=bool(build.get("ok")),
        build_summary=str(build.get("summary", "")),
        diagnostics=list(build.get("diagnostics", [])),
    )
    if report.built:
        for check in spec.checks:
            report.results.append(await _run_check(package_dir, check, runner, timeout))
    return report


async def _run_check(package_dir: str, check: AcceptanceCheck, runner: SwiftRunner, timeout: float) -> CheckResult:
    base = {"command": check.command, "expected_stdout": check.expected_stdout, "expected_exit": check.expected_exit}
    try:
        run = await runner.swift_run(package_dir, check.args, check.stdin, timeout)
    except ToolFailed as exc:
        return CheckResult(**base, passed=False, reason=f"could not run: {exc}")
    stdout = str(run.get("stdout", ""))
    exit_code = run.get("exit_code")
    reason = _mismatch(check, run, stdout, exit_code)
    return CheckResult(**base, passed=not reason, reason=reason, actual_stdout=stdout, actual_exit=exit_code)


def _mismatch(check: AcceptanceCheck, run: dict[str, Any], stdout: str, exit_code: int | None) -> str:
    if run.get("timed_out"):
        return f"timed out after {run.get('duration_s', '?')} s (an endless loop, or waiting for input?)"
    if exit_code is None:
        return f"crashed ({run.get('killed_by_signal') or 'killed'}): {_shorten(str(run.get('stderr', '')))}"
    if exit_code != check.expected_exit:
        stderr = _shorten(str(run.get("stderr", "")))
        return f"expected exit status {check.expected_exit}, got {exit_code}; stderr: {stderr}"
    if normalise_output(stdout) != normalise_output(check.expected_stdout):
        return f"stdout differs: expected {_shorten(check.expected_stdout)!r}, got {_shorten(stdout)!r}"
    stderr = str(run.get("stderr", ""))
    if check.expected_stderr and check.expected_stderr.strip() not in stderr:
        return f"{STDERR_MISMATCH} {check.expected_stderr.strip()!r}; got {_shorten(stderr)!r}"
    return ""


def normalise_output(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _shorten(text: str) -> str:
    text = text.strip()
    return text if len(text) <= SHOWN_OUTPUT_CHARS else text[:SHOWN_OUTPUT_CHARS] + "…"
