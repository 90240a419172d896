"""The Swift world: write a Swift package from a README spec until every example in it passes.

Layout of one run's workspace (``worlds_dir/swift-<run id>/``, kept across
restarts so a resumed run continues with its files)::

    swift-<run>/            the code server's workspace (its .home, .tmp, .neuronaut-build live here)
      <package>/            the files server's root: the model's paths are relative to it
        Package.swift
        Sources/<executable>/main.swift

Rooting the files server at the package keeps paths short ("Package.swift",
"Sources/greet/main.swift") and keeps the code server's hidden directories out
of the model's view; the code tools get ``package_path`` as a fixed argument,
so the model never types a path for them. By default (``scaffold``) the world
also writes Package.swift, which follows from the README alone, so the model's
work starts at main.swift. The world created the workspace, so
it reads file names and contents from disk directly (no tool round trip) to
list them and to fingerprint them; builds and runs go through the run's MCP
code server, like the model's own.
"""

from __future__ import annotations

import logging
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from neuronaut.errors import UserError
from neuronaut.learning.goals import GoalSpace
from neuronaut.settings import PROJECT_ROOT, Settings
from neuronaut.skills.model import Skill
from neuronaut.tools.types import ServerSpec, ToolSpec
from neuronaut.worlds.base import Check, Goal, Observation, ToolCaller, World
from neuronaut.worlds.capabilities import Drafting, SkillMenus
from neuronaut.worlds.swift import view
from neuronaut.worlds.swift.checker import CheckReport, check_package
from neuronaut.worlds.swift.runners import ToolCallerRunner
from neuronaut.worlds.swift.goals import EXAMPLES_DIR, default_goal, swift_space
from neuronaut.worlds.swift.spec import SwiftSpec, load_spec, read_readme_text
from neuronaut.worlds.swift.starters import swift_starter_skills

log = logging.getLogger(__name__)

MAX_README_CHARS = 3000  # the briefing sits in every prompt; a longer README is cut
MAX_OBSERVATION_CHARS = 1500
BUILD_TIMEOUT_MARGIN_S = 5.0  # the code server stops a build before the hub's call timeout does
# edit_file is left out until decision.clean_schema inlines "$ref"s: its "edits" items refer to "$defs",
# which the decision schema drops, so the grammar cannot be built. write_file rewrites a whole file instead.
FILE_TOOLS = ("write_file", "edit_file", "read_text_file", "list_directory")
CODE_TOOLS = ("swift_build", "swift_run")


class SwiftWorld(Drafting, SkillMenus, World):
    name = "swift"
    description = "a Swift package in a folder, built and run through tools, that must do what its README says"
    examples_prompt = "swift_examples"
    allowed_tools = frozenset(FILE_TOOLS + CODE_TOOLS)
    effort_keys = frozenset({"checks_run"})  # checker builds count work, not progress
    min_decision_tokens = 384  # an edit_file carrying a few lines of code
    drafted_args = {"write_file": "content"}  # whole files are written free-form, in a second answer
    draft_prompt = "swift_draft"
    draft_tokens = 1024
    # Arguments a small model gets wrong and never needs: head+tail together fail, the rest have good defaults.
    hidden_args = {
        "read_text_file": frozenset({"head", "tail"}),
        "edit_file": frozenset({"dryRun"}),
        "swift_build": frozenset({"configuration"}),
        "swift_run": frozenset({"timeout", "executable"}),
    }

    def __init__(self, spec: str | Path, starter: str | Path | None = None, scaffold: bool = True,
                 cases: str | Path | None = None) -> None:
        self.spec_path = resolve_spec(spec)
        # A cases file adds to or corrects the README's checks (see neuronaut.worlds.swift.readme.overrides).
        self.spec: SwiftSpec = load_spec(self.spec_path, Path(cases).expanduser() if cases else None)
        self.readme = read_readme_text(self.spec_path)
        self.starter = _resolve_starter(starter)
        self.scaffold = scaffold
        self.package = self.spec.package
        self.fixed_args = {tool: {"package_path": self.package} for tool in CODE_TOOLS}
        self.workspace: Path | None = None
        self.checks_run = 0  # checker builds, for the benchmarks
        self._report: CheckReport | None = None
        self._fingerprint: str | None = None

    @property
    def package_dir(self) -> Path:
        if self.workspace is None:
            raise RuntimeError("SwiftWorld.servers() must run before the workspace is used")
        return self.workspace / self.package

    def result_dir(self) -> Path | None:
        return self.package_dir if self.workspace is not None else None

    def servers(self, settings: Settings, run_id: str) -> list[ServerSpec]:
        self.workspace = settings.worlds_dir / f"swift-{_safe(run_id)}"
        self._prepare_workspace()
        build_timeout = max(10.0, settings.tool_timeout_s - BUILD_TIMEOUT_MARGIN_S)
        return [
            ServerSpec("files", sys.executable, ("-m", "neuronaut.servers.files", str(self.package_dir))),
            ServerSpec("code", sys.executable,
                       ("-m", "neuronaut.servers.code", str(self.workspace), "--build-timeout", f"{build_timeout:g}")),
        ]

    def needs_approval(self, spec: ToolSpec) -> bool:
        # Every allowed tool acts only inside this run's sandboxed workspace: writing and running code there is
        # the task itself, so asking a person before each write would stall every run.
        return False

    def default_goal(self) -> str:
        return default_goal(self.package)

    def starter_skills(self) -> list[Skill]:
        return swift_starter_skills()

    def goal_space(self) -> GoalSpace:
        return swift_space()

    def briefing(self) -> str:
        readme = self.readme.strip()
        if len(readme) > MAX_README_CHARS:
            readme = readme[:MAX_README_CHARS] + "\n[README cut here]"
        exe = self.spec.executable
        return "\n".join([
            f"The task, a README for the Swift package `{self.package}`:", "<<<", readme, ">>>", "",
            "Package layout. File paths are relative to the package folder (no folder prefix); "
            "swift_build and swift_run already know where the package is.",
            f"- Package.swift, exactly:\n{package_manifest(self.package, exe)}",
            f"- Sources/{exe}/main.swift: top-level code, no main function. {input_hint(self.spec)}",
            "After every action all README examples are run; the observation shows compiler errors "
            "and the examples that fail.",
        ])

    def offers_skill(self, skill: Any) -> bool:
        # With the manifest written by the world, the starter that writes a manifest and a stub main.swift
        # only replaces nothing with a stub (the 1.5 B model picked it first in every task).
        return not (self.scaffold and skill.name == "create-executable-package")

    def draft_request(self, tool: str, args: dict[str, Any], thought: str, *, fresh: bool = False) -> str:
        path = str(args.get("path", ""))
        main = f"Sources/{self.spec.executable}/main.swift"
        parts = [f"The README of the Swift package `{self.package}`:", "<<<", self.readme.strip()[:MAX_README_CHARS], ">>>",
                 "", f"Write the complete file {path}."]
        if path == "Package.swift":
            parts.append(f"It must declare the executable target `{self.spec.executable}`.")
        elif path == main:
            parts.append(input_hint(self.spec))
        current = self._read(path)
        if current is not None and not fresh:
            parts += ["", "The file is now:", "```swift", current.rstrip(), "```"]
        if current is not None:
            heading = "What the last check showed:" if not fresh else "Write it anew: the last version failed like this:"
            parts += ["", heading, view.report_text(self._report, self.package_dir, self._missing())]
        if thought and current is not None:  # before the first version, the README says more than any thought
            parts += ["", f"Your plan: {thought}"]
        parts += ["", "Reply with the whole file in one ```swift code block."]
        return "\n".join(parts)

    def draft_feedback(self, tool: str, args: dict[str, Any]) -> str:
        current = self._read(str(args.get("path", "")))
        unchanged = current is not None and current.strip() == str(args.get("content", "")).strip()
        if unchanged and not (self._report is not None and self._report.passed):
            return "Your answer was exactly the file as it is now, which fails. Write a different, corrected file."
        return ""

    def _read(self, path: str) -> str | None:
        """A package file's text, read directly (the world made the workspace); None when absent or outside."""
        if not path or Path(path).is_absolute() or ".." in Path(path).parts:
            return None
        try:
            return (self.package_dir / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None

    async def observe(self, tools: ToolCaller) -> Observation:
        report = await self._current_report(tools)
        parts = [
            view.files_text(self.package_dir),
            view.report_text(report, self.package_dir, self._missing()),
            view.next_hint(self.spec, self.package_dir, report),
        ]
        text = "\n".join(parts)
        text = text if len(text) <= MAX_OBSERVATION_CHARS else text[:MAX_OBSERVATION_CHARS] + "…"
        # A manifest the world wrote is right by construction; a starter's may be part of the task.
        manifest_writable = not self.scaffold or self.starter is not None
        choices = view.path_choices(self.spec, self.package_dir, manifest_writable=manifest_writable)
        return Observation(text=text, choices=choices)

    async def check(self, goal: Goal, tools: ToolCaller) -> Check:
        report = await self._current_report(tools)
        total = len(self.spec.checks)
        progress = {"built": False, "passed": 0, "total": total, "checks_run": self.checks_run}
        if report is None:
            return Check(False, f"not built yet: {self._missing()}", progress)
        progress.update(built=report.built, passed=report.passed_count)
        return Check(report.passed, report.summary(), progress)

    async def _current_report(self, tools: ToolCaller) -> CheckReport | None:
        """The check of the package as it is now; rebuilt only when its files changed since the last one."""
        current = view.fingerprint(self.package_dir)
        if current == self._fingerprint:
            return self._report
        self._report = None
        if not self._missing():
            self.checks_run += 1
            self._report = await check_package(self.package, self.spec, ToolCallerRunner(tools))
            log.info("swift check %d of %s: %s", self.checks_run, self.package, self._report.summary())
        # A build that produced no verdict (timed out, server restarted) is tried again next time.
        report = self._report
        settled = report is None or report.built or any(d.get("severity") == "error" for d in report.diagnostics)
        self._fingerprint = current if settled else None
        return self._report

    def _missing(self) -> str:
        """What must exist before a build is worth trying; empty when nothing is missing."""
        if not (self.package_dir / "Package.swift").is_file():
            return "there is no Package.swift"
        if not view.has_sources(self.package_dir):
            return f"there is no Swift file in Sources/{self.spec.executable}/"
        return ""

    def _prepare_workspace(self) -> None:
        package_dir = self.package_dir
        fresh = not package_dir.exists()
        (package_dir / "Sources" / self.spec.executable).mkdir(parents=True, exist_ok=True)
        # The model cannot create directories (no create_directory tool), so the source folder is made for it.
        if fresh and self.starter is not None:
            shutil.copytree(self.starter, package_dir, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns(".build", ".swiftpm"))
            log.info("copied the starter package %s into %s", self.starter, package_dir)
        manifest = package_dir / "Package.swift"
        # The manifest follows from the README alone; a 1.5 B model stuck on it never reaches the program.
        if self.scaffold and not manifest.exists():
            manifest.write_text(package_manifest(self.package, self.spec.executable), encoding="utf-8")


def input_hint(spec: SwiftSpec) -> str:
    """Where the examples' input comes from, spelled as Swift: a small model misses it in `$ greet Ada`."""
    sources = []
    if any(check.args for check in spec.checks):
        sources.append("command-line arguments (Array(CommandLine.arguments.dropFirst()))")
    if any(check.stdin is not None for check in spec.checks):
        sources.append("standard input (read lines with readLine() until it returns nil)")
    hint = f"The examples give input as {' and as '.join(sources)}." if sources else "The examples give no input."
    if any(check.expected_exit for check in spec.checks):
        hint += " Some expect a non-zero exit status N: import Foundation and call exit(N)."
    if any(check.expected_stderr for check in spec.checks):
        hint += ' The error messages the README gives go to standard error: fputs("message\\n", stderr).'
    return hint


def package_manifest(package: str, executable: str) -> str:
    return (
        "// swift-tools-version:5.9\nimport PackageDescription\n\nlet package = Package(\n"
        f'    name: "{package}",\n    targets: [\n        .executableTarget(name: "{executable}")\n    ]\n)\n'
    )


def resolve_spec(spec: str | Path) -> Path:
    """The README a spec argument names: a file, a folder holding README.md, or a bundled example's name."""
    given = Path(spec).expanduser()
    candidates = [given]
    if not given.is_absolute():
        candidates.append(PROJECT_ROOT / given)  # a checkpointed relative path, resumed from another folder
        if len(given.parts) == 1:
            candidates.append(EXAMPLES_DIR / given / "README.md")
    for candidate in candidates:
        readme = candidate / "README.md" if candidate.is_dir() else candidate
        if readme.is_file():
            return readme.resolve()
    raise UserError(f"no Swift spec at {spec}: give a README.md path; bundled specs: {', '.join(bundled_specs())}")


def bundled_specs() -> list[str]:
    return [p.relative_to(PROJECT_ROOT).as_posix() for p in sorted(EXAMPLES_DIR.glob("*/README.md"))]


def _resolve_starter(starter: str | Path | None) -> Path | None:
    if starter is None:
        return None
    path = Path(starter).expanduser()
    if not path.is_absolute() and not path.is_dir():
        path = PROJECT_ROOT / path
    if not path.is_dir():
        raise UserError(f"the starter package {starter} is not a directory")
    return path.resolve()


def _safe(run_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", run_id)[:80]
