"""Applying ``{oldText, newText}`` edits to a text and showing the change as a unified diff.

Each ``oldText`` must match exactly one place. An exact match is tried first;
failing that, a match line by line ignoring leading/trailing whitespace, so a
small model that got the indentation slightly wrong still lands its edit
(the replacement is re-indented to the file's indentation). Zero or several
matches are errors that say which, so the caller can add context and retry.
"""

from __future__ import annotations

import difflib

from pydantic import BaseModel, Field


class EditOperation(BaseModel):
    oldText: str = Field(description="Text to find; it must occur exactly once in the file.")  # noqa: N815
    newText: str = Field(description="Text to put in its place.")  # noqa: N815


class EditNotApplicable(ValueError):
    """An edit whose oldText matches nowhere or in several places."""


def apply_edits(text: str, edits: list[EditOperation]) -> str:
    """``text`` with every edit applied in order (line endings normalised to \\n)."""
    result = _normalise(text)
    for number, edit in enumerate(edits, start=1):
        result = _apply_one(result, _normalise(edit.oldText), _normalise(edit.newText), number)
    return result


def unified_diff(before: str, after: str, name: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _apply_one(text: str, old: str, new: str, number: int) -> str:
    if not old:
        raise EditNotApplicable(f"Edit {number}: oldText is empty; copy the exact lines to replace from the file.")
    count = text.count(old)
    if count == 1:
        return text.replace(old, new, 1)
    if count > 1:
        raise EditNotApplicable(
            f"Edit {number}: oldText occurs {count} times; include more surrounding lines so it is unique."
        )
    return _apply_loosely(text, old, new, number)


def _apply_loosely(text: str, old: str, new: str, number: int) -> str:
    lines = text.split("\n")
    wanted = [line.strip() for line in old.strip("\n").split("\n")]
    starts = [
        i for i in range(len(lines) - len(wanted) + 1)
        if [line.strip() for line in lines[i : i + len(wanted)]] == wanted
    ]
    if not starts:
        raise EditNotApplicable(
            f"Edit {number}: oldText was not found in the file. Read the file again and copy the lines exactly."
        )
    if len(starts) > 1:
        raise EditNotApplicable(
            f"Edit {number}: oldText matches {len(starts)} places (ignoring indentation); include more lines."
        )
    start = starts[0]
    replaced = _reindent(new.strip("\n").split("\n"), old.strip("\n").split("\n")[0], lines[start])
    return "\n".join(lines[:start] + replaced + lines[start + len(wanted) :])


def _reindent(new_lines: list[str], old_first: str, file_first: str) -> list[str]:
    # Shift the replacement by the indentation difference between what the
    # caller wrote and what the file has, keeping the replacement's own shape.
    have = _indent(file_first)
    gave = _indent(old_first)
    result = []
    for line in new_lines:
        if not line.strip():
            result.append("")
        elif line.startswith(gave):
            result.append(have + line[len(gave) :])
        else:
            result.append(have + line.lstrip())
    return result


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n")
