"""Turning ``swift build`` output into a short list a small model can act on.

The compiler prints each problem as ``/abs/path/File.swift:LINE:COL: error: message``
followed by a code excerpt whose ``` `- note: ...``` lines carry hints (e.g.
"change 'let' to 'var'"). SwiftPM prints the same diagnostics twice (once for
emitting the module, once for compiling), and adds its own located-nowhere
lines (``error: emit-module command failed ...``) that say nothing new. We
keep each diagnostic once, attach excerpt notes to it, drop the noise, and
make paths relative to the package.
"""

from __future__ import annotations

import os
import re
from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["error", "warning", "note"]

MAX_DIAGNOSTICS = 20

_LOCATED = re.compile(
    r"^(?P<file>[^\s:][^:\n]*?):(?P<line>\d+)(?::(?P<column>\d+))?: (?P<severity>error|warning|note): (?P<message>.+)$"
)
_UNLOCATED = re.compile(r"^(?:[\w.-]+: )?(?P<severity>error|warning): (?P<message>.+)$")
_EXCERPT_LINE = re.compile(r"^\s*(?P<line>\d+) \|")
_EXCERPT_NOTE = re.compile(r"^\s*\|\s*`- (?P<severity>note|error|warning): (?P<message>.+)$")
# SwiftPM and clang lines that only repeat that something above failed.
_NOISE = re.compile(r"command failed with exit code|compilation failed|^fatalError$")
_MANIFEST_INVOCATION = re.compile(r"\(compiled with: \[.*\]\)$")


class Diagnostic(BaseModel):
    file: str | None = Field(description="Relative to the package when inside it; None for package-level problems.")
    line: int | None = None
    column: int | None = None
    severity: Severity
    message: str
    notes: list[str] = Field(default_factory=list, description="Hints the compiler attached, e.g. a fix-it.")

    def one_line(self) -> str:
        where = ":".join(str(part) for part in (self.file, self.line, self.column) if part is not None)
        return f"{where + ': ' if where else ''}{self.severity}: {self.message}"


def parse_diagnostics(output: str, package_dir: str) -> list[Diagnostic]:
    """Every distinct diagnostic in ``output``, in order of first appearance."""
    found: dict[tuple, Diagnostic] = {}
    current: Diagnostic | None = None
    excerpt_line: int | None = None
    for raw in output.splitlines():
        line = raw.rstrip()
        located = _LOCATED.match(line)
        if located:
            current = _remember(found, _from_located(located, package_dir))
            continue
        if current is not None and _attach_excerpt(line, current, excerpt_line):
            excerpt_line = _excerpt_number(line, excerpt_line)
            continue
        current = None
        unlocated = _UNLOCATED.match(line)
        if unlocated and not _NOISE.search(unlocated.group("message")):
            message = _MANIFEST_INVOCATION.sub("", unlocated.group("message")).strip()
            _remember(found, Diagnostic(file=None, severity=unlocated.group("severity"), message=message))
    return list(found.values())


def summarize(diagnostics: list[Diagnostic], *, succeeded: bool) -> str:
    errors = [d for d in diagnostics if d.severity == "error"]
    warnings = [d for d in diagnostics if d.severity == "warning"]
    counts = f"{_plural(len(errors), 'error')}, {_plural(len(warnings), 'warning')}"
    if succeeded:
        return f"Build succeeded with {_plural(len(warnings), 'warning')}." if warnings else "Build succeeded."
    if not errors:
        return f"Build failed ({counts}); see the output for the reason."
    return f"Build failed: {counts}. First: {_most_specific(errors).one_line()}"


def compact(diagnostics: list[Diagnostic], limit: int = MAX_DIAGNOSTICS) -> list[Diagnostic]:
    """Errors first, then warnings, at most ``limit``: what fits in a small model's context."""
    ordered = sorted(diagnostics, key=lambda d: ({"error": 0, "warning": 1}.get(d.severity, 2), d.file is None))
    return ordered[:limit]


def _most_specific(errors: list[Diagnostic]) -> Diagnostic:
    # A located error ("Package.swift:4:1: expected ')'") helps more than its unlocated echo.
    return next((d for d in errors if d.file is not None), errors[0])


def without_repeats(output: str) -> str:
    """``output`` with each repeated diagnostic (its location line and code excerpt) kept once."""
    seen: set[str] = set()
    kept: list[str] = []
    skipping = False
    for line in output.splitlines():
        if _LOCATED.match(line):
            skipping = line in seen
            seen.add(line)
        elif not (_EXCERPT_LINE.match(line) or _EXCERPT_NOTE.match(line) or not line.strip()):
            skipping = False
        if not skipping:
            kept.append(line)
    return "\n".join(kept)


def _from_located(match: re.Match[str], package_dir: str) -> Diagnostic:
    column = match.group("column")
    return Diagnostic(
        file=_relative(match.group("file"), package_dir),
        line=int(match.group("line")),
        column=int(column) if column else None,
        severity=match.group("severity"),
        message=match.group("message").strip(),
    )


def _attach_excerpt(line: str, current: Diagnostic, excerpt_line: int | None) -> bool:
    """Whether ``line`` belongs to the code excerpt under ``current``; notes found there are attached."""
    if _EXCERPT_LINE.match(line) or not line.strip():
        return True
    note = _EXCERPT_NOTE.match(line)
    if not note:
        return False
    if note.group("severity") == "note":
        where = f"line {excerpt_line}: " if excerpt_line is not None and excerpt_line != current.line else ""
        text = where + note.group("message").strip()
        if text not in current.notes:
            current.notes.append(text)
    return True


def _excerpt_number(line: str, previous: int | None) -> int | None:
    match = _EXCERPT_LINE.match(line)
    return int(match.group("line")) if match else previous


def _remember(found: dict[tuple, Diagnostic], diagnostic: Diagnostic) -> Diagnostic:
    key = (diagnostic.file, diagnostic.line, diagnostic.column, diagnostic.severity, diagnostic.message)
    return found.setdefault(key, diagnostic)


def _relative(path: str, package_dir: str) -> str:
    root = os.path.normpath(package_dir)
    normal = os.path.normpath(path)
    if normal.startswith(root + os.sep):
        return os.path.relpath(normal, root)
    return normal


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
