"""A README's shell command line → the program's arguments and standard input.

Standard input comes from ``echo TEXT |``, ``printf FORMAT |``, ``cat FILE |``
or ``< FILE`` (FILE must be shown in the README), or a heredoc (read by the
block reader, which passes its body as ``heredoc``). The program may be
invoked by its name, as ``./name``, ``.build/debug/name`` or ``swift run
[name]``. Commands that set a package up (``git clone``, ``swift build``,
``cd`` …) are not examples.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

SETUP_PROGRAMS = frozenset({
    "git", "cd", "make", "brew", "mint", "mkdir", "cp", "mv", "chmod", "export", "sudo", "install", "ls",
    "xcode-select", "apt", "apt-get", "curl", "wget", "open", "rm", "ln", "source", "which",
})
SETUP_SWIFT = frozenset({"build", "package", "test", "--version"})
SHELL_WORDS = frozenset({"echo", "printf", "cat", "swift"}) | SETUP_PROGRAMS
HEREDOC = re.compile(r"<<-?\s*(?P<quote>['\"]?)(?P<tag>\w+)(?P=quote)\s*$")


class CommandError(ValueError):
    """The command cannot be turned into a run of the program; the message says why."""


@dataclass(frozen=True)
class Invocation:
    args: tuple[str, ...]
    stdin: str | None


def words(command: str) -> list[str]:
    """Shell words; a bare ``|`` or ``<`` is a word of its own, a quoted one stays inside its word."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars="|<>")
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError as exc:
        raise CommandError(f"cannot be read as a command: {exc}") from None


def program_word(command: str) -> str | None:
    """The name of the program a command line runs (after the last pipe), without ``./`` or ``swift run``."""
    try:
        found = words(command)
    except CommandError:
        return None
    if "|" in found:
        found = found[len(found) - found[::-1].index("|"):]
    if len(found) >= 3 and found[:2] == ["swift", "run"]:
        return found[2]
    return found[0].rsplit("/", 1)[-1] if found else None


def is_setup(command: str) -> bool:
    try:
        found = words(command)
    except CommandError:
        return False
    if not found:
        return True
    if found[0] == "swift":
        return len(found) < 2 or found[1] in SETUP_SWIFT
    return found[0] in SETUP_PROGRAMS


def shown_file(command: str) -> str | None:
    """FILE when the command is ``cat FILE``: the lines after it show the file."""
    try:
        found = words(command)
    except CommandError:
        return None
    return found[1] if len(found) == 2 and found[0] == "cat" else None


def invocation(command: str, executable: str, files: dict[str, str], heredoc: str | None = None) -> Invocation:
    found = words(command)
    stdin = heredoc
    if "|" in found:
        cut = len(found) - 1 - found[::-1].index("|")
        stdin = _producer_output(found[:cut], files)
        found = found[cut + 1:]
    if "<" in found:
        at = found.index("<")
        if at + 1 >= len(found):
            raise CommandError("'<' names no file")
        stdin = _file(found[at + 1], files)
        found = found[:at] + found[at + 2:]
    if any(word in ("|", ">", "<") for word in found):
        raise CommandError("only one input (a pipe or '<') and no output redirection can be read")
    return Invocation(tuple(_program_args(found, executable)), stdin)


def _program_args(found: list[str], executable: str) -> list[str]:
    if len(found) >= 2 and found[:2] == ["swift", "run"]:
        rest = found[2:]
        return rest[1:] if rest and rest[0] == executable else rest
    if found and found[0].rsplit("/", 1)[-1] == executable:
        return found[1:]
    raise CommandError(f"does not run {executable}")


def _producer_output(found: list[str], files: dict[str, str]) -> str:
    if found and found[0] == "echo":
        if len(found) > 1 and found[1] == "-n":
            return " ".join(found[2:])
        return " ".join(found[1:]) + "\n"
    if len(found) == 2 and found[0] == "printf":
        escaped = found[1].replace("%%", "%")
        return escaped.encode("latin-1", "backslashreplace").decode("unicode_escape")
    if len(found) == 2 and found[0] == "cat":
        return _file(found[1], files)
    raise CommandError("unsupported input: use echo TEXT |, printf FORMAT |, cat FILE |, < FILE or a heredoc")


def _file(name: str, files: dict[str, str]) -> str:
    if name not in files:
        raise CommandError(f"unsupported input: the README does not show the file {name} "
                           "(show it in a block after a line naming it, or as `$ cat FILE` output)")
    return files[name]
