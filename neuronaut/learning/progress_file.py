"""``PROGRESS.md``: what an exploration has done so far, for people and for the next session.

The goals table is the record: a new session reads completed and failed goals
back from it, so a person may edit it (delete a row to let a goal be tried
again). What does not fit a table, the goal in flight and the world's last known
progress, sits in one HTML comment at the end, invisible when rendered::

    | # | Goal | Status | Steps | LLM calls | Skills learned | Thread | Finished |
    |---|------|--------|-------|-----------|----------------|--------|----------|
    | 1 | reach level 2 | achieved | 14 | 14 | reach-level-2 | explore-<world>-… | 2025-…Z |

    <!-- neuronaut-progress {"unfinished": {...}, "progress": {...}} -->

Every write replaces the whole file atomically (temp file, fsync, rename), so a
crash or Ctrl-C leaves the previous or the next version, never half of one.
One explorer writes a given file at a time.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from neuronaut.fs import atomic_write_text

log = logging.getLogger(__name__)

FILE_NAME = "PROGRESS.md"
ACHIEVED = "achieved"
FAILED_STATUSES = frozenset({"failed", "budget_exhausted"})
_MARKER = "neuronaut-progress"
_STATE = re.compile(r"<!--\s*" + _MARKER + r"\s+(?P<json>\{.*\})\s*-->", re.S)
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_COLUMNS = ("#", "Goal", "Status", "Steps", "LLM calls", "Skills learned", "Thread", "Finished")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass
class GoalEntry:
    goal: str
    status: str
    steps: int = 0
    llm_calls: int = 0
    skills_learned: list[str] = field(default_factory=list)
    thread_id: str = ""
    finished: str = ""


@dataclass
class Unfinished:
    """A goal whose run started and has not finished: the next session resumes its thread."""

    goal: str
    thread_id: str
    world_options: dict[str, Any] = field(default_factory=dict)
    started: str = ""


@dataclass
class ProgressSummary:
    world: str = ""
    entries: list[GoalEntry] = field(default_factory=list)
    unfinished: Unfinished | None = None
    progress: dict[str, Any] = field(default_factory=dict)
    updated: str = ""

    @property
    def completed(self) -> list[str]:
        return list(dict.fromkeys(e.goal for e in self.entries if e.status == ACHIEVED))

    @property
    def failed(self) -> list[str]:
        """One item per failed attempt, so a curriculum can count repeats."""
        return [e.goal for e in self.entries if e.status in FAILED_STATUSES]

    @property
    def skills_learned(self) -> list[str]:
        return list(dict.fromkeys(s for e in self.entries for s in e.skills_learned))

    @property
    def steps(self) -> int:
        return sum(e.steps for e in self.entries)

    @property
    def llm_calls(self) -> int:
        return sum(e.llm_calls for e in self.entries)


class ProgressFile:
    """``PROGRESS.md`` at ``path`` (a file, or a run directory that holds one)."""

    def __init__(self, path: str | Path, *, world: str = "", clock: Callable[[], str] = now_iso) -> None:
        path = Path(path)
        self.path = path / FILE_NAME if path.is_dir() or not path.suffix else path
        self.world = world
        self._clock = clock

    def read(self) -> ProgressSummary:
        """What the file says; a missing file is an empty summary."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ProgressSummary(world=self.world)
        return parse(text, default_world=self.world)

    def start_goal(self, goal: str, thread_id: str, world_options: dict[str, Any] | None = None) -> None:
        """Remember a goal before its run starts, so a crash or Ctrl-C mid-run leaves it resumable."""
        summary = self.read()
        summary.unfinished = Unfinished(goal, thread_id, dict(world_options or {}), self._clock())
        self._write(summary)

    def record_goal(self, goal: str, status: str, steps: int, llm_calls: int, skills_learned: Iterable[str] = (),
                    *, thread_id: str = "", progress: dict[str, Any] | None = None) -> None:
        """Add a finished attempt; an ``interrupted`` one stays unfinished (resumable) instead."""
        summary = self.read()
        if progress:
            summary.progress = dict(progress)
        if status == "interrupted":
            if thread_id:
                previous = summary.unfinished
                options = previous.world_options if previous and previous.thread_id == thread_id else {}
                summary.unfinished = Unfinished(goal, thread_id, options, self._clock())
        else:
            summary.entries.append(GoalEntry(goal, status, int(steps), int(llm_calls), list(skills_learned),
                                             thread_id, self._clock()))
            if summary.unfinished and summary.unfinished.thread_id in (thread_id, ""):
                summary.unfinished = None
        self._write(summary)

    def clear_unfinished(self) -> None:
        summary = self.read()
        if summary.unfinished is not None:
            summary.unfinished = None
            self._write(summary)

    def _write(self, summary: ProgressSummary) -> None:
        summary.world = summary.world or self.world
        summary.updated = self._clock()
        atomic_write_text(self.path, render(summary))


def render(summary: ProgressSummary) -> str:
    done, failed = len(summary.completed), len(summary.failed)
    lines = [
        f"# NeuroNaut progress{f' — {summary.world}' if summary.world else ''}",
        "",
        f"- Last update: {summary.updated}",
        f"- Goals: {done} achieved, {failed} failed · {summary.steps} steps · {summary.llm_calls} LLM calls",
    ]
    if summary.progress:
        lines.append("- Progress: " + ", ".join(f"{k} {_flat(v)}" for k, v in summary.progress.items()))
    if summary.unfinished:
        u = summary.unfinished
        lines.append(f"- Unfinished: {u.goal} (thread `{u.thread_id}`; the next session resumes it)")
    lines += ["", "## Goals", "", _row(_COLUMNS), _row(["---"] * len(_COLUMNS))]
    for number, e in enumerate(summary.entries, start=1):
        lines.append(_row([str(number), e.goal, e.status, str(e.steps), str(e.llm_calls),
                           ", ".join(e.skills_learned), e.thread_id, e.finished]))
    lines += ["", "## Skills learned", ""]
    lines += [f"- {name}" for name in summary.skills_learned] or ["- none yet"]
    state = {"world": summary.world, "unfinished": asdict(summary.unfinished) if summary.unfinished else None,
             "progress": summary.progress}
    # "--" would end the comment early; JSON never needs it outside strings, and \u002d keeps strings valid.
    blob = json.dumps(state, ensure_ascii=False, sort_keys=True).replace("--", "-\\u002d")
    lines += ["", f"<!-- {_MARKER} {blob} -->", ""]
    return "\n".join(lines)


def parse(text: str, *, default_world: str = "") -> ProgressSummary:
    summary = ProgressSummary(world=default_world)
    match = _STATE.search(text)
    if match:
        try:
            state = json.loads(match["json"])
            summary.world = state.get("world") or default_world
            summary.progress = dict(state.get("progress") or {})
            if state.get("unfinished"):
                summary.unfinished = Unfinished(**state["unfinished"])
        except (ValueError, TypeError) as exc:
            log.warning("ignoring the unreadable state comment in PROGRESS.md: %s", exc)
    summary.entries = [entry for line in _goal_table(text) if (entry := _entry(line)) is not None]
    updated = re.search(r"^- Last update: (?P<at>\S+)", text, re.M)
    summary.updated = updated["at"] if updated else ""
    return summary


def _goal_table(text: str) -> list[str]:
    section = text.split("## Goals", 1)[1] if "## Goals" in text else ""
    section = section.split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.strip().startswith("|")]


def _entry(line: str) -> GoalEntry | None:
    cells = [_unescape(c.strip()) for c in _CELL_SPLIT.split(line.strip().strip("|"))]
    if len(cells) < 3 or not cells[0].isdigit():
        return None  # the header, the separator, or a row a person mangled
    cells += [""] * (len(_COLUMNS) - len(cells))
    skills = [s.strip() for s in cells[5].split(",") if s.strip()]
    return GoalEntry(goal=cells[1], status=cells[2], steps=_int(cells[3]), llm_calls=_int(cells[4]),
                     skills_learned=skills, thread_id=cells[6], finished=cells[7])


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(_escape(c) for c in cells) + " |"


def _escape(cell: str) -> str:
    return " ".join(str(cell).split()).replace("|", "\\|")


def _unescape(cell: str) -> str:
    return cell.replace("\\|", "|")


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


def _flat(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)

