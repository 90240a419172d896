"""One example as read from a README, before it becomes an ``AcceptanceCheck``; merging and contradictions.

A ``Case`` leaves unset (None) what its source does not state: prose saying
"`roman 0` exits with status 1" states no stdout. Cases with the same input
(arguments and stdin) are merged; two that state different expectations for
the same input contradict each other, and that is the README's error to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from neuronaut.worlds.swift.acceptance import AcceptanceCheck


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Case:
    line: int
    source: str  # which reader found it: console, usage, prose, table, cases file
    command: str
    args: tuple[str, ...]
    stdin: str | None = None
    stdout: str | None = None
    exit: int | None = None
    stderr: str | None = None  # a message stderr must contain

    @property
    def key(self) -> tuple[tuple[str, ...], str | None]:
        return self.args, self.stdin

    def states_something(self) -> bool:
        return self.stdout is not None or self.exit is not None or self.stderr is not None


EXPECTATIONS = ("stdout", "exit", "stderr")


def merge_cases(cases: list[Case]) -> tuple[list[Case], list[Problem]]:
    """One case per input, in order of first appearance; a contradiction is a problem naming both lines."""
    merged: dict[tuple[tuple[str, ...], str | None], Case] = {}
    problems: list[Problem] = []
    for case in cases:
        earlier = merged.get(case.key)
        if earlier is None:
            merged[case.key] = case
            continue
        updates = {}
        for name in EXPECTATIONS:
            old, new = getattr(earlier, name), getattr(case, name)
            if old is not None and new is not None and old != new:
                problems.append(Problem(case.line, f"'{case.command}' contradicts line {earlier.line}: "
                                                   f"{_what(name)} {new!r} here, {old!r} there"))
            elif old is None and new is not None:
                updates[name] = new
        merged[case.key] = replace(earlier, **updates)
    return list(merged.values()), problems


def apply_error_contracts(cases: list[Case], contracts: dict[int, str]) -> list[Case]:
    """A message the README gives for an exit status is required on stderr by every case ending with it."""
    return [
        replace(case, stderr=contracts[case.exit])
        if case.stderr is None and case.exit in contracts and case.exit != 0 else case
        for case in cases
    ]


def to_check(case: Case) -> AcceptanceCheck:
    # Unstated stdout means none, as with a `[exit 1]` example that shows no output lines.
    return AcceptanceCheck(
        command=case.command,
        args=list(case.args),
        stdin=case.stdin,
        expected_stdout=case.stdout or "",
        expected_exit=case.exit or 0,
        expected_stderr=case.stderr,
        line=case.line,
        source=case.source,
    )


def _what(name: str) -> str:
    return {"stdout": "stdout", "exit": "exit status", "stderr": "error message"}[name]
