"""What the Swift world shows the model: the package's files and the last check, compactly.

A 1.5 B model reads this every step at ~90 tok/s, so it is short and always in
the same order: files, build, examples, one hint for what to do next. Compiler
errors carry the offending source line, which saves the model a read_text_file
step before most fixes.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from neuronaut.worlds.swift.checker import STDERR_MISMATCH, CheckReport, CheckResult
from neuronaut.worlds.swift.hints import hint_for
from neuronaut.worlds.swift.acceptance import SwiftSpec

MAX_FILES = 40
MAX_ERRORS = 5
MAX_FAILURES = 2
SOURCE_LINE_CHARS = 120
OUTPUT_CHARS = 160


def package_files(package_dir: Path) -> list[tuple[str, int]]:
    """(path relative to the package, size) of every visible file, sorted; hidden entries are tooling's."""
    return _walk(package_dir)[0]


def empty_dirs(package_dir: Path) -> list[str]:
    return _walk(package_dir)[1]


def _walk(package_dir: Path) -> tuple[list[tuple[str, int]], list[str]]:
    files_found: list[tuple[str, int]] = []
    empty: list[str] = []
    for folder, dirs, files in os.walk(package_dir):
        # Hidden entries belong to tooling: SwiftPM state, the files server's temporary write files.
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        visible = sorted(name for name in files if not name.startswith("."))
        here = Path(folder)
        if here != package_dir and not dirs and not visible:
            empty.append(here.relative_to(package_dir).as_posix() + "/")
        for name in visible:
            path = here / name
            files_found.append((path.relative_to(package_dir).as_posix(), path.stat().st_size))
    return sorted(files_found), sorted(empty)


def fingerprint(package_dir: Path) -> str:
    """A hash of every visible file's path and bytes: equal fingerprints need no rebuild."""
    digest = hashlib.sha256()
    for relative, _ in package_files(package_dir):
        digest.update(relative.encode() + b"\0")
        digest.update((package_dir / relative).read_bytes() + b"\0")
    return digest.hexdigest()


def swift_sources(package_dir: Path) -> list[str]:
    return [path for path, _ in package_files(package_dir) if path.startswith("Sources/") and path.endswith(".swift")]


def has_sources(package_dir: Path) -> bool:
    return bool(swift_sources(package_dir))


def files_text(package_dir: Path) -> str:
    files = package_files(package_dir)
    shown = [f"{path} ({size} B)" for path, size in files[:MAX_FILES]]
    if len(files) > MAX_FILES:
        shown.append(f"… {len(files) - MAX_FILES} more")
    shown += [f"{folder} (empty)" for folder in empty_dirs(package_dir)]
    return "Package files: " + (", ".join(shown) if shown else "none yet")


def report_text(report: CheckReport | None, package_dir: Path, missing: str) -> str:
    """The last check: build errors with their source lines, then the failing examples."""
    if report is None:
        return f"Not built yet: {missing}."
    if not report.built:
        return "\n".join([_build_failure(report), *_error_lines(report.diagnostics, package_dir)])
    lines = [f"Build: ok. Examples: {report.passed_count}/{len(report.results)} pass."]
    failing = [r for r in report.results if not r.passed]
    lines += [_failure(r) for r in failing[:MAX_FAILURES]]
    if len(failing) > MAX_FAILURES:
        lines.append(f"({len(failing) - MAX_FAILURES} more failing)")
    return "\n".join(lines)


def next_hint(spec: SwiftSpec, package_dir: Path, report: CheckReport | None) -> str:
    main = f"Sources/{spec.executable}/main.swift"
    if not (package_dir / "Package.swift").is_file():
        return "Next: write Package.swift."
    if not has_sources(package_dir):
        return f"Next: write {main}."
    if report is None or not report.built:
        return "Next: fix the first error by writing the corrected file; the build runs again by itself."
    if report.passed:
        return "Every example passes."
    return f"Next: change {main} so the failing example prints exactly the expected output."


Choices = dict[str, dict[str, list[str]]]


def path_choices(spec: SwiftSpec, package_dir: Path, *, manifest_writable: bool = True) -> Choices:
    """The file paths worth writing now, in order: a small model then cannot misname a file or
    rewrite the manifest forever when the program is what is missing (nor at all when the world wrote it)."""
    main = f"Sources/{spec.executable}/main.swift"
    manifest = ["Package.swift"] if manifest_writable else []
    if not (package_dir / "Package.swift").is_file():
        writable = ["Package.swift"]
    elif not has_sources(package_dir):
        writable = [main]
    else:
        writable = [main, *manifest, *(path for path in swift_sources(package_dir) if path != main)]
    choices = {"write_file": {"path": writable}}
    existing = [path for path, _ in package_files(package_dir)]
    if existing:
        choices["read_text_file"] = {"path": existing[:MAX_FILES]}
    return choices


def _build_failure(report: CheckReport) -> str:
    errors = sum(d.get("severity") == "error" for d in report.diagnostics)
    if errors:
        # Counted here: SwiftPM's own warnings about its caches would inflate the summary's counts.
        return f"Build failed: {errors} error{'' if errors == 1 else 's'}."
    return f"Build failed: {report.build_summary.strip()[:OUTPUT_CHARS * 2] or 'no reason given'}"


def _error_lines(diagnostics: list[dict[str, Any]], package_dir: Path) -> list[str]:
    errors = [d for d in diagnostics if d.get("severity") == "error"][:MAX_ERRORS]
    lines: list[str] = []
    for error in errors:
        lines.append(_one_line(error))
        lines += [f"  note: {note}" for note in error.get("notes", [])[:1]]
        hint = hint_for(str(error.get("message", "")))
        lines += [f"  fix: {hint}"] if hint else []
        source = _source_line(package_dir, error.get("file"), error.get("line"))
        if source:
            lines.append(f"  {error['line']} | {source}")
    return lines


def _one_line(diagnostic: dict[str, Any]) -> str:
    where = ":".join(str(diagnostic[k]) for k in ("file", "line", "column") if diagnostic.get(k) is not None)
    return f"{where + ': ' if where else ''}{diagnostic.get('severity', 'error')}: {diagnostic.get('message', '')}"


def _source_line(package_dir: Path, file: str | None, line: int | None) -> str:
    if not file or not line or os.path.isabs(file) or ".." in Path(file).parts:
        return ""  # only the package's own files: a diagnostic path must not read elsewhere
    try:
        lines = (package_dir / file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return text[:SOURCE_LINE_CHARS]


def _failure(result: CheckResult) -> str:
    head = f"FAIL $ {result.command}"
    stdout_differs = not result.reason.startswith(STDERR_MISMATCH)
    if result.actual_exit is not None and result.actual_exit == result.expected_exit and stdout_differs:
        return f"{head}\n  expected: {_quoted(result.expected_stdout)}\n  got:      {_quoted(result.actual_stdout)}"
    return f"{head}\n  {result.reason[:OUTPUT_CHARS * 2]}"


def _quoted(text: str) -> str:
    flat = text.rstrip("\n").replace("\n", "\\n")
    return repr(flat if len(flat) <= OUTPUT_CHARS else flat[:OUTPUT_CHARS] + "…")
