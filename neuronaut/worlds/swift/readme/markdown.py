"""A README cut into the pieces the example readers look at, each with its 1-based line number.

Only as much Markdown as READMEs use around examples is understood: ATX
headings (``#`` to ``######``) and underlined (setext) ones, fenced code blocks (backticks or tildes, with
the info string kept), indented code blocks after a blank line, tables (rows
starting with ``|``), list items and paragraphs. Every piece knows the heading
of the section it sits in, lower-cased.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"^ {0,3}(?P<marks>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_FENCE_OPEN = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-{2,})\s*$")  # the underline of a "Title\n=====" heading
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_INDENTED = re.compile(r"^(?: {4}|\t)")


@dataclass
class Block:
    """A code block: its lines (without the fence), where it starts, and what the fence says about it."""

    line: int  # the line of the block's first content line
    lines: list[str]
    section: str
    info: str = ""
    preceding: str = ""  # the last paragraph before the block, which often names a shown file

    def line_of(self, index: int) -> int:
        return self.line + index


@dataclass
class Paragraph:
    line: int
    text: str  # its lines joined by single spaces
    section: str
    bullet: bool = False


@dataclass
class Table:
    line: int  # the header row's line
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line, cells)
    section: str


@dataclass
class Document:
    title: str = ""
    headings: list[tuple[int, str]] = field(default_factory=list)  # (line, lower-cased text)
    blocks: list[Block] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def read_markdown(text: str) -> Document:
    lines = text.replace("\r\n", "\n").split("\n")
    doc = Document()
    section, index = "", 0
    title_level = 7
    last = (-1, "")  # the index just after the latest paragraph, and its text
    while index < len(lines):
        line = lines[index]
        if heading := _HEADING.match(line):
            level = len(heading.group("marks"))
            section = heading.group("text").strip().lower()
            doc.headings.append((index + 1, section))
            if level < title_level:  # the highest-level first heading is the title
                doc.title, title_level = heading.group("text").strip(), level
            index += 1
        elif fence := _FENCE_OPEN.match(line):
            index = _read_fence(lines, index, fence.group("fence"), fence.group("info").strip(), section,
                                _preceding(lines, index, last), doc)
        elif _starts_indented_block(lines, index):
            start = index
            while index < len(lines) and (_INDENTED.match(lines[index]) or not lines[index].strip()):
                index += 1
            body = [_unindent(item) for item in lines[start:index]]
            while body and not body[-1].strip():
                body.pop()
            doc.blocks.append(Block(start + 1, body, section, "", _preceding(lines, start, last)))
        elif line.lstrip().startswith("|"):
            index = _read_table(lines, index, section, doc)
        elif line.strip() and index + 1 < len(lines) and _SETEXT.match(lines[index + 1]) and not _BULLET.match(line):
            level = 1 if lines[index + 1].strip().startswith("=") else 2
            section = line.strip().lower()
            doc.headings.append((index + 1, section))
            if level < title_level:
                doc.title, title_level = line.strip(), level
            index += 2
        elif line.strip():
            start = index
            index += 1
            while index < len(lines) and _continues_paragraph(lines[index]):
                index += 1
            text_lines = [item.strip() for item in lines[start:index]]
            bullet = bool(_BULLET.match(lines[start]))
            joined = " ".join(text_lines)
            doc.paragraphs.append(Paragraph(start + 1, _BULLET.sub("", joined, count=1), section, bullet))
            last = (index, joined)
        else:
            index += 1
    return doc


def _preceding(lines: list[str], index: int, last: tuple[int, str]) -> str:
    """The paragraph right before line ``index`` (only blank lines between), else empty."""
    end, text = last
    return text if 0 <= end <= index and not any(line.strip() for line in lines[end:index]) else ""


def _continues_paragraph(line: str) -> bool:
    stripped = line.strip()
    starts_other = _SETEXT.match(line) or _BULLET.match(line) or _HEADING.match(line) or _FENCE_OPEN.match(line)
    return bool(stripped) and not (starts_other or stripped.startswith("|"))


def _starts_indented_block(lines: list[str], index: int) -> bool:
    if not _INDENTED.match(lines[index]) or not lines[index].strip():
        return False
    before = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
    # An indented line right under a list item (or a paragraph) continues it rather than starting code.
    return index > 0 and not lines[index - 1].strip() and not _BULLET.match(before)


def _unindent(line: str) -> str:
    return line[1:] if line.startswith("\t") else line[4:]


def _read_fence(lines: list[str], index: int, fence: str, info: str, section: str, preceding: str,
                doc: Document) -> int:
    start = index + 1
    index = start
    closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    while index < len(lines) and not closing.match(lines[index]):
        index += 1
    doc.blocks.append(Block(start + 1, lines[start:index], section, info, preceding))
    return index + 1


def _read_table(lines: list[str], index: int, section: str, doc: Document) -> int:
    start = index
    while index < len(lines) and lines[index].lstrip().startswith("|"):
        index += 1
    rows = [(number + 1, split_row(lines[number])) for number in range(start, index)]
    if len(rows) >= 2 and all(re.fullmatch(r":?-{2,}:?", cell.strip()) for cell in rows[1][1]):
        doc.tables.append(Table(rows[0][0], [c.strip().lower() for c in rows[0][1]], rows[2:], section))
    return index


def split_row(line: str) -> list[str]:
    """A table row's cells; an escaped ``\\|`` stays inside its cell as ``|``."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    cells = re.split(r"(?<!\\)\|", body)
    return [cell.replace("\\|", "|").strip() for cell in cells]
