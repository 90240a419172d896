"""Building, testing and running Swift packages inside the workspace.

``swift_run`` builds first and then starts the built executable *directly*
(not through ``swift run``), so the program the agent wrote gets the tight
program limits while the compiler gets the build limits it needs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from neuronaut.servers.code import diagnostics as diag
from neuronaut.servers.code.diagnostics import Diagnostic
from neuronaut.servers.code.sandbox import ProcessResult, SandboxInfo, truncate_text
from neuronaut.servers.code.workspace import BUILD_LIMITS, PROGRAM_LIMITS, Workspace, clamp_timeout, run_limits

log = logging.getLogger(__name__)

Configuration = Literal["debug", "release"]
BUILD_OUTPUT_CHARS = 4000  # when there are no diagnostics, the output is all the model has
DIAGNOSED_OUTPUT_CHARS = 1500  # the diagnostics already say it; the excerpt adds context
SUCCESS_OUTPUT_CHARS = 300
_PROGRESS = re.compile(r"^(\[\d+/\d+\] |Building for |Build complete|Compiling |Write |Planning build)")
BUILD_CAPTURE_BYTES = 512_000  # enough to parse every diagnostic of a badly broken package
_TEST_SUMMARY = re.compile(r"^.*(Executed \d+ tests?, with \d+ failures?.*|Test run with \d+ tests?.*)$", re.M)


class BuildFailed(RuntimeError):
    """swift_run could not build the package; the message lists the first errors."""


class SwiftBuildResult(BaseModel):
    ok: bool = Field(description="True when the command succeeded.")
    summary: str
    diagnostics: list[Diagnostic] = Field(description="Compiler errors and warnings, errors first.")
    exit_code: int | None
    timed_out: bool
    duration_s: float
    killed_by_signal: str | None = None
    output: str = Field(description="The command's output, shortened.")
    sandbox: SandboxInfo


class SwiftTools:
    def __init__(self, workspace: Workspace, *, build_timeout_s: float) -> None:
        self.workspace = workspace
        self.build_timeout_s = build_timeout_s
        self._locks: dict[Path, asyncio.Lock] = {}
        # Package.swift's (mtime, size) -> executable name: `swift package describe` costs ~1 s.
        self._executables: dict[Path, tuple[tuple[int, int], str]] = {}

    async def build(
        self, package_path: str, configuration: Configuration = "debug", product: str | None = None
    ) -> SwiftBuildResult:
        package = self._package(package_path)
        extra = ["--product", product] if product else []
        async with self._lock(package):
            result = await self._swift(package, ["build", "-c", configuration, *extra])
        return self._build_result(result, package, action="Build")

    async def test(self, package_path: str) -> SwiftBuildResult:
        package = self._package(package_path)
        async with self._lock(package):
            result = await self._swift(package, ["test"])
        report = self._build_result(result, package, action="Tests")
        counted = summarize_test_counts(result.stdout + "\n" + result.stderr)
        if counted:
            report.summary += " " + counted
        return report

    async def run(
        self,
        package_path: str,
        arguments: list[str],
        stdin: str | None,
        timeout_s: float,
        executable: str | None = None,
    ) -> ProcessResult:
        package = self._package(package_path)
        name = executable or await self._only_executable(package)
        built = await self.build(package_path, "debug", product=name)
        if not built.ok:
            raise BuildFailed(_failure_message(built))
        binary = self.workspace.scratch_dir(package) / "debug" / name
        if not binary.is_file():
            raise FileNotFoundError(f"The build did not produce an executable named {name!r}.")
        timeout = clamp_timeout(timeout_s)
        return await self.workspace.run(
            [str(binary), *arguments],
            cwd=package,
            limits=run_limits(PROGRAM_LIMITS, timeout),
            timeout_s=timeout,
            stdin=stdin,
        )

    async def _only_executable(self, package: Path) -> str:
        manifest = (package / "Package.swift").stat()
        version = (manifest.st_mtime_ns, manifest.st_size)
        cached = self._executables.get(package)
        if cached and cached[0] == version:
            return cached[1]
        name = await self._describe_executable(package)
        self._executables[package] = (version, name)
        return name

    async def _describe_executable(self, package: Path) -> str:
        result = await self._swift(package, ["package", "describe", "--type", "json"])
        if result.exit_code != 0:
            found = diag.compact(diag.parse_diagnostics(result.stdout + "\n" + result.stderr, str(package)))
            details = "; ".join(d.one_line() for d in found[:3]) or result.stderr.strip()[:500]
            raise BuildFailed(f"Package.swift could not be read: {details}")
        names = _executable_products(result.stdout)
        if len(names) != 1:
            listed = ", ".join(names) or "none"
            raise ValueError(f"Give executable=...: the package has {len(names)} executable products ({listed}).")
        return names[0]

    async def _swift(self, package: Path, command: list[str]) -> ProcessResult:
        swift = self.workspace.require_swift()
        scratch = self.workspace.scratch_dir(package)
        # Global options go right after the subcommand: `swift package` rejects them after `describe`.
        argv = [swift, command[0], "--package-path", str(package), "--scratch-path", str(scratch), *command[1:]]
        return await self.workspace.run(
            argv,
            cwd=package,
            limits=BUILD_LIMITS,
            timeout_s=self.build_timeout_s,
            max_output_bytes=BUILD_CAPTURE_BYTES,
        )

    def _package(self, package_path: str) -> Path:
        package = self.workspace.resolve_dir(package_path)
        if not (package / "Package.swift").is_file():
            shown = self.workspace.policy.display(package)
            raise FileNotFoundError(f"No Package.swift in {shown}: package_path must be the package's directory.")
        return package

    def _lock(self, package: Path) -> asyncio.Lock:
        # Two SwiftPM processes on one scratch directory block each other or corrupt it.
        return self._locks.setdefault(package, asyncio.Lock())

    def _build_result(self, result: ProcessResult, package: Path, *, action: str) -> SwiftBuildResult:
        output = result.stdout + ("\n" + result.stderr if result.stderr.strip() else "")
        found = diag.parse_diagnostics(output, str(package))
        ok = result.exit_code == 0 and not result.timed_out
        summary = diag.summarize(found, succeeded=ok).replace("Build", action, 1)
        if result.timed_out:
            summary = f"Timed out after {self.build_timeout_s:.0f} s and was stopped. " + summary
        return SwiftBuildResult(
            ok=ok,
            summary=summary,
            diagnostics=diag.compact(found),
            exit_code=result.exit_code,
            timed_out=result.timed_out,
            duration_s=result.duration_s,
            killed_by_signal=result.killed_by_signal,
            output=_readable_output(output, package, ok=ok, diagnosed=bool(found)),
            sandbox=result.sandbox,
        )


def summarize_test_counts(output: str) -> str:
    """The last test-count line; XCTest and Swift Testing both report, the empty one is skipped."""
    lines = [line.strip() for line in _TEST_SUMMARY.findall(output)]
    meaningful = [line for line in lines if "with 0 tests" not in line]
    return (meaningful or lines or [""])[-1]


def _executable_products(description: str) -> list[str]:
    try:
        products = json.loads(description).get("products", [])
    except json.JSONDecodeError as exc:
        raise BuildFailed(f"swift package describe printed no JSON: {exc}") from None
    return [p["name"] for p in products if isinstance(p.get("type"), dict) and "executable" in p["type"]]


def _readable_output(output: str, package: Path, *, ok: bool, diagnosed: bool) -> str:
    """The output without progress lines and with package paths made relative, shortened."""
    lines = [line for line in output.splitlines() if not _PROGRESS.match(line)]
    text = diag.without_repeats("\n".join(lines)).replace(str(package) + "/", "").strip()
    if ok:
        return text[-SUCCESS_OUTPUT_CHARS:]
    return truncate_text(text, DIAGNOSED_OUTPUT_CHARS if diagnosed else BUILD_OUTPUT_CHARS)


def _failure_message(built: SwiftBuildResult) -> str:
    errors = [d.one_line() for d in built.diagnostics if d.severity == "error"][:5]
    listed = "\n".join(errors)
    return f"{built.summary}\n{listed}\nFix these and call swift_run again (swift_build shows every diagnostic)."
