"""Several agents opening one new home at once: switching its databases to WAL waits its turn."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from neuronaut import storage
from neuronaut.storage import ause_wal, use_wal
from neuronaut.tools.ledger import ToolLedger


class BusyAtFirst:
    """A connection another process holds for the first ``busy`` attempts (or fails with ``error``)."""

    def __init__(self, busy: int, error: str = "database is locked") -> None:
        self.busy, self.error, self.attempts = busy, error, 0

    def execute(self, sql: str) -> None:
        self.attempts += 1
        if self.attempts <= self.busy:
            raise sqlite3.OperationalError(self.error)


class AsyncBusyAtFirst(BusyAtFirst):
    async def execute(self, sql: str) -> None:  # type: ignore[override]
        super().execute(sql)


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "_WAL_RETRY_DELAYS_S", (0.0, 0.0, 0.0, None))


def test_a_locked_database_is_tried_again_until_it_is_free() -> None:
    db = BusyAtFirst(busy=3)
    use_wal(db)  # type: ignore[arg-type]
    assert db.attempts == 4


async def test_the_checkpointer_connection_waits_the_same_way() -> None:
    conn = AsyncBusyAtFirst(busy=2)
    await ause_wal(conn)
    assert conn.attempts == 3


def test_a_database_locked_for_too_long_is_an_error() -> None:
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        use_wal(BusyAtFirst(busy=4))  # type: ignore[arg-type]


def test_other_failures_are_not_retried() -> None:
    db = BusyAtFirst(busy=1, error="disk I/O error")
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        use_wal(db)  # type: ignore[arg-type]
    assert db.attempts == 1


def _open_ledger(path: str, go) -> str:
    go.wait()
    ToolLedger(Path(path)).close()
    return "opened"


@pytest.mark.slow
def test_four_processes_opening_one_new_ledger_together_all_succeed(tmp_path: Path) -> None:
    # Without the retry, 5 trials in 40 had a process fail with "database is locked".
    spawn = multiprocessing.get_context("spawn")
    with spawn.Manager() as manager, ProcessPoolExecutor(4, mp_context=spawn) as pool:
        for trial in range(20):
            go = manager.Event()  # all four open the new ledger at the same moment
            path = str(tmp_path / f"ledger-{trial}.db")
            opened = [pool.submit(_open_ledger, path, go) for _ in range(4)]
            time.sleep(0.2)
            go.set()
            assert [future.result() for future in opened] == ["opened"] * 4, trial
