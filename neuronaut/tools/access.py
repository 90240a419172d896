"""Whether a tool reads or writes: the server's annotations, the configuration, or a guess from its words.

MCP servers may annotate tools (``readOnlyHint``, ``destructiveHint``); many do not, and MCP's default then
calls every tool destructive, so an agent would ask a person before each read. Without annotations the
tool's name decides (``list_tables`` reads, ``write_query`` writes), then the first sentence of its
description (``Execute an INSERT, UPDATE or DELETE``); a tool neither tells about is taken to write.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from neuronaut.tools.types import ToolSpec

WRITE_WORDS = frozenset(
    "write create delete remove update insert drop alter add append set put post patch save commit push send "
    "move rename modify edit replace reset clear truncate upload install uninstall apply merge grant revoke "
    "publish submit kill stop restart exec execute run deploy mkdir rm del overwrite store upsert checkout "
    "archive close open start enable disable assign pay buy order book cancel approve".split()
)
READ_WORDS = frozenset(
    "read list get describe show query select search find fetch view count lookup inspect status info stat "
    "diff log calculate calculator compute evaluate eval convert check explain summarize validate parse "
    "preview print cat head tail ls tree grep current now browse retrieve load display peek".split()
)
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")

Kind = Literal["read", "write"]


@dataclass(frozen=True)
class Access:
    kind: Kind
    source: Literal["configured", "annotated", "guessed"]

    @property
    def reads(self) -> bool:
        return self.kind == "read"


def tool_access(spec: ToolSpec, read_only_tools: Collection[str] = ()) -> Access:
    """``read_only_tools`` are the tools the user declared read-only for this server."""
    if spec.name in read_only_tools:
        return Access("read", "configured")
    if spec.read_only:  # only an annotation sets it
        return Access("read", "annotated")
    if spec.annotated:
        return Access("write", "annotated")
    return Access(guess_kind(spec.name, spec.description), "guessed")


def guess_kind(name: str, description: str = "") -> Kind:
    named = _words(name)
    if named & WRITE_WORDS:
        return "write"
    said = _words(re.split(r"(?<=[.!?])\s", description.strip(), maxsplit=1)[0]) if description else set()
    if named & READ_WORDS:
        return "read"
    if said & WRITE_WORDS:
        return "write"
    return "read" if said & READ_WORDS else "write"


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}
