"""A ledger of side-effecting tool calls, so a resumed run never repeats one.

LangGraph re-runs a node whose checkpoint was not written: after a kill -9 in
``act``, the call's effect may already have happened. Each side-effecting call
is recorded as *started* before it is sent and *done* with its outcome after,
keyed by (thread, step, call index). On a re-run:

- done  → the recorded outcome is returned; the call is not sent again;
- started but never done → the call may or may not have reached the world:
  it is not repeated blindly, and the model is told to look before acting.

Read-only tools are not recorded: repeating them is harmless.

Retention: a re-run only ever looks up the calls of the step it re-runs, the
newest of its thread. ``prune`` keeps a thread's last N steps (far more than a
resume needs, so audits and Studio's recent history still find them) and drops
older ones, so a run of days keeps the ledger bounded; SQLite reuses the pages.
Once a run has ended, ``compact`` also drops the outcomes of its older steps,
so the many short threads of an exploration cost a few hundred bytes per call.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neuronaut.storage import use_wal
from neuronaut.tools.types import ToolOutcome

_SCHEMA = """
create table if not exists tool_calls (
    thread_id text not null,
    step integer not null,
    call_index integer not null,
    tool text not null,
    args text not null,
    status text not null check (status in ('started', 'done')),
    outcome text,
    started_at real not null,
    finished_at real,
    primary key (thread_id, step, call_index)
)
"""

COMPACTED = "this action was already done earlier in the run (its result is no longer kept)"
INTERRUPTED = ("the previous attempt at this action was interrupted (the agent stopped mid-call), so it may or "
               "may not have happened; it was not repeated — look at the current state before acting again")


@dataclass(frozen=True)
class CallKey:
    thread_id: str
    step: int
    call_index: int


class ToolLedger:
    def __init__(self, path: Path) -> None:
        self.path = path
        # WAL: a reader (Studio, `neuronaut status`) never blocks the writer; synchronous=FULL
        # because a lost 'started' row is exactly the double press this ledger exists to prevent.
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        use_wal(self._db)
        self._db.execute("pragma synchronous=full")
        self._db.execute(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def previous(self, key: CallKey, tool: str, args: dict[str, Any]) -> ToolOutcome | None:
        """What an earlier attempt of this very call left behind, if anything."""
        row = self._db.execute(
            "select tool, args, status, outcome from tool_calls where thread_id=? and step=? and call_index=?",
            (key.thread_id, key.step, key.call_index),
        ).fetchone()
        if row is None or row[0] != tool or row[1] != _canonical(args):
            return None  # a different call: the model decided differently on the re-run
        if row[2] == "done" and row[3] is None:  # compacted: the run had ended and this step was behind it
            return ToolOutcome(tool=tool, args=args, ok=True, text=COMPACTED, extra={"replayed_from_ledger": True})
        if row[2] == "done":
            outcome = ToolOutcome(**json.loads(row[3]))
            outcome.extra["replayed_from_ledger"] = True
            return outcome
        return ToolOutcome.failure(tool, args, INTERRUPTED)

    def started(self, key: CallKey, tool: str, args: dict[str, Any]) -> None:
        self._db.execute(
            "insert or replace into tool_calls (thread_id, step, call_index, tool, args, status, started_at) "
            "values (?, ?, ?, ?, ?, 'started', ?)",
            (key.thread_id, key.step, key.call_index, tool, _canonical(args), time.time()),
        )

    def done(self, key: CallKey, outcome: ToolOutcome) -> None:
        self._db.execute(
            "update tool_calls set status='done', outcome=?, finished_at=? "
            "where thread_id=? and step=? and call_index=?",
            (json.dumps(outcome.to_dict(), ensure_ascii=False), time.time(), key.thread_id, key.step, key.call_index),
        )

    def prune(self, thread_id: str, keep_steps: int) -> int:
        """Drop the calls of ``thread_id`` older than its newest ``keep_steps`` steps; returns how many went."""
        cursor = self._db.execute(
            "delete from tool_calls where thread_id=? and step <= "
            "(select max(step) from tool_calls where thread_id=?) - ?",
            (thread_id, thread_id, keep_steps),
        )
        return cursor.rowcount

    def compact(self, thread_id: str) -> int:
        """Drop the recorded outcomes of an ended thread's steps before its last (the bulk of each row: a chat
        screen, a build log); which calls were made, with what arguments, and whether they finished stays, for
        audits. Returns how many rows were compacted."""
        cursor = self._db.execute(
            "update tool_calls set outcome=null where thread_id=? and outcome is not null and step < "
            "(select max(step) from tool_calls where thread_id=?)",
            (thread_id, thread_id),
        )
        return cursor.rowcount

    def count(self, thread_id: str | None = None, status: str | None = None) -> int:
        query, params = "select count(*) from tool_calls where 1=1", []
        if thread_id is not None:
            query, params = query + " and thread_id=?", [*params, thread_id]
        if status is not None:
            query, params = query + " and status=?", [*params, status]
        return self._db.execute(query, params).fetchone()[0]


def _canonical(args: dict[str, Any]) -> str:
    return json.dumps(args, sort_keys=True, ensure_ascii=False)
