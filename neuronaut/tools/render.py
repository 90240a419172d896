"""A tool result as compact text a small model can read, cut into pages, and searched.

Servers answer with free text, JSON text, Python reprs (``[{'city': 'Paris'}]``) or MCP structured content.
Whatever parses as data is rendered compactly: a mapping as ``key: value`` lines, a list of mappings as a
table (a header, then one ``|``-separated row each), so a schema or a query result costs few tokens and
every row and column stays visible. Text stays as it is. Pages split on line boundaries, so a page never
ends inside a row, and say which lines they hold.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from typing import Any

from neuronaut.tools.types import ToolOutcome

PARSE_LIMIT = 1_000_000  # larger texts are shown as text: parsing them costs more than it helps
SCALAR_CHARS = 400  # one value inside a table or a mapping, at most


def render_result(outcome: ToolOutcome) -> str:
    """The whole result as compact text (not cut: ``pages`` does that)."""
    if outcome.structured is not None and not outcome.text.strip():
        return render_value(_unwrap(outcome.structured))
    data = parse_data(outcome.text)
    if data is not None:
        return render_value(data)
    if outcome.structured is not None and _is_json_of(outcome.text, outcome.structured):
        return render_value(_unwrap(outcome.structured))
    return outcome.text.strip()


def parse_data(text: str) -> Any | None:
    """JSON or a Python literal (dict/list) in ``text``; None when it is plain text."""
    body = text.strip()
    if not body or body[0] not in "[{" or len(body) > PARSE_LIMIT:
        return None
    try:
        return json.loads(body)
    except ValueError:
        pass
    try:
        return ast.literal_eval(body)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None


def render_value(value: Any, indent: str = "") -> str:
    if isinstance(value, dict):
        if not value:
            return indent + "(empty)"
        lines = []
        for key, item in value.items():
            if isinstance(item, str) and ("\n" in item.strip() or len(item) > SCALAR_CHARS):
                # A text (a file's content, a page): every line of it, left for paging to cut.
                lines.append(f"{indent}{key}:")
                lines += [indent + "  " + line for line in item.strip().splitlines()]
            elif _scalar(item):
                lines.append(f"{indent}{key}: {_cell(item)}")
            else:
                lines.append(f"{indent}{key}:")
                lines.append(render_value(item, indent + "  "))
        return "\n".join(lines)
    if isinstance(value, list | tuple):
        if not value:
            return indent + "(no items)"
        if _table(value):
            columns = list(dict.fromkeys(key for row in value for key in row))
            header = f"{indent}{len(value)} row{'s' if len(value) != 1 else ''}: " + " | ".join(map(str, columns))
            rows = [indent + " | ".join(_cell(row.get(c, "")) for c in columns) for row in value]
            return "\n".join([header, *rows])
        if all(_scalar(item) for item in value):
            return "\n".join(f"{indent}- {_cell(item)}" for item in value)
        return "\n".join(render_value(item, indent + "  ") if not _scalar(item) else f"{indent}- {_cell(item)}"
                         for item in value)
    return indent + _cell(value)


def summary_line(text: str, limit: int = 160) -> str:
    """One line for the list of past steps: the start of ``text``, with how many lines it had."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    flat = "; ".join(lines)
    count = f" ({len(lines)} lines)" if len(lines) > 3 else ""
    room = limit - len(count)
    return (flat if len(flat) <= room else flat[: room - 1] + "…") + count


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    count: int  # pages in all
    first_line: int  # 1-based, inclusive
    last_line: int
    total_lines: int
    text: str


def pages(text: str, budget: int) -> list[Page]:
    """``text`` in pages of at most ``budget`` characters, split between lines (a longer line is cut)."""
    lines: list[str] = []
    for line in text.splitlines() or [""]:
        lines += [line[i:i + budget] for i in range(0, len(line), budget)] or [""]
    chunks: list[tuple[int, int]] = []
    start, size = 0, 0
    for index, line in enumerate(lines):
        if index > start and size + len(line) + 1 > budget:
            chunks.append((start, index))
            start, size = index, 0
        size += len(line) + 1
    chunks.append((start, len(lines)))
    return [Page(n + 1, len(chunks), a + 1, b, len(lines), "\n".join(lines[a:b])) for n, (a, b) in enumerate(chunks)]


def find_lines(text: str, query: str, budget: int) -> tuple[list[str], int]:
    """Lines of ``text`` containing every word of ``query`` (case-insensitive), numbered, within ``budget``
    characters; and how many lines matched in all."""
    words = query.lower().split()
    found = [f"{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1)
             if words and all(w in line.lower() for w in words)]
    shown, size = [], 0
    for line in found:
        if size + len(line) + 1 > budget:
            break
        shown.append(line)
        size += len(line) + 1
    return shown, len(found)


def _unwrap(structured: dict[str, Any]) -> Any:
    # FastMCP wraps a function's plain return value as {"result": value}.
    return structured["result"] if set(structured) == {"result"} else structured


def _is_json_of(text: str, structured: Any) -> bool:
    data = parse_data(text)
    return data is not None and (data == structured or data == _unwrap(structured))


def _table(value: list[Any] | tuple[Any, ...]) -> bool:
    return all(isinstance(row, dict) and row and all(_scalar(v) for v in row.values()) for row in value)


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _cell(value: Any) -> str:
    text = json.dumps(value) if value is None or isinstance(value, bool) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= SCALAR_CHARS else text[: SCALAR_CHARS - 1] + "…"
