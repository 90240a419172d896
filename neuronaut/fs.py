"""Small file-system helpers shared by everything that keeps state in files.

``atomic_write_text`` replaces a file whole: a crash leaves the old or the new
version, never half of one. ``file_lock`` serialises read-modify-write cycles
across threads and processes on one machine (``fcntl.flock``), for state that
several agents share, such as the skill library.
"""

from __future__ import annotations

import fcntl
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

SLOW_LOCK_S = 5.0  # waiting longer than this for a lock is worth a log line


def atomic_write_text(path: Path, text: str) -> None:
    """Write via a temp file in the same folder, fsync, then ``os.replace`` over the old file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created when missing) for the ``with`` block.

    ``flock`` locks belong to an open file, so two threads of one process exclude
    each other as two processes do; the lock is released when the file is closed,
    including when the process dies. Not re-entrant: don't take the same lock twice.
    Lock files are left in place (deleting one would let two holders lock different files).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        started = time.monotonic()
        fcntl.flock(fd, fcntl.LOCK_EX)
        waited = time.monotonic() - started
        if waited > SLOW_LOCK_S:
            log.info("waited %.1fs for the lock %s", waited, path)
        yield
    finally:
        os.close(fd)  # closing releases the lock
