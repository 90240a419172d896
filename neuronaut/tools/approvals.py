"""Tools a person allowed for good ("always allow"), remembered per server in a small JSON file.

The next run then calls them without asking. The file is keyed by server and tool name, so the same tool
name on another server still asks.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

ALWAYS_ANSWERS = frozenset({"always", "a", "always allow"})


class AllowList:
    def __init__(self, path: Path) -> None:
        self.path = path

    def allows(self, server: str, tool: str) -> bool:
        return tool in self._read().get(server, [])

    def allow(self, server: str, tool: str) -> None:
        allowed = self._read()
        tools = allowed.setdefault(server, [])
        if tool in tools:
            return
        tools.append(tool)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole and renamed: a crash mid-write leaves the old list, never half a file.
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".allowed-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(allowed, file, indent=1, sort_keys=True)
        os.replace(temporary, self.path)

    def _read(self) -> dict[str, list[str]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("ignoring the unreadable allow list %s: %s", self.path, exc)
            return {}
        return {str(k): [str(t) for t in v] for k, v in data.items() if isinstance(v, list)}


def is_always(answer: object) -> bool:
    """Whether an approval answer allows the tool for good (``"always"``, or ``{"always": true}``)."""
    if isinstance(answer, dict):
        return answer.get("always") is True
    return str(answer).strip().lower() in ALWAYS_ANSWERS
