"""The checkpoint database over long runs: bounded by pruning, readable by a second process.

LangGraph's SQLite saver keeps every checkpoint of every node forever; a run of
days would grow without bound. Only the newest checkpoints of a thread are
needed to resume; older ones serve Studio's time travel. The policy keeps the
newest ``keep`` checkpoints per thread (and their pending writes) and deletes
the rest; SQLite reuses the freed pages, so the file stops growing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

DEFAULT_KEEP = 100


def prune_checkpoints(db_path: Path, thread_id: str, keep: int = DEFAULT_KEEP) -> int:
    """Delete all but the newest ``keep`` checkpoints of ``thread_id``; returns how many went."""
    db = _connect(db_path)
    try:
        rows = db.execute(
            "select checkpoint_id from checkpoints where thread_id = ? order by checkpoint_id desc limit -1 offset ?",
            (thread_id, keep),
        ).fetchall()
        old = [r[0] for r in rows]
        for chunk in _chunks(old, 500):
            marks = ",".join("?" * len(chunk))
            db.execute(f"delete from writes where thread_id = ? and checkpoint_id in ({marks})", (thread_id, *chunk))
            db.execute(f"delete from checkpoints where thread_id = ? and checkpoint_id in ({marks})",
                       (thread_id, *chunk))
        db.commit()
        return len(old)
    finally:
        db.close()


@dataclass(frozen=True)
class ThreadSummary:
    thread_id: str
    checkpoints: int
    latest_checkpoint: str


def list_threads(db_path: Path) -> list[ThreadSummary]:
    """Threads in the database, read through a read-only connection (safe while a run writes)."""
    if not db_path.is_file():
        return []
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        rows = db.execute(
            "select thread_id, count(*), max(checkpoint_id) from checkpoints group by thread_id order by 3 desc"
        ).fetchall()
    finally:
        db.close()
    return [ThreadSummary(*row) for row in rows]


async def configure_saver_connection(conn) -> None:
    """WAL lets Studio or `neuronaut status` read while a run writes; synchronous=FULL makes every
    checkpoint commit survive a power cut, not just a killed process. Cost: one fsync per checkpoint,
    milliseconds against a step of seconds."""
    await conn.execute("pragma journal_mode=wal")
    await conn.execute("pragma synchronous=full")
    await conn.execute("pragma busy_timeout=30000")


def _connect(db_path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(db_path, timeout=30)
    db.execute("pragma busy_timeout = 30000")
    return db


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
