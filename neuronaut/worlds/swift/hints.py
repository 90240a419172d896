"""Fixes for compiler errors that small models make again and again, shown under the error itself.

The 1.5 B model reads "extra argument 'file' in call", says in its thought that
print() takes no file argument, and writes the same call again. A one-line fix
next to the error is what a colleague would say; the table is knowledge about
Swift, like the starter skills, and says nothing about any task's answer.
"""

from __future__ import annotations

import re

HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"extra argument 'file' in call|cannot infer contextual base in reference to member 'standardError'"),
     'print() has no file: argument. For standard error: FileHandle.standardError.write(Data("text\\n".utf8))'),
    (re.compile(r"value of optional type '.+\?' must be unwrapped"),
     "unwrap the optional first: if let value = optional { ... } or guard let value = optional else { exit(1) }"),
    (re.compile(r"has no member 'toInt'"), "convert with Int(text), which is nil when text is not a number"),
    (re.compile(r"'main' attribute cannot be used in a module that contains top-level code"),
     "remove @main: main.swift is top-level code that runs from the top"),
    (re.compile(r"cannot convert value of type 'ArraySlice<String>' to expected argument type '\[String\]'"),
     "wrap the slice: Array(CommandLine.arguments.dropFirst())"),
    (re.compile(r"cannot find '(exit|FileHandle|Data)' in scope"), "add import Foundation at the top of the file"),
)


def hint_for(message: str) -> str:
    """The fix to suggest for a compiler error message, or ``""`` when none is known."""
    for pattern, hint in HINTS:
        if pattern.search(message):
            return hint
    return ""
