"""What this OS lets us use to isolate a child process, detected once per server.

What rlimits cannot do is handled here:

* **No network, no view of other processes.** On Linux a child started
  under ``unshare --user --map-root-user --net --pid --fork --mount-proc
  --kill-child`` gets an empty network namespace (not even a working
  loopback) and its own PID namespace with its own /proc: it cannot see,
  signal or read the environment of the server, the agent or anything else
  running as the same user, and when unshare is killed the whole namespace
  dies with it. The user namespace also means the child holds no
  capabilities in the host namespace, so it cannot raise its rlimits back.
  Weaker fallbacks are tried in order (network only, then root's plain
  ``unshare --net``). Elsewhere (macOS has no namespaces) the network stays
  reachable, and every result says so in its ``sandbox`` field.
* **Nothing readable outside the workspace but what programs need, and
  nothing writable.** In the PID namespace the first process is ``pid1.py``,
  which covers every directory not listed by ``visibility`` with an empty
  tmpfs, remounts everything but the workspace read-only and drops every
  capability before starting the program (see its docstring). Probed once:
  where hiding is not permitted, runs fall back to read-only only; where
  remounting is not permitted either, to neither; either way they say so.
  Without namespaces (macOS) the program can read and write whatever the
  server's user can.
* **A process cap that holds for root.** The kernel skips RLIMIT_NPROC for
  uid 0 (also inside a user namespace mapped to root), so as root a fork bomb
  is stopped with a pids cgroup: a fresh cgroup per run with ``pids.max``,
  which the child joins before ``exec``. Without a writable pids cgroup,
  non-root runs fall back to RLIMIT_NPROC.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from neuronaut.servers.code.visibility import readable_paths

log = logging.getLogger(__name__)

CGROUP_V1_PIDS = Path("/sys/fs/cgroup/pids")
CGROUP_V2_ROOT = Path("/sys/fs/cgroup")
CGROUP_GROUP_NAME = "neuronaut-sandbox"
PROBE_TIMEOUT_S = 10
PID1_SCRIPT = Path(__file__).with_name("pid1.py")
KILL_ROUNDS = 500
KILL_ROUND_PAUSE_S = 0.01


@dataclass(frozen=True)
class Isolation:
    namespace_prefix: tuple[str, ...]  # argv prefix that starts the child in new namespaces
    pids_parent: Path | None  # a cgroup directory under which per-run pids cgroups are made
    notes: tuple[str, ...]
    read_only_outside_workspace: bool = False  # pid1.py can lock the filesystem here
    hidden_outside_workspace: bool = False  # pid1.py can also hide all but readable_paths
    readable_paths: tuple[str, ...] = ()  # what stays visible outside the workspace when hidden

    @property
    def network_isolated(self) -> bool:
        return "--net" in self.namespace_prefix

    @property
    def processes_hidden(self) -> bool:
        return "--pid" in self.namespace_prefix


USER = ("--user", "--map-root-user")
PID = ("--pid", "--fork", "--mount-proc", "--kill-child")
# Strongest first; the first that runs `true` here is used.
NAMESPACE_OPTIONS = ((*USER, "--net", *PID), (*USER, "--net"), ("--net", *PID), ("--net",))


@functools.cache
def detect_isolation() -> Isolation:
    notes: list[str] = []
    prefix = _namespace_prefix(notes)
    pids_parent = _pids_parent(notes)
    readable = readable_paths(shutil.which("swift"))
    hidden, locked = _filesystem_confinement(prefix, readable, notes)
    isolation = Isolation(
        namespace_prefix=prefix,
        pids_parent=pids_parent,
        notes=tuple(notes),
        read_only_outside_workspace=locked,
        hidden_outside_workspace=hidden,
        readable_paths=readable if hidden else (),
    )
    log.info("code sandbox: %s; pids cgroup under %s", " ".join(prefix) or "no namespaces", pids_parent)
    return isolation


def _namespace_prefix(notes: list[str]) -> tuple[str, ...]:
    if not sys.platform.startswith("linux"):
        notes.append(f"network NOT isolated: {sys.platform} has no network namespaces")
        log.warning("code sandbox: network is not isolated on %s", sys.platform)
        return ()
    unshare = shutil.which("unshare")
    for options in NAMESPACE_OPTIONS if unshare else ():
        candidate = (unshare, *options, "--")
        if _runs(candidate):
            if "--pid" not in options:
                notes.append("other processes are visible: no PID namespace")
            return candidate
    notes.append("network NOT isolated: unshare is missing or namespaces are not permitted")
    log.warning("code sandbox: cannot create a network namespace; the network stays reachable")
    return ()


def _runs(prefix: tuple[str, ...], *, program: tuple[str, ...] = ("true",), **options) -> bool:
    try:
        done = subprocess.run([*prefix, *program], capture_output=True, timeout=PROBE_TIMEOUT_S, check=False, **options)
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("probe %s failed: %s", prefix, exc)
        return False
    if done.returncode != 0:
        log.debug("probe %s failed: %s", prefix, done.stderr.decode(errors="replace").strip())
    return done.returncode == 0


def _filesystem_confinement(prefix: tuple[str, ...], readable: tuple[str, ...], notes: list[str]) -> tuple[bool, bool]:
    """(hidden, read-only): what pid1.py can do here to the files outside the workspace, strongest first."""
    if "--pid" not in prefix:
        notes.append("files outside the workspace are readable and writable: no mount namespace here")
        return False, False
    if _init_works(prefix, "\n".join(readable)):
        return True, True
    if _init_works(prefix, "-"):
        notes.append("files outside the workspace stay readable (read-only): hiding them is not permitted here")
        log.warning("code sandbox: cannot hide the filesystem; programs may read outside the workspace")
        return False, True
    notes.append("filesystem NOT read-only outside the workspace: remounting is not permitted here")
    log.warning("code sandbox: cannot lock the filesystem; programs may read and write outside the workspace")
    return False, False


def _init_works(prefix: tuple[str, ...], readable: str) -> bool:
    # The probe starts run_python's interpreter, with its site-packages: if hiding left out
    # something it needs, runs fall back to read-only rather than break.
    python = (sys.executable, "-I", "-c", "pass")
    read_end, write_end = os.pipe()
    try:
        with tempfile.TemporaryDirectory(prefix="neuronaut-probe-") as writable:
            argv = (*prefix, *_init_argv(write_end, writable, readable))
            # Started inside the workspace, as every run is: the server's own directory may be hidden.
            return _runs(argv, program=python, pass_fds=(write_end,), cwd=writable)
    finally:
        os.close(read_end)
        os.close(write_end)


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


def launch_argv(isolation: Isolation, argv: Sequence[str], status_fd: int | None, writable: Path) -> list[str]:
    """The full command line for ``argv``: namespaces, and in a PID namespace our init first."""
    if status_fd is None:
        return [*isolation.namespace_prefix, *argv]
    locked_dir = str(writable) if isolation.read_only_outside_workspace else "-"
    readable = "\n".join(isolation.readable_paths) if isolation.hidden_outside_workspace else "-"
    return [*isolation.namespace_prefix, *_init_argv(status_fd, locked_dir, readable), *argv]


def _init_argv(status_fd: int, writable: str, readable: str) -> list[str]:
    return [sys.executable, "-I", "-S", str(PID1_SCRIPT), str(status_fd), writable, readable]


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
