"""Examples in Markdown tables: one row per run, the columns named by the header.

Recognised headers (lower case, any of the words): command / invocation /
example / usage / run → the command line; arguments / args → arguments;
stdin / standard input → standard input; a plain "input" is standard input
when the README speaks of standard input, else the arguments (either way a
cell starting with the program's name is the command); output / stdout / prints / result /
expected → stdout; exit / status / code → exit status; stderr / standard
error / error → a message stderr must contain. ``<br>`` in a cell is a line
break; an empty cell, ``-``, ``—``, ``(none)`` or ``(nothing)`` is empty.
A table without an input column and a result column (an options table) holds
no examples.
"""

from __future__ import annotations

import re
import shlex

from neuronaut.worlds.swift.readme import commands
from neuronaut.worlds.swift.readme.cases import Case, Problem
from neuronaut.worlds.swift.readme.markdown import Table

_KINDS = (
    ("stderr", re.compile(r"stderr|standard error|error")),
    ("stdin", re.compile(r"stdin|standard input|piped")),
    ("input", re.compile(r"\binput")),
    ("command", re.compile(r"command|invocation|example|usage|\brun\b")),
    ("args", re.compile(r"argument|\bargs?\b")),
    ("stdout", re.compile(r"output|stdout|prints|result|expected")),
    ("exit", re.compile(r"exit|status|code")),
)
_EMPTY = {"", "-", "—", "–", "(none)", "(nothing)", "(empty)", "none", "nothing"}
_BREAK = re.compile(r"<br\s*/?>", re.I)


def column_kinds(header: list[str]) -> list[str | None]:
    kinds: list[str | None] = []
    for name in header:
        kinds.append(next((kind for kind, pattern in _KINDS if pattern.search(name) and kind not in kinds), None))
    return kinds


def read_table(table: Table, executable: str, files: dict[str, str],
               reads_stdin: bool = False) -> tuple[list[Case], list[Problem]]:
    """The table's examples; a plain "Input" column is standard input when ``reads_stdin``, else arguments."""
    kinds = [("stdin" if reads_stdin else "args") if kind == "input" else kind
             for kind in column_kinds(table.header)]
    if not {"command", "args", "stdin"} & set(kinds) or not {"stdout", "exit", "stderr"} & set(kinds):
        return [], []
    cases: list[Case] = []
    problems: list[Problem] = []
    for line, cells in table.rows:
        values = {kind: _cell(cell) for kind, cell in zip(kinds, cells, strict=False) if kind}
        try:
            cases.append(_row_case(line, values, executable, files))
        except (commands.CommandError, ValueError) as exc:
            problems.append(Problem(line, f"table row '{' | '.join(cells)}': {exc}"))
    return cases, problems


def _row_case(line: int, values: dict[str, str], executable: str, files: dict[str, str]) -> Case:
    stdin = values.get("stdin") or None  # an empty cell: no input given
    command = values.get("command")
    for kind in ("stdin", "args"):  # an "Input" column holding command lines
        if command is None and values.get(kind) and commands.program_word(values[kind]) == executable:
            command = values.pop(kind)
            stdin = None if kind == "stdin" else stdin
    if command is None:
        args = shlex.split(values.get("args", "")) if values.get("args") else []
        command = shlex.join([executable, *args])
    run = commands.invocation(command, executable, files)
    stdin_text = run.stdin if stdin is None else _with_newline(stdin)
    exit_text = values.get("exit", "")
    exit_code = int(exit_text) if exit_text else None
    stdout = values.get("stdout")
    return Case(line, "table", command, run.args, stdin_text,
                None if stdout is None else _with_newline(stdout), exit_code, values.get("stderr") or None)


def _cell(cell: str) -> str:
    text = cell.strip()
    if len(text) >= 2 and text.startswith("`") and text.endswith("`") and text.count("`") == 2:
        text = text[1:-1]
    elif text.count("`") >= 2:
        text = _BREAK.sub("\n", text)
        return "\n".join(part.strip().strip("`") for part in text.split("\n"))
    text = _BREAK.sub("\n", text)
    return "" if text.strip().lower() in _EMPTY else text


def _with_newline(text: str) -> str:
    return text if text == "" or text.endswith("\n") else text + "\n"
