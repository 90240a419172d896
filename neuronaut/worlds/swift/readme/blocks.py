"""Examples in code blocks: console sessions (``$`` lines and their output) and usage lines with comments.

A block with ``$`` lines is a console session: each ``$ command`` is followed
by its exact stdout, up to the next ``$`` line, and an optional last line
``[exit N]``; ``$ echo $?`` followed by a number gives the previous command's
exit status. A block without ``$`` lines holds usage lines: a command whose
comment states the result (``roman 4   # prints IV``, ``# → IV``,
``# exits with status 1``); a comment ending in ``:`` takes the output from
the comment-only lines under it. Lines without such a comment (synopses like
``roman VALUE``) are not examples. A block whose last command shows no
output takes it from the next block when a short label ("Output:", "This
prints:") introduces that one. Blocks fenced as another language
(```` ```swift ````, ```` ```json ```` …) hold source, not commands.
"""

from __future__ import annotations

import re
from dataclasses import replace

from neuronaut.worlds.swift.readme import commands
from neuronaut.worlds.swift.readme.cases import Case, Problem
from neuronaut.worlds.swift.readme.markdown import Block
from neuronaut.worlds.swift.readme.phrases import Statement, read_statement

SHELL_LANGUAGES = frozenset({
    "", "console", "sh", "shell", "bash", "zsh", "fish", "shell-session", "shellsession", "session", "terminal",
    "text", "txt", "plain", "plaintext", "none", "output", "cli", "cmd",
})
_OUTPUT_LABEL = re.compile(
    r"^(?:(?:this|it|that|which|you(?:'ll)? (?:get|see)|and)\s+)?(?:prints|outputs?|produces|gives|shows|returns|result"
    r"|expected output|you get)\s*:$", re.I)
_EXIT_LINE = re.compile(r"^\[exit (?P<code>\d+)\]$")
_COMMENT_ONLY = re.compile(r"^\s*#\s?(?P<text>.*)$")
_ARROW = re.compile(r"\s(?:→|=>)\s")


def shows_commands(block: Block) -> bool:
    """Whether the block may hold commands: a shell or plain-text block, not Swift or JSON source."""
    language = block.info.split()[0].lower() if block.info.split() else ""
    return language in SHELL_LANGUAGES or "title=" in block.info or "." in language


def is_console(block: Block) -> bool:
    return any(line.startswith("$ ") or line == "$" for line in block.lines)


def read_block(block: Block, executable: str, files: dict[str, str],
               shown_output: list[str] | None = None) -> tuple[list[Case], list[Problem]]:
    """The block's examples; ``shown_output`` is the next block when a label like "Output:" introduces it."""
    if not shows_commands(block):
        return [], []
    if shown_output is not None:
        block = _with_output(block, shown_output)
    reader = _ConsoleReader if is_console(block) else _UsageReader
    return reader(block, executable, files).read()


def output_label(block: Block) -> bool:
    """Whether the paragraph right before ``block`` introduces it as the previous command's output."""
    return bool(_OUTPUT_LABEL.match(block.preceding.strip()))


def _with_output(block: Block, output: list[str]) -> Block:
    """A command block whose last command shows no output, completed with the output shown after it."""
    filled = [line for line in block.lines if line.strip()]
    if is_console(block):
        if filled and filled[-1].startswith("$"):
            return replace(block, lines=filled + output)
    elif len(filled) == 1 and split_comment(filled[0])[1] is None:
        return replace(block, lines=["$ " + filled[0].strip(), *output])
    return block


def split_comment(line: str) -> tuple[str, str | None]:
    """A command line and its trailing comment (``# …``, or an unquoted `` → `` / `` => ``), quotes respected."""
    quote = None
    for index, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[:index].rstrip(), line[index + 1:].strip()
        elif char in "→=" and _ARROW.match(line, index - 1):
            return line[:index].rstrip(), line[index:].strip()
    if quote and (naive := line.find(" #")) >= 0:
        # An unclosed quote: split where a comment would be, so the broken command is reported, not skipped.
        return line[:naive].rstrip(), line[naive + 2:].strip()
    return line.rstrip(), None


class _Reader:
    def __init__(self, block: Block, executable: str, files: dict[str, str]) -> None:
        self.block, self.lines = block, block.lines
        self.executable, self.files = executable, files
        self.cases: list[Case] = []
        self.problems: list[Problem] = []

    def _heredoc(self, command: str, index: int) -> tuple[str, str | None, int]:
        """The command without its heredoc, the heredoc's body, and the index after its closing tag."""
        found = commands.HEREDOC.search(command)
        if not found:
            return command, None, index
        body: list[str] = []
        while index < len(self.lines) and self.lines[index].strip() != found.group("tag"):
            body.append(self.lines[index])
            index += 1
        if index >= len(self.lines):
            raise commands.CommandError(f"heredoc <<{found.group('tag')} is never closed")
        return command[:found.start()].strip(), "".join(line + "\n" for line in body), index + 1

    def _case(self, line: int, command: str, heredoc: str | None, statement: Statement) -> None:
        try:
            run = commands.invocation(command, self.executable, self.files, heredoc)
        except commands.CommandError as exc:
            self.problems.append(Problem(line, f"example '{command}' {exc}"))
            return
        self.cases.append(Case(line, self.source, command, run.args, run.stdin,
                               statement.stdout, statement.exit, statement.stderr))

    source = ""


class _ConsoleReader(_Reader):
    source = "console"

    def read(self) -> tuple[list[Case], list[Problem]]:
        index = 0
        while index < len(self.lines):
            if not self.lines[index].startswith("$"):
                index += 1  # prose or output before the first command is not part of an example
                continue
            line = self.block.line_of(index)
            command, comment = split_comment(self.lines[index][1:].strip())
            try:
                command, heredoc, index = self._heredoc(command, index + 1)
            except commands.CommandError as exc:
                self.problems.append(Problem(line, f"example '{command}': {exc}"))
                return self.cases, self.problems
            output: list[str] = []
            while index < len(self.lines) and not self.lines[index].startswith("$"):
                output.append(self.lines[index])
                index += 1
            self._command(line, command, heredoc, comment, output)
        return self.cases, self.problems

    def _command(self, line: int, command: str, heredoc: str | None, comment: str | None,
                 output: list[str]) -> None:
        if commands.is_setup(command) or commands.shown_file(command):
            return
        while output and not output[-1].strip():
            output.pop()
        if command == "echo $?":
            if self.cases and output and output[0].strip().isdigit():
                self.cases[-1] = replace(self.cases[-1], exit=int(output[0].strip()))
            return
        exit_code = None
        if output and (found := _EXIT_LINE.match(output[-1].strip())):
            exit_code = int(found.group("code"))
            output.pop()
        stated = read_statement(comment, free_text=True) if comment else Statement()
        if stated.stdout is not None or stated.stderr is not None:
            statement = Statement(stated.stdout, stated.exit if stated.exit is not None else exit_code, stated.stderr)
        else:
            stdout = "".join(item + "\n" for item in output)
            statement = Statement(stdout, stated.exit if stated.exit is not None else exit_code or 0)
        self._case(line, command, heredoc, statement)


class _UsageReader(_Reader):
    source = "usage"

    def read(self) -> tuple[list[Case], list[Problem]]:
        index = 0
        while index < len(self.lines):
            line = self.block.line_of(index)
            command, comment = split_comment(self.lines[index].strip())
            index += 1
            if not command or comment is None:
                continue
            statement = read_statement(comment, free_text=True)
            if not statement.states_something():
                continue  # a comment that explains rather than states a result
            try:
                command, heredoc, index = self._heredoc(command, index)
            except commands.CommandError as exc:
                self.problems.append(Problem(line, f"example '{command}': {exc}"))
                continue
            if statement.continues:
                statement, index = self._continued(statement, index)
            self._case(line, command, heredoc, statement)
        return self.cases, self.problems

    def _continued(self, statement: Statement, index: int) -> tuple[Statement, int]:
        """Output from the comment-only lines after a ``prints:`` comment; an exit clause among them counts."""
        output: list[str] = []
        exit_code = statement.exit
        while index < len(self.lines) and (found := _COMMENT_ONLY.match(self.lines[index])):
            text = found.group("text")
            stated = read_statement(text)
            if stated.exit is not None and stated.stdout is None and _EXIT_LINE.match(text.strip()) is None:
                exit_code = stated.exit
            elif found := _EXIT_LINE.match(text.strip()):
                exit_code = int(found.group("code"))
            else:
                output.append(text)
            index += 1
        common = min((len(item) - len(item.lstrip()) for item in output if item.strip()), default=0)
        stdout = "".join(item[common:].rstrip() + "\n" for item in output)
        return Statement(stdout, exit_code, statement.stderr), index
