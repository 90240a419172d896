"""Reading the acceptance checks out of a README as people write them.

``read_readme`` finds the examples wherever the README puts them (see the
readers: ``blocks`` for console sessions and usage lines, ``tables``,
``prose`` for sentences and error contracts, ``files`` for shown input
files) and returns them with the line each came from, together with every
example it could not read. Code blocks are read from the sections whose
heading (any level) says Example(s) when they hold any, else from every
section (Usage, Quick start, the introduction …); tables and sentences from
every section. Sections about installing, building, testing or contributing
hold no examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from neuronaut.worlds.swift.readme.blocks import output_label, read_block
from neuronaut.worlds.swift.readme.cases import Case, Problem, apply_error_contracts, merge_cases
from neuronaut.worlds.swift.readme.files import shown_files
from neuronaut.worlds.swift.readme.markdown import Document, read_markdown
from neuronaut.worlds.swift.readme.names import NAME, header_fields, is_field_line, runnable_name
from neuronaut.worlds.swift.readme.prose import error_contracts, read_paragraph
from neuronaut.worlds.swift.readme.tables import read_table

EXCLUDED = re.compile(r"install|building|\bbuild\b|requirement|licen[cs]e|contribut|develop|running (?:the )?tests"
                      r"|testing|changelog|credit|acknowledg|\bauthors?\b|\bsupport\b")
TIERS = (re.compile(r"example"), re.compile(r""))


@dataclass
class ReadmeChecks:
    title: str
    package: str | None
    executable: str | None
    difficulty: str | None
    cases: list[Case] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    contracts: dict[int, str] = field(default_factory=dict)


def read_readme(text: str) -> ReadmeChecks:
    doc = read_markdown(text)
    fields = header_fields(text)
    executable = runnable_name(doc, fields)
    package = fields.get("package") or executable
    found = ReadmeChecks(doc.title, package, executable, fields.get("difficulty"))
    if executable is None or not NAME.match(executable):
        return found
    files = shown_files(doc)
    cases, problems = _from_blocks(doc, executable, files)
    reads_stdin = bool(re.search(r"standard input|\bstdin\b", text, re.I))
    for table in doc.tables:
        if not EXCLUDED.search(table.section):
            more, trouble = read_table(table, executable, files, reads_stdin)
            cases, problems = cases + more, problems + trouble
    for paragraph in doc.paragraphs:
        if not EXCLUDED.search(paragraph.section) and not is_field_line(paragraph.text):
            more, trouble = read_paragraph(paragraph, executable, files)
            cases, problems = cases + more, problems + trouble
    cases.sort(key=lambda case: case.line)
    merged, contradictions = merge_cases(cases)
    found.contracts = _contracts(doc, executable)
    found.cases = apply_error_contracts(merged, found.contracts)
    found.problems = sorted(problems + contradictions, key=lambda problem: problem.line)
    return found


def _from_blocks(doc: Document, executable: str, files: dict[str, str]) -> tuple[list[Case], list[Problem]]:
    for tier in TIERS:
        cases: list[Case] = []
        problems: list[Problem] = []
        consumed = -1
        for index, block in enumerate(doc.blocks):
            if index == consumed or not tier.search(block.section) or EXCLUDED.search(block.section):
                continue
            following = doc.blocks[index + 1] if index + 1 < len(doc.blocks) else None
            output = following.lines if following is not None and output_label(following) else None
            more, trouble = read_block(block, executable, files, output)
            cases, problems = cases + more, problems + trouble
            consumed = index + 1 if output is not None else consumed
        if cases or problems:
            return cases, problems
    return [], []


def _contracts(doc: Document, executable: str) -> dict[int, str]:
    """Exit status → the one message the README ties to it; a status given two messages gets none."""
    messages: dict[int, set[str]] = {}
    for paragraph in doc.paragraphs:
        if not EXCLUDED.search(paragraph.section):
            for _, status, message in error_contracts(paragraph, executable):
                messages.setdefault(status, set()).add(message)
    return {status: found.pop() for status, found in messages.items() if len(found) == 1}
