"""Files a README shows, for examples that read them with ``< FILE`` or ``cat FILE |``.

A file is shown by a code block whose fence names it (```` ```text title="notes.txt" ```` or
```` ```notes.txt ````), by a block right after a paragraph that names it in a code span and
ends with a colon ("Given `notes.txt`:"), or by ``$ cat FILE`` and the lines after it in a
console session.
"""

from __future__ import annotations

import re

from neuronaut.worlds.swift.readme import commands
from neuronaut.worlds.swift.readme.markdown import Block, Document

_FILE_NAME = re.compile(r"^[\w./-]+\.\w+$|^[\w-]+$")
_TITLE = re.compile(r"""(?:title|file(?:name)?)=["']?(?P<name>[^"'\s]+)""")
_SPAN = re.compile(r"`(?P<name>[^`\s]+)`")


def shown_files(doc: Document) -> dict[str, str]:
    files: dict[str, str] = {}
    for block in doc.blocks:
        if name := _named_by_fence(block) or _named_before(block):
            files[name] = "".join(line + "\n" for line in block.lines)
        files.update(_catted(block))
    return files


def _named_by_fence(block: Block) -> str | None:
    if found := _TITLE.search(block.info):
        return found.group("name")
    words = block.info.split()
    return words[0] if len(words) == 1 and "." in words[0] and _FILE_NAME.match(words[0]) else None


def _named_before(block: Block) -> str | None:
    text = block.preceding.rstrip()
    if not text.endswith(":"):
        return None
    names = [span.group("name") for span in _SPAN.finditer(text) if "." in span.group("name")]
    return names[-1] if names else None


def _catted(block: Block) -> dict[str, str]:
    found: dict[str, str] = {}
    lines = block.lines
    for index, line in enumerate(lines):
        if not line.startswith("$"):
            continue
        name = commands.shown_file(line[1:].strip())
        if name is None:
            continue
        end = index + 1
        while end < len(lines) and not lines[end].startswith("$"):
            end += 1
        body = lines[index + 1:end]
        while body and not body[-1].strip():
            body.pop()
        found[name] = "".join(item + "\n" for item in body)
    return found
