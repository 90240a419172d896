"""Capping a run's process count with a pids cgroup, and the RLIMIT_NPROC fallback's task count.

The kernel skips RLIMIT_NPROC for uid 0 (also inside a user namespace mapped
to root), so a fork bomb started as root is stopped with a pids cgroup: a
fresh cgroup per run with ``pids.max``, which the child joins before
``exec``. See ``isolation`` for when each is used.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from pathlib import Path

log = logging.getLogger(__name__)

CGROUP_V1_PIDS = Path("/sys/fs/cgroup/pids")
CGROUP_V2_ROOT = Path("/sys/fs/cgroup")
CGROUP_GROUP_NAME = "neuronaut-sandbox"
KILL_ROUNDS = 500
KILL_ROUND_PAUSE_S = 0.01


def find_pids_parent(notes: list[str]) -> Path | None:
    for parent in _pids_candidates():
        probe = parent / f"{CGROUP_GROUP_NAME}-probe-{os.getpid()}"
        try:
            probe.mkdir(exist_ok=True)
            (probe / "pids.max").write_text("8")
            probe.rmdir()
            return parent
        except OSError as exc:
            log.debug("pids cgroup under %s unusable: %s", parent, exc)
            _rmdir_quietly(probe)
    if os.geteuid() == 0:
        notes.append("process count NOT capped: running as root (RLIMIT_NPROC does not apply) and no pids cgroup")
        log.warning("code sandbox: root without a writable pids cgroup: fork bombs are only stopped by the timeout")
    return None


def _pids_candidates() -> list[Path]:
    candidates = []
    if (CGROUP_V1_PIDS / "cgroup.procs").exists():
        candidates.append(CGROUP_V1_PIDS)
    controllers = CGROUP_V2_ROOT / "cgroup.subtree_control"
    # cgroup v2: children of the root may hold processes only if pids is delegated there.
    if controllers.exists() and "pids" in controllers.read_text().split():
        candidates.append(CGROUP_V2_ROOT)
    return candidates


class PidsCgroup:
    """One run's pids cgroup: created with a cap, joined by the child, emptied and removed after."""

    def __init__(self, parent: Path, max_pids: int) -> None:
        self.path = parent / f"{CGROUP_GROUP_NAME}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.path.mkdir()
        (self.path / "pids.max").write_text(str(max_pids))

    @property
    def procs_file(self) -> str:
        return str(self.path / "cgroup.procs")

    async def kill_all(self) -> None:
        """SIGKILL every member until none is left; members forked meanwhile are caught next round.

        SIGKILL takes effect asynchronously, so the loop waits a little between
        rounds: when it returns, nothing of the run is still executing.
        """
        for _ in range(KILL_ROUNDS):
            if not self._kill_members():
                return
            await asyncio.sleep(KILL_ROUND_PAUSE_S)
        log.warning("cgroup %s still has members after %d kill rounds", self.path, KILL_ROUNDS)

    def remove(self) -> None:
        self._kill_members()  # normally empty by now; this covers a cancelled run
        _rmdir_quietly(self.path)

    def _kill_members(self) -> bool:
        members = self._members()
        for pid in members:
            _kill_quietly(pid)
        return bool(members)

    def peak(self) -> int | None:
        try:
            return int((self.path / "pids.peak").read_text())
        except (OSError, ValueError):
            return None

    def _members(self) -> list[int]:
        try:
            return [int(line) for line in Path(self.procs_file).read_text().split()]
        except OSError:
            return []


def _kill_quietly(pid: int) -> None:
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass


def _rmdir_quietly(path: Path) -> None:
    try:
        path.rmdir()
    except OSError as exc:  # a leftover empty cgroup costs nothing; not worth failing a run for
        log.debug("could not remove cgroup %s: %s", path, exc)


def join_cgroup_in_child(procs_file: str) -> None:
    """Move the calling process into a cgroup; runs between fork and exec, so only raw syscalls."""
    fd = os.open(procs_file, os.O_WRONLY)
    try:
        os.write(fd, b"0")
    finally:
        os.close(fd)


def system_task_count() -> int | None:
    """Every task (thread) on the system: an upper bound for one user's count, for RLIMIT_NPROC.

    None where there is no /proc to count with (macOS).
    """
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    total = 0
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                total += len(os.listdir(entry / "task"))
            except OSError:
                continue  # the process ended while we counted
    return total
