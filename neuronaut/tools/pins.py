"""Pinned tool definitions: a server's tools as first seen, and what changed since.

The first time a server is used, each tool's name, description and input
schema are recorded with a hash (``tool-pins.json`` in the checkpoints
directory). On later runs a tool whose definition still matches its pin is
offered; one that changed, or a tool the server did not have before, is held
back and recorded as *pending* until a person accepts it with
``neuronaut servers trust NAME``. A server that rewrites a description after
it was approved (a "rug pull") therefore reaches the model only after someone
has read the difference.

Tools whose names or parameter names are not plain identifiers are refused
outright: a parameter name is shown to the model as it is and cannot be
sanitised without breaking the call, so it is the one place an instruction
could hide unedited.

Pins are keyed by the server's name; the definitions hashed are the server's
own words, before sanitising, so any change at all is noticed. The file is
written atomically under a lock: parallel runs may pin at the same time.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import logging
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neuronaut.fs import atomic_write_text, file_lock
from neuronaut.tools.sanitize import show_hidden

if TYPE_CHECKING:
    from neuronaut.settings import Settings

log = logging.getLogger(__name__)

PINS_FILE = "tool-pins.json"
PLAIN_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")


@dataclass(frozen=True)
class ToolDefinition:
    name: str
    description: str
    input_schema: dict[str, Any]

    @property
    def digest(self) -> str:
        canonical = json.dumps(self.as_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "input_schema": self.input_schema}


@dataclass
class Review:
    """What one server's tools came to: offered, held until trusted, refused."""

    accepted: set[str] = field(default_factory=set)
    held: dict[str, str] = field(default_factory=dict)  # tool -> "changed" or "new"
    refused: dict[str, str] = field(default_factory=dict)  # tool -> why
    first_use: bool = False


@dataclass(frozen=True)
class ServerPinState:
    name: str
    pinned: int
    pending: dict[str, str]  # tool -> "changed" or "new"
    trusted_at: str


class ToolPins:
    """The pins file; ``servers`` limits pinning to those names (None: every server)."""

    def __init__(self, path: Path, servers: Collection[str] | None = None) -> None:
        self.path = path
        self.servers = None if servers is None else frozenset(servers)

    @classmethod
    def for_settings(cls, settings: Settings) -> ToolPins:
        # The servers a person configured: the project's own servers ship with its code and change with it.
        return cls(settings.checkpoints_dir / PINS_FILE, servers=settings.servers)

    def applies_to(self, server: str) -> bool:
        return self.servers is None or server in self.servers

    def review(self, server: str, definitions: list[ToolDefinition]) -> Review:
        """Which of ``server``'s tools may be offered now; records first pins and pending changes."""
        review = Review()
        usable = []
        for definition in definitions:
            problem = naming_problem(definition)
            if problem:
                review.refused[definition.name] = problem
            else:
                usable.append(definition)
        with file_lock(self._lock_path):
            data = self._load()
            entry = data["servers"].get(server)
            if entry is None:
                review.first_use = True
                entry = {"pinned": {}, "pending": {}, "trusted_at": _now()}
                entry["pinned"] = {d.name: _record(d) for d in usable}
                data["servers"][server] = entry
            pending: dict[str, Any] = {}
            for definition in usable:
                pin = entry["pinned"].get(definition.name)
                if pin is not None and pin["sha256"] == definition.digest:
                    review.accepted.add(definition.name)
                else:
                    review.held[definition.name] = "new" if pin is None else "changed"
                    pending[definition.name] = _record(definition)
            if review.first_use or pending != entry.get("pending", {}):
                entry["pending"] = pending
                self._save(data)
        for name, problem in review.refused.items():
            log.warning("server %s: tool %r refused: %s", server, name, problem)
        if review.held:
            listed = ", ".join(f"{name} ({kind})" for name, kind in sorted(review.held.items()))
            log.warning("server %s: tools changed since they were pinned and are not offered until "
                        "`neuronaut servers trust %s`: %s", server, server, listed)
        return review

    def states(self) -> list[ServerPinState]:
        servers = self._load()["servers"]
        return [
            ServerPinState(name, len(entry["pinned"]), _pending_kinds(entry), entry.get("trusted_at", ""))
            for name, entry in sorted(servers.items())
        ]

    def pending_diff(self, server: str) -> str:
        """What accepting ``server``'s pending definitions would change, as a unified diff per tool."""
        entry = self._load()["servers"].get(server)
        if entry is None:
            raise KeyError(server)
        parts = []
        for name, record in sorted(entry.get("pending", {}).items()):
            old = entry["pinned"].get(name)
            before = _shown(old).splitlines(keepends=True) if old else []
            after = _shown(record).splitlines(keepends=True)
            label = f"{server}/{name}"
            parts.append("".join(difflib.unified_diff(before, after, f"{label} (pinned)", f"{label} (now)")))
        return "\n".join(parts)

    def trust(self, server: str) -> list[str]:
        """Accept every pending definition of ``server``; returns the tools accepted."""
        with file_lock(self._lock_path):
            data = self._load()
            entry = data["servers"].get(server)
            if entry is None:
                raise KeyError(server)
            accepted = sorted(entry.get("pending", {}))
            entry["pinned"].update(entry.get("pending", {}))
            entry["pending"] = {}
            entry["trusted_at"] = _now()
            self._save(data)
        return accepted

    @property
    def _lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def _load(self) -> dict[str, Any]:
        if not self.path.exists():
            return {"servers": {}}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            from neuronaut.errors import UserError

            raise UserError(f"cannot read the tool pins {self.path}: {exc}; fix or remove the file") from None
        data.setdefault("servers", {})
        return data

    def _save(self, data: dict[str, Any]) -> None:
        atomic_write_text(self.path, json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def definition_of(name: str, description: str | None, schema: dict[str, Any] | None) -> ToolDefinition:
    return ToolDefinition(name, description or "", schema or {})


def naming_problem(definition: ToolDefinition) -> str | None:
    if not PLAIN_NAME.fullmatch(definition.name):
        return "its name is not a plain identifier"
    odd = [key for key in _parameter_names(definition.input_schema) if not PLAIN_NAME.fullmatch(key)]
    if odd:
        return f"parameter names that are not plain identifiers: {', '.join(repr(key[:40]) for key in odd[:3])}"
    return None


def _parameter_names(schema: Any) -> list[str]:
    """Every property name anywhere in the schema (nested objects, $defs, array items)."""
    names: list[str] = []
    if isinstance(schema, dict):
        properties = schema.get("properties")
        if isinstance(properties, dict):
            names += list(properties)
        for value in schema.values():
            names += _parameter_names(value)
    elif isinstance(schema, list):
        for item in schema:
            names += _parameter_names(item)
    return names


def _record(definition: ToolDefinition) -> dict[str, Any]:
    return {"sha256": definition.digest, **definition.as_dict()}


def _pending_kinds(entry: dict[str, Any]) -> dict[str, str]:
    return {name: "changed" if name in entry["pinned"] else "new" for name in sorted(entry.get("pending", {}))}


def _shown(record: dict[str, Any]) -> str:
    # Hidden characters (and terminal escapes) are shown as escapes: the person reviews what the model would read.
    text = json.dumps({k: v for k, v in record.items() if k != "sha256"}, indent=2, sort_keys=True, ensure_ascii=False)
    return show_hidden(text) + "\n"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
