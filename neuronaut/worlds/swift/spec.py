"""Reading a Swift task README: what to build, and the examples that must hold.

The format (see ``examples/swift/*/README.md``)::

    # Title
    - Package: `wordcount`
    - Executable: `wordcount`

    One paragraph saying what the program does.

    ## Examples

    ```console
    $ echo "hello world" | wordcount
    2
    $ wordcount --bad
    [exit 1]
    ```

In the Examples section every fenced block holds one or more examples. An
example starts with a ``$`` line; the lines after it, up to the next ``$``
line, are the exact expected stdout; a last line ``[exit N]`` gives the
expected exit status (default 0). Standard input comes from
``echo TEXT |``, ``printf FORMAT |`` (with ``\\n`` escapes) or a heredoc
(``$ tool <<EOF`` … ``EOF``). stderr is never compared: programs may word
their error messages freely.
"""

from __future__ import annotations

import re
import shlex

from pydantic import BaseModel, Field

from neuronaut.errors import UserError

_FIELD = re.compile(r"^\s*[-*]?\s*(?P<key>Package|Executable|Difficulty)\s*:\s*`?(?P<value>[^`\s]+)`?", re.I | re.M)
_TITLE = re.compile(r"^#\s+(?P<title>.+)$", re.M)
_SECTION = re.compile(r"^##\s+(?P<name>.+)$", re.M)
_FENCE = re.compile(r"^```[^\n]*\n(?P<body>.*?)^```\s*$", re.M | re.S)
_EXIT = re.compile(r"^\[exit (?P<code>\d+)\]$")
_HEREDOC = re.compile(r"<<-?\s*'?(?P<tag>\w+)'?\s*$")


class AcceptanceCheck(BaseModel):
    command: str = Field(description="The example's command line, as written in the README.")
    args: list[str]
    stdin: str | None = None
    expected_stdout: str
    expected_exit: int = 0


class SwiftSpec(BaseModel):
    title: str
    package: str
    executable: str
    difficulty: str | None = None
    description: str
    checks: list[AcceptanceCheck]


def parse_spec(readme_text: str) -> SwiftSpec:
    fields = {m.group("key").lower(): m.group("value") for m in _FIELD.finditer(readme_text)}
    title_match = _TITLE.search(readme_text)
    title = title_match.group("title").strip() if title_match else ""
    package = fields.get("package") or title
    if not package:
        raise UserError("the README names no package: add a line '- Package: `name`'")
    executable = fields.get("executable", package)
    examples = _section(readme_text, "example")
    if examples is None:
        raise UserError("the README has no '## Examples' section")
    checks = [check for block in _FENCE.finditer(examples) for check in _parse_block(block.group("body"), executable)]
    if not checks:
        raise UserError("the Examples section has no '$ command' lines in fenced blocks")
    return SwiftSpec(
        title=title or package,
        package=package,
        executable=executable,
        difficulty=fields.get("difficulty"),
        description=_description(readme_text),
        checks=checks,
    )


def _section(text: str, word: str) -> str | None:
    """The body of the first ``##`` section whose heading contains ``word``."""
    headings = list(_SECTION.finditer(text))
    for index, heading in enumerate(headings):
        if word in heading.group("name").lower():
            end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
            return text[heading.end() : end]
    return None


def _description(text: str) -> str:
    """The first paragraph of prose before any ``##`` section."""
    first_section = _SECTION.search(text)
    intro = text[: first_section.start()] if first_section else text
    paragraphs = [p.strip() for p in intro.split("\n\n")]
    prose = [p for p in paragraphs if p and not p.startswith("#") and not _FIELD.match(p)]
    return " ".join(prose[0].split()) if prose else ""


def _parse_block(body: str, executable: str) -> list[AcceptanceCheck]:
    lines = body.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    checks: list[AcceptanceCheck] = []
    index = 0
    while index < len(lines):
        if not lines[index].startswith("$ "):
            index += 1  # prose or output before the first command: not part of an example
            continue
        command = lines[index][2:].strip()
        index += 1
        heredoc = _HEREDOC.search(command)
        stdin = None
        if heredoc:
            stdin, index = _read_heredoc(lines, index, heredoc.group("tag"))
            command = command[: heredoc.start()].strip()
        output: list[str] = []
        while index < len(lines) and not lines[index].startswith("$ "):
            output.append(lines[index])
            index += 1
        checks.append(_make_check(command, stdin, output, executable))
    return checks


def _read_heredoc(lines: list[str], index: int, tag: str) -> tuple[str, int]:
    body: list[str] = []
    while index < len(lines) and lines[index].strip() != tag:
        body.append(lines[index])
        index += 1
    if index >= len(lines):
        raise UserError(f"heredoc <<{tag} is never closed")
    return "".join(line + "\n" for line in body), index + 1


def _make_check(command: str, stdin: str | None, output: list[str], executable: str) -> AcceptanceCheck:
    expected_exit = 0
    while output and not output[-1].strip():
        output.pop()
    if output and (exit_match := _EXIT.match(output[-1].strip())):
        expected_exit = int(exit_match.group("code"))
        output.pop()
    pipe_stdin, args = _split_command(command, executable)
    return AcceptanceCheck(
        command=command,
        args=args,
        stdin=stdin if stdin is not None else pipe_stdin,
        expected_stdout="".join(line + "\n" for line in output),
        expected_exit=expected_exit,
    )


def _split_command(command: str, executable: str) -> tuple[str | None, list[str]]:
    stdin = None
    words = _words(command)
    if "|" in words:
        cut = len(words) - 1 - words[::-1].index("|")
        stdin = _producer_output(words[:cut], command)
        words = words[cut + 1 :]
    if not words or words[0] != executable:
        raise UserError(f"example '{command}' does not run {executable}")
    return stdin, words[1:]


def _words(command: str) -> list[str]:
    # A quoted "|" stays inside its word; only a bare one is a pipe.
    lexer = shlex.shlex(command, posix=True, punctuation_chars="|")
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError as exc:
        raise UserError(f"example '{command}' cannot be read as a command: {exc}") from None


def _producer_output(words: list[str], command: str) -> str:
    if words and words[0] == "echo":
        return " ".join(words[1:]) + "\n"
    if len(words) == 2 and words[0] == "printf":
        escaped = words[1].replace("%%", "%")
        return escaped.encode("latin-1", "backslashreplace").decode("unicode_escape")
    raise UserError(f"unsupported input in '{command}': use echo TEXT |, printf FORMAT | or a heredoc")
