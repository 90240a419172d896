"""The package's and the executable's names: from ``Package:`` / ``Executable:`` lines, else the title and usage.

Without those lines the executable is the title's first word when the
examples run a program of that name, else the program the README's code
blocks and tables run most often (shell tools like ``echo`` and setup
commands like ``git`` are not candidates). The package is named after the
executable unless the README names it.
"""

from __future__ import annotations

import re
from collections import Counter

from neuronaut.worlds.swift.readme import commands
from neuronaut.worlds.swift.readme.blocks import is_console, shows_commands, split_comment
from neuronaut.worlds.swift.readme.markdown import Document
from neuronaut.worlds.swift.readme.tables import column_kinds

_FIELD = re.compile(r"^\s*[-*]?\s*(?P<key>Package|Executable|Difficulty)\s*:\s*`?(?P<value>[^`\s]+)`?", re.I | re.M)
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_SPAN = re.compile(r"`(?P<text>[^`]+)`")
_NAMING = re.compile(r"(?:\b(?:the|program|command|tool|called|named|run|runs|running)|,)\s*$", re.I)


def header_fields(text: str) -> dict[str, str]:
    return {m.group("key").lower(): m.group("value") for m in _FIELD.finditer(text)}


def is_field_line(text: str) -> bool:
    return bool(_FIELD.match(text))


def runnable_name(doc: Document, fields: dict[str, str]) -> str | None:
    if fields.get("executable") or fields.get("package"):
        return fields.get("executable") or fields["package"]
    used = Counter(_programs(doc))
    title_words = doc.title.replace("`", " ").split()
    title = title_words[0] if title_words else ""
    for candidate in (title, title.lower()):
        if candidate and used[candidate]:
            return candidate
    if not used:
        used = Counter(_named_in_prose(doc))
        for candidate in (title, title.lower()):
            if candidate and used[candidate]:
                return candidate
    if used:
        return used.most_common(1)[0][0]
    return title if NAME.match(title) and len(title_words) == 1 else None


def _named_in_prose(doc: Document) -> list[str]:
    """Programs named in sentences: commands with arguments (`roman 4`), or a name opening a sentence."""
    found = []
    for paragraph in doc.paragraphs:
        for span in _SPAN.finditer(paragraph.text):
            text = span.group("text").strip()
            opens = span.start() == 0 or paragraph.text[:span.start()].rstrip().endswith((".", ":")) or \
                _NAMING.search(paragraph.text[:span.start()])
            if " " in text or opens:
                found.append(text.split()[0] if text else "")
    return [name for name in found if NAME.match(name) and name not in commands.SHELL_WORDS]


def _programs(doc: Document) -> list[str]:
    found: list[str] = []
    for block in doc.blocks:
        if not shows_commands(block):
            continue
        console = is_console(block)
        for line in block.lines:
            if console and not line.startswith("$"):
                continue
            command, _ = split_comment(line[1:] if console else line)
            if command.strip() and not commands.is_setup(command):
                found.append(commands.program_word(command) or "")
    for table in doc.tables:
        inputs = [index for index, kind in enumerate(column_kinds(table.header)) if kind == "command"]
        for _, cells in table.rows:
            found += [commands.program_word(cells[i].strip("` ")) or "" for i in inputs if i < len(cells)]
    return [name for name in found if NAME.match(name) and name not in commands.SHELL_WORDS]
