"""Examples and error contracts stated in sentences and list items.

A sentence holding a code span that runs the program states that run's
result in the words after it, up to the next such span: "`roman 1994`
prints `MCMXCIV`", "`calc 1 / 0` prints `error: division by zero` to standard
error and exits with status 2", "`fizzbuzz 3` prints `1`, `2` and `Fizz` on
separate lines". A sentence without a command that names a message, standard
error and an exit status ("print `usage: tool N` to standard error and exit
with status 1") is an error contract: every example ending with that status
must print that message on stderr.
"""

from __future__ import annotations

import re

from neuronaut.worlds.swift.readme import commands
from neuronaut.worlds.swift.readme.cases import Case, Problem
from neuronaut.worlds.swift.readme.markdown import Paragraph
from neuronaut.worlds.swift.readme.phrases import exit_status, mentions_stderr, read_statement, spans

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`\"(])")
_PRINT_SPAN = re.compile(r"\b(?:prints?|printing|writes?|writing|outputs?)\s+(?:the\s+message\s+)?`(?P<text>[^`]+)`",
                         re.I)


def sentences(paragraph: Paragraph) -> list[str]:
    return [part for part in _SENTENCE_END.split(paragraph.text) if part.strip()]


def read_paragraph(paragraph: Paragraph, executable: str, files: dict[str, str]) -> tuple[list[Case], list[Problem]]:
    cases: list[Case] = []
    problems: list[Problem] = []
    for sentence in sentences(paragraph):
        found = _command_spans(sentence, executable)
        for number, span in enumerate(found):
            end = found[number + 1].start() if number + 1 < len(found) else len(sentence)
            statement = read_statement(sentence[span.end():end])
            command = span.group("text").strip()
            if not statement.states_something():
                continue  # a command mentioned, no result stated
            if command == executable and statement.stdout is None and statement.stderr is None:
                continue  # "`tool` reads its input … and exits with status 0" describes the program, not one run
            try:
                run = commands.invocation(command, executable, files)
            except commands.CommandError as exc:
                problems.append(Problem(paragraph.line, f"example '{command}' {exc}"))
                continue
            cases.append(Case(paragraph.line, "prose", command, run.args, run.stdin,
                              statement.stdout, statement.exit, statement.stderr))
    return cases, problems


def error_contracts(paragraph: Paragraph, executable: str) -> list[tuple[int, int, str]]:
    """(line, exit status, message) for each sentence that ties a message on stderr to an exit status."""
    found = []
    for sentence in sentences(paragraph):
        if _command_spans(sentence, executable) or not mentions_stderr(sentence):
            continue
        status = exit_status(sentence)
        messages = {match.group("text") for match in _PRINT_SPAN.finditer(sentence)}
        if status is not None and status != 0 and len(messages) == 1:
            found.append((paragraph.line, status, messages.pop()))
    return found


def _command_spans(sentence: str, executable: str) -> list[re.Match[str]]:
    return [span for span in spans(sentence) if commands.program_word(span.group("text")) == executable]
