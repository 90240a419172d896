"""What this OS lets us use to isolate a child process, detected once per server.

Two things rlimits cannot do are handled here:

* **No network.** On Linux a child started under ``unshare --user
  --map-root-user --net`` gets its own empty network namespace (not even a
  working loopback). The user namespace also means the child holds no
  capabilities in the host namespace, so it cannot raise its rlimits back.
  Where user namespaces are off but we are root, ``unshare --net`` alone still
  cuts the network. Elsewhere (macOS has no namespaces) the network stays
  reachable, and every result says so in its ``sandbox`` field.
* **A process cap that holds for root.** The kernel skips RLIMIT_NPROC for
  uid 0 (also inside a user namespace mapped to root), so as root a fork bomb
  is stopped with a pids cgroup: a fresh cgroup per run with ``pids.max``,
  which the child joins before ``exec``. Without a writable pids cgroup,
  non-root runs fall back to RLIMIT_NPROC.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

CGROUP_V1_PIDS = Path("/sys/fs/cgroup/pids")
CGROUP_V2_ROOT = Path("/sys/fs/cgroup")
CGROUP_GROUP_NAME = "neuronaut-sandbox"
PROBE_TIMEOUT_S = 10


@dataclass(frozen=True)
class Isolation:
    network_prefix: tuple[str, ...]  # argv prefix that puts the child in a network namespace
    pids_parent: Path | None  # a cgroup directory under which per-run pids cgroups are made
    notes: tuple[str, ...]

    @property
    def network_isolated(self) -> bool:
        return bool(self.network_prefix)


@functools.cache
def detect_isolation() -> Isolation:
    notes: list[str] = []
    prefix = _network_prefix(notes)
    pids_parent = _pids_parent(notes)
    return Isolation(network_prefix=prefix, pids_parent=pids_parent, notes=tuple(notes))


def _network_prefix(notes: list[str]) -> tuple[str, ...]:
    if not sys.platform.startswith("linux"):
        notes.append(f"network NOT isolated: {sys.platform} has no network namespaces")
        log.warning("code sandbox: network is not isolated on %s", sys.platform)
        return ()
    unshare = shutil.which("unshare")
    candidates = [(unshare, "--user", "--map-root-user", "--net", "--"), (unshare, "--net", "--")] if unshare else []
    for candidate in candidates:
        if _runs(candidate):
            return candidate  # type: ignore[return-value]
    notes.append("network NOT isolated: unshare is missing or network namespaces are not permitted")
    log.warning("code sandbox: cannot create a network namespace; the network stays reachable")
    return ()


def _runs(prefix: tuple[str | None, ...]) -> bool:
    try:
        done = subprocess.run([*prefix, "true"], capture_output=True, timeout=PROBE_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("probe %s failed: %s", prefix, exc)
        return False
    return done.returncode == 0


def _pids_parent(notes: list[str]) -> Path | None:
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

    def kill_all(self) -> None:
        """SIGKILL every member until none is left (members forking meanwhile are caught next round)."""
        for _ in range(100):
            members = self._members()
            if not members:
                return
            for pid in members:
                _kill_quietly(pid)

    def remove(self) -> None:
        self.kill_all()
        _rmdir_quietly(self.path)

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


def system_task_count() -> int:
    """Every task (thread) on the system: an upper bound for one user's count, for RLIMIT_NPROC."""
    proc = Path("/proc")
    if not proc.is_dir():
        return 0
    total = 0
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                total += len(os.listdir(entry / "task"))
            except OSError:
                continue  # the process ended while we counted
    return total
