"""The words READMEs use to state what a run does: "prints X", "→ X", "exits with status N", "to standard error".

``read_statement`` reads one such phrase (a usage line's comment, or the part
of a sentence after a command) into what it states; anything it does not
state stays None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_VERB = re.compile(
    r"(?:(?<![\w-])(?:should\s+)?(?P<word>prints?|printing|outputs?|writes?|shows?|gives?|displays?|yields?)\b"
    r"|(?P<arrow>→|->|=>|⇒))\s*:?\s*", re.I)
_FREE_TEXT_VERBS = frozenset({"print", "prints", "printing", "output", "outputs"})
_EXIT = re.compile(
    r"\bexit(?:s|ing)?(?:\s+with)?(?:\s+(?:a\s+)?(?:status|code))?(?:\s+of)?\s+(?P<a>\d+)"
    r"|\[exit (?P<b>\d+)\]|\bexit (?:status|code) (?:is )?(?P<c>\d+)|\bfails? with (?:status|code) (?P<d>\d+)", re.I)
_STDERR = re.compile(r"\b(?:standard error|stderr)\b", re.I)
_NOTHING = re.compile(r"^(?:nothing|no output)\b", re.I)
_SPAN = re.compile(r"`(?P<text>[^`]*)`")
_QUOTED = re.compile(r'^"(?P<text>[^"]*)"')
# "prints the version", "outputs a greeting": a description of the output, not the output itself.
_DESCRIBED = re.compile(r"^(?:the|a|an|its|their|your|this|that|each|every|all|some|how|what|which|whether|one)\s",
                        re.I)
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)\s*")
_SEPARATE_LINES = re.compile(r"(?:on separate lines|one per line|each on its own line|on (?:\w+ )?lines)\b", re.I)


@dataclass(frozen=True)
class Statement:
    stdout: str | None = None
    exit: int | None = None
    stderr: str | None = None
    continues: bool = False  # "prints:" with the output on the lines after

    def states_something(self) -> bool:
        return self.stdout is not None or self.exit is not None or self.stderr is not None or self.continues


def exit_status(text: str) -> int | None:
    found = _EXIT.search(text)
    if found is None:
        return None
    return int(next(value for value in found.groups() if value is not None))


def mentions_stderr(text: str) -> bool:
    return bool(_STDERR.search(text))


def read_statement(text: str, *, free_text: bool = False) -> Statement:
    """What ``text`` says a run prints and how it exits; a printed text said to go to stderr is the stderr's.

    The printed text is a `code span` or a "quoted" text; with ``free_text`` (a usage line's comment) it may
    also be the bare words after "prints" or an arrow, up to an exit clause.
    """
    text = text.strip()
    status = exit_status(text)
    verb = _VERB.search(text)
    if verb is None:
        return Statement(exit=status)
    rest = text[verb.end():]
    bare = free_text and (verb.group("arrow") is not None or verb.group("word").lower() in _FREE_TEXT_VERBS)
    printed, after = _printed_text(rest, bare)
    if printed is None:
        continues = rest.strip() in ("", ":") or (rest.rstrip().endswith(":") and not _SPAN.search(rest))
        return Statement(exit=status, continues=continues)
    if mentions_stderr(after[:40]):
        return Statement(exit=status, stderr=printed)
    return Statement(stdout=_as_output(printed), exit=status)


def _printed_text(rest: str, bare: bool) -> tuple[str | None, str]:
    """The text a verb introduces, and what follows it."""
    if _NOTHING.match(rest):
        return "", rest[_NOTHING.match(rest).end():]
    if rest.startswith("`"):
        spans = list(_SPAN.finditer(rest))
        if not spans or spans[0].start() != 0:
            return None, rest
        listed = [spans[0]]
        for span in spans[1:]:  # `1`, `2` and `Fizz`: a list of spans with only commas and "and" between
            if not _LIST_GAP.fullmatch(rest[listed[-1].end():span.start()]):
                break
            listed.append(span)
        after = rest[listed[-1].end():]
        if len(listed) > 1 and _SEPARATE_LINES.match(after.strip()):
            return "\n".join(span.group("text") for span in listed), after
        return spans[0].group("text"), rest[spans[0].end():]
    if quoted := _QUOTED.match(rest):
        return quoted.group("text"), rest[quoted.end():]
    if not bare:
        return None, rest
    cut = len(rest)
    for pattern in (_EXIT, _STDERR, re.compile(r"\s+\(|[,;]\s+and\b|\s+and\s+exit", re.I)):
        if found := pattern.search(rest):
            cut = min(cut, found.start())
    words = re.sub(r"\s+(?:and|then|to|on)$", "", rest[:cut].strip()).rstrip(",;").strip()
    if not words or words.endswith(":") or _DESCRIBED.match(words):
        return None, rest
    return words, rest[cut:]


def _as_output(printed: str) -> str:
    return printed if printed == "" or printed.endswith("\n") else printed + "\n"


def spans(text: str) -> list[re.Match[str]]:
    return list(_SPAN.finditer(text))
