"""A cases file: checks a person adds to a README's, or corrects, or drops.

TSV, one check per line, columns separated by tabs (``#`` lines and blank lines
are skipped; a first line starting with ``command`` is a header)::

    command<TAB>stdout<TAB>exit<TAB>stderr
    roman 1994<TAB>MCMXCIV<TAB>0
    echo "a b" | wordcount<TAB>2
    calc 1 / 0<TAB><TAB>2<TAB>error: division by zero
    roman 0<TAB><TAB>drop

``command`` is written as in the README (pipes from ``echo``/``printf`` give
stdin); in stdout and stderr ``\\n``, ``\\t`` and ``\\\\`` are escapes, and a
non-empty stdout ends with a newline; ``exit`` defaults to 0, and ``drop``
removes the README's check with that input. JSON is a list of objects with
the same keys (``command`` required; ``stdout``, ``exit``, ``stderr``,
``stdin`` to give input directly, ``drop``: true). A case replaces the
README's check for the same arguments and input, or is added.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from neuronaut.errors import UserError
from neuronaut.worlds.swift.readme import commands
from neuronaut.worlds.swift.readme.cases import Case
from neuronaut.worlds.swift.acceptance import AcceptanceCheck

SOURCE = "cases file"


def load_cases(path: Path, executable: str) -> tuple[list[Case], set[tuple]]:
    """The file's cases and the inputs it drops; any unreadable row is a UserError naming its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read the cases file {path}: {exc}") from None
    as_json = path.suffix.lower() == ".json"
    rows = _json_rows(text, path) if as_json else _tsv_rows(text)
    cases: list[Case] = []
    dropped: set[tuple] = set()
    for line, row in rows:
        try:
            case = _case(line, row, executable)
        except (commands.CommandError, ValueError, TypeError) as exc:
            where = f"{path}, case {line}" if as_json else f"{path}:{line}"
            raise UserError(f"{where}: {exc}") from None
        if row.get("drop"):
            dropped.add(case.key)
        else:
            cases.append(case)
    return cases, dropped


def override_checks(checks: list[AcceptanceCheck], overrides: list[AcceptanceCheck],
                    dropped: set[tuple]) -> list[AcceptanceCheck]:
    """``overrides`` replace the checks with the same input and add the others; ``dropped`` inputs go."""
    def key(check: AcceptanceCheck) -> tuple:
        return tuple(check.args), check.stdin

    replacing = {key(check): check for check in overrides}
    kept = [replacing.pop(key(check), check) for check in checks if key(check) not in dropped]
    return kept + [check for check in overrides if key(check) in replacing]


def _case(line: int, row: dict[str, Any], executable: str) -> Case:
    command = str(row.get("command") or "").strip()
    if not command:
        raise ValueError("no command")
    run = commands.invocation(command, executable, {})
    stdin = row["stdin"] if row.get("stdin") is not None else run.stdin
    stdout = str(row.get("stdout") or "")
    stdout = stdout if not stdout or stdout.endswith("\n") else stdout + "\n"
    exit_code = int(row.get("exit") or 0)
    return Case(line, SOURCE, command, run.args, stdin, stdout, exit_code, row.get("stderr") or None)


def _tsv_rows(text: str) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#") or (not rows and raw.lower().startswith("command\t")):
            continue
        fields = [_unescape(field) for field in raw.split("\t")] + ["", "", ""]
        command, stdout, exit_text, stderr = fields[:4]
        drop = exit_text.strip().lower() == "drop"
        rows.append((number, {"command": command, "stdout": stdout, "stderr": stderr, "drop": drop,
                              "exit": None if drop else exit_text.strip() or 0}))
    return rows


def _json_rows(text: str, path: Path) -> list[tuple[int, dict[str, Any]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise UserError(f"{path}: expected a JSON list of objects with a 'command' each")
    return [(number, item) for number, item in enumerate(data, start=1)]


def _unescape(field: str) -> str:
    out, index = [], 0
    while index < len(field):
        char = field[index]
        if char == "\\" and index + 1 < len(field):
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(field[index + 1], "\\" + field[index + 1]))
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)
