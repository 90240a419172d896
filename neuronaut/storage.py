"""The checkpoint database over long runs: bounded by pruning, readable by a second process.

LangGraph's SQLite saver keeps every checkpoint of every node forever; a run of
days would grow without bound. Only the newest checkpoints of a thread are
needed to resume; older ones serve Studio's time travel. The policy keeps the
newest ``keep`` checkpoints per thread (and their pending writes) and deletes
the rest; SQLite reuses the freed pages, so the file stops growing.
"""

from __future__ import annotations

import asyncio
import errno
import resource
import shutil
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_KEEP = 100


def prune_checkpoints(db_path: Path, thread_id: str, keep: int = DEFAULT_KEEP) -> int:
    """Delete all but the newest ``keep`` checkpoints of ``thread_id``; returns how many went.

    A graph checkpointed elsewhere (``langgraph dev`` keeps its own store) leaves nothing here to prune."""
    if not db_path.exists():
        return 0
    db = _connect(db_path)
    try:
        if not db.execute("select 1 from sqlite_master where type = 'table' and name = 'checkpoints'").fetchone():
            return 0
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


# Switching a database to WAL needs it to itself for a moment. Agents that start at once on one home
# (a shared skill library) collide there, and SQLite answers "database is locked" at once instead of
# waiting (seen in 5 of 40 trials of four processes opening a new ledger together): so wait and retry.
_WAL_RETRY_DELAYS_S = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, None)  # None: give up, raise
_WAL = "pragma journal_mode=wal"


def use_wal(db: sqlite3.Connection) -> None:
    for delay in _WAL_RETRY_DELAYS_S:
        try:
            db.execute(_WAL)
            return
        except sqlite3.OperationalError as exc:
            time.sleep(_wal_retry_after(exc, delay))


async def ause_wal(conn) -> None:
    """``use_wal`` for an aiosqlite connection."""
    for delay in _WAL_RETRY_DELAYS_S:
        try:
            await conn.execute(_WAL)
            return
        except sqlite3.OperationalError as exc:
            await asyncio.sleep(_wal_retry_after(exc, delay))


def _wal_retry_after(exc: sqlite3.OperationalError, delay: float | None) -> float:
    if delay is None or "locked" not in str(exc):
        raise exc
    return delay


async def configure_saver_connection(conn) -> None:
    """WAL lets Studio or `neuronaut status` read while a run writes; synchronous=FULL makes every
    checkpoint commit survive a power cut, not just a killed process. Cost: one fsync per checkpoint,
    milliseconds against a step of seconds."""
    await ause_wal(conn)
    await conn.execute("pragma synchronous=full")
    await conn.execute("pragma busy_timeout=30000")


LOW_SPACE_BYTES = 1 << 20  # less than this left: a write that failed most likely failed for lack of room
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
_FULL_PHRASES = ("no space left", "disk is full", "quota exceeded")  # OSError, SQLite, Chroma's Rust core
_LIMIT_PHRASES = ("file too large",)
_IO_PHRASES = ("disk i/o error",)  # SQLite's word for a failed write(), EFBIG included


def storage_failure(exc: BaseException, home: Path, folders: Iterable[Path]) -> str | None:
    """What ran out and what to do, if ``exc`` is a write that failed for lack of room; else None.

    Libraries word this differently: OSError has ENOSPC or EFBIG (past ``ulimit -f``), SQLite says "database or
    disk is full" or, for EFBIG, "disk I/O error", and Chroma wraps its own ("Error in compaction ..."). The
    wording is tried first; a storage library's error while a data folder has almost no room left counts too.
    """
    chain = list(_causes(exc))
    texts = [str(e).lower() for e in chain]
    free = sorted((_free_bytes(Path(f)), str(f)) for f in folders)
    full = [Path(f) for room, f in free if room < LOW_SPACE_BYTES]  # the fullest first
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    limited = limit != resource.RLIM_INFINITY
    room = "free some space"
    errnos = {getattr(e, "errno", None) for e in chain}

    def says(phrases: tuple[str, ...]) -> bool:
        return any(phrase in text for text in texts for phrase in phrases)

    if errnos & _FULL_ERRNOS or says(_FULL_PHRASES):
        return f"the disk holding {full[0] if full else home} is full; {room}"
    if errno.EFBIG in errnos or says(_LIMIT_PHRASES):
        size = f" of {limit} bytes" if limited else ""
        return f"a file under {home} reached the file-size limit{size}; raise it (ulimit -f) or {room}"
    if full and any(_from_storage(e) for e in chain):
        return f"the disk holding {full[0]} is full; {room}"
    if says(_IO_PHRASES):
        if limited:
            return (f"writing under {home} failed (disk I/O error), most likely at the file-size limit of {limit} "
                    f"bytes; raise it (ulimit -f) or {room}")
        return f"writing under {home} failed (disk I/O error: the disk may be full or failing); {room}"
    return None


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo = [exc]
    while todo and len(seen) < 50:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [e for e in (current.__cause__, current.__context__) if e is not None]
        if isinstance(current, BaseExceptionGroup):
            todo += list(current.exceptions)


def _from_storage(exc: BaseException) -> bool:
    module = type(exc).__module__ or ""
    return isinstance(exc, OSError | sqlite3.Error) or module.split(".")[0] in ("chromadb", "aiosqlite")


def _free_bytes(folder: Path) -> int:
    for candidate in (folder, *folder.parents):
        try:
            return shutil.disk_usage(candidate).free
        except OSError:
            continue
    return LOW_SPACE_BYTES  # unknown: do not claim a full disk


def _connect(db_path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(db_path, timeout=30)
    db.execute("pragma busy_timeout = 30000")
    return db


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
