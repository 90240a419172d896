"""Sentences that seem to state a run's result but that the deterministic readers could not read.

``find_leftovers`` lists them (line and text), so a person sees what was not
read. ``read_leftovers`` hands each to a ``LeftoverReader`` — the optional,
model-assisted step: ``ModelLeftoverReader`` asks a model for the examples in
one sentence, as JSON under a schema (grammar-constrained on the local model).
Whatever it answers is only kept when it is grounded in that sentence: every
argument and every expected text must appear in it, and the command must run
the program; the rest is returned as rejected, with the reason, never dropped
unseen. Each kept case is tied to the README line of its sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Protocol

from neuronaut.worlds.swift.readme import EXCLUDED, commands
from neuronaut.worlds.swift.readme.cases import Case, Problem
from neuronaut.worlds.swift.readme.markdown import read_markdown
from neuronaut.worlds.swift.readme.names import is_field_line
from neuronaut.worlds.swift.readme.prose import error_contracts, sentences

_RESULT_WORDS = re.compile(r"\b(?:prints?|outputs?|writes?|shows?|returns?|exits?|gives?|displays?)\b|→|=>", re.I)
_VALUE = re.compile(r"`[^`]+`|\"[^\"]+\"")
SOURCE = "model"


@dataclass(frozen=True)
class Leftover:
    line: int
    text: str


@dataclass(frozen=True)
class StatedExample:
    command: str
    stdout: str | None = None
    exit: int | None = None
    stderr: str | None = None


class LeftoverReader(Protocol):
    async def examples(self, leftover: Leftover, executable: str) -> list[StatedExample]:
        """The examples ``leftover`` states, each with its command as a shell line."""
        ...


def find_leftovers(readme_text: str, executable: str, read_lines: set[int]) -> list[Leftover]:
    """Sentences naming the program, a result word and a concrete value, on lines no check or contract came from."""
    name = re.compile(rf"(?<![\w-]){re.escape(executable)}(?![\w-])")
    found = []
    for paragraph in read_markdown(readme_text).paragraphs:
        if paragraph.line in read_lines or EXCLUDED.search(paragraph.section) or is_field_line(paragraph.text):
            continue
        for sentence in sentences(paragraph):
            values = [span for span in _VALUE.findall(sentence) if span.strip("`\"") != executable]
            if not (name.search(sentence) and _RESULT_WORDS.search(sentence) and values):
                continue
            if error_contracts(replace(paragraph, text=sentence), executable):
                continue  # read as an error contract
            found.append(Leftover(paragraph.line, sentence))
    return found


async def read_leftovers(reader: LeftoverReader, leftovers: list[Leftover], executable: str,
                         files: dict[str, str]) -> tuple[list[Case], list[Problem]]:
    """The grounded cases the reader finds, and a rejection (with its line) for each answer that is not."""
    cases: list[Case] = []
    rejected: list[Problem] = []
    for leftover in leftovers:
        for example in await reader.examples(leftover, executable):
            try:
                case = grounded_case(leftover, example, executable, files)
            except (commands.CommandError, ValueError) as exc:
                rejected.append(Problem(leftover.line, f"read as '{example.command}', not kept: {exc}"))
                continue
            cases.append(case)
    return cases, rejected


def grounded_case(leftover: Leftover, example: StatedExample, executable: str, files: dict[str, str]) -> Case:
    run = commands.invocation(example.command, executable, files)
    text = leftover.text
    missing = [arg for arg in run.args if arg not in text]
    for expected in (example.stdout, example.stderr):
        missing += [line for line in (expected or "").splitlines() if line.strip() and line.strip() not in text]
    if example.exit is not None and example.exit != 0 and str(example.exit) not in text:
        missing.append(str(example.exit))
    if not (example.stdout or example.stderr or example.exit):
        raise ValueError("it states no result")
    if missing:
        raise ValueError(f"the sentence does not say {', '.join(repr(item) for item in missing[:3])}")
    stdout = example.stdout if example.stdout is None or example.stdout.endswith("\n") or not example.stdout \
        else example.stdout + "\n"
    return Case(leftover.line, SOURCE, example.command, run.args, run.stdin, stdout, example.exit,
                example.stderr or None)
