"""What the agent learned about one bot, on disk under the world's data dir, keyed by the bot's identity.

Per bot: how its status is shown (the probe: a command to send or a button to press, and the button that
leads back), its readers (model-written code; the newest usable one first, older versions kept with why they
were set aside), the names its quantities go by, and which of them a goal's word means.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

log = logging.getLogger(__name__)

ReaderStatus = Literal["candidate", "trusted", "rejected", "stopped-matching"]
KEPT_READERS = 10


@dataclass
class Probe:
    kind: Literal["send", "press"]
    text: str  # the command, or the button's label
    back: str = ""  # after a press: the button that returns to where the player was


@dataclass
class ReaderVersion:
    code: str
    status: ReaderStatus = "candidate"
    agreed: int = 0  # distinct screens on which it matched the model's reading
    note: str = ""


@dataclass
class BotKnowledge:
    bot: str
    probe: Probe | None = None
    readers: list[ReaderVersion] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # the quantities as the model first named them
    meanings: dict[str, str] = field(default_factory=dict)  # goal word -> quantity name ("" = none)
    ladders: dict[str, list[str]] = field(default_factory=dict)  # named values in the order they were seen
    unreadable: str = ""  # why no status could be found, once the search gave up

    @property
    def reader(self) -> ReaderVersion | None:
        """The reader in use: the newest one not set aside."""
        current = self.readers[0] if self.readers else None
        return current if current is not None and current.status in ("candidate", "trusted") else None

    def set_aside(self, status: ReaderStatus, note: str) -> None:
        if (current := self.reader) is not None:
            current.status, current.note = status, note

    def add_reader(self, code: str) -> ReaderVersion:
        version = ReaderVersion(code)
        self.readers = [version, *self.readers][:KEPT_READERS]
        return version

    def see(self, values: dict[str, Any]) -> None:
        """Remember the order in which named (non-numeric) values appeared: a ladder of ranks, say."""
        for key, value in values.items():
            if isinstance(value, str) and not re.search(r"\d", value):
                seen = self.ladders.setdefault(key, [])
                if value not in seen:
                    seen.append(value)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BotKnowledge:
        probe = Probe(**data["probe"]) if data.get("probe") else None
        readers = [ReaderVersion(**r) for r in data.get("readers", [])]
        return cls(bot=data["bot"], probe=probe, readers=readers, names=list(data.get("names", [])),
                   meanings=dict(data.get("meanings", {})), ladders=dict(data.get("ladders", {})),
                   unreadable=str(data.get("unreadable", "")))


class KnowledgeStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, bot: str) -> Path:
        return self.folder / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', bot)[:80] or 'bot'}.json"

    def load(self, bot: str) -> BotKnowledge:
        path = self.path(bot)
        if not path.is_file():
            return BotKnowledge(bot)
        try:
            return BotKnowledge.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring unreadable knowledge of %s in %s: %s", bot, path, exc)
            return BotKnowledge(bot)

    def save(self, knowledge: BotKnowledge) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.path(knowledge.bot)
        # Written whole and renamed: a run killed mid-write leaves the previous version, not half a file.
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(knowledge.to_dict(), out, ensure_ascii=False, indent=1)
        os.replace(temporary, path)
