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
* **An unprivileged user.** When the server runs as root, the namespaces are
  made without a user namespace (a user namespace would map the program to
  host root, the owner of /etc/shadow) and pid1.py switches the program to
  ``SANDBOX_UID``/``SANDBOX_GID`` after emptying the capability bounding set
  and setting ``no_new_privs``: it owns nothing outside the workspace, holds
  no capabilities and cannot gain any through a setuid program. pid1.py
  hands the workspace to that user first. Probed once; where the switch does
  not work (or the server is not root, so it has no other user to switch
  to), programs run as the server's user, still without capabilities, and
  the notes say so.
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
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from neuronaut.servers.code.pids_cgroup import find_pids_parent
from neuronaut.servers.code.visibility import readable_paths

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 10
PID1_SCRIPT = Path(__file__).with_name("pid1.py")
SANDBOX_UID = SANDBOX_GID = 65534  # "nobody" on most systems: owns no file of the host


@dataclass(frozen=True)
class Isolation:
    namespace_prefix: tuple[str, ...]  # argv prefix that starts the child in new namespaces
    pids_parent: Path | None  # a cgroup directory under which per-run pids cgroups are made
    notes: tuple[str, ...]
    read_only_outside_workspace: bool = False  # pid1.py can lock the filesystem here
    hidden_outside_workspace: bool = False  # pid1.py can also hide all but readable_paths
    readable_paths: tuple[str, ...] = ()  # what stays visible outside the workspace when hidden
    run_as: tuple[int, int] | None = None  # (uid, gid) pid1.py switches programs to, when it can

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
    pids_parent = find_pids_parent(notes)
    readable = readable_paths(shutil.which("swift"))
    isolation = _as_unprivileged_user(readable, pids_parent, notes) or _as_own_user(readable, pids_parent, notes)
    log.info(
        "code sandbox: %s; pids cgroup under %s; programs run as %s",
        " ".join(isolation.namespace_prefix) or "no namespaces",
        pids_parent,
        f"uid {isolation.run_as[0]}" if isolation.run_as else "the server's user",
    )
    return isolation


def _as_unprivileged_user(readable: tuple[str, ...], pids_parent: Path | None, notes: list[str]) -> Isolation | None:
    """As root: namespaces without a user namespace, everything hidden and locked, programs as SANDBOX_UID."""
    unshare = shutil.which("unshare")
    if os.geteuid() != 0 or not sys.platform.startswith("linux") or not unshare:
        return None
    prefix = (unshare, "--net", *PID, "--")
    run_as = (SANDBOX_UID, SANDBOX_GID)
    # Only with everything hidden: the covers are what let the unprivileged user reach the workspace
    # and the interpreter when a directory above them (a home, a 0700 temporary directory) is closed to it.
    if not _runs(prefix) or not _init_works(prefix, "\n".join(readable), run_as):
        log.warning("code sandbox: cannot run programs as uid %d here; they run as root without capabilities",
                    SANDBOX_UID)
        return None
    return Isolation(
        namespace_prefix=prefix,
        pids_parent=pids_parent,
        notes=tuple(notes),
        read_only_outside_workspace=True,
        hidden_outside_workspace=True,
        readable_paths=readable,
        run_as=run_as,
    )


def _as_own_user(readable: tuple[str, ...], pids_parent: Path | None, notes: list[str]) -> Isolation:
    prefix = _namespace_prefix(notes)
    hidden, locked = _filesystem_confinement(prefix, readable, notes)
    if os.geteuid() == 0:
        notes.append(f"programs run as root: switching to the unprivileged uid {SANDBOX_UID} failed here")
    else:
        notes.append(f"programs run as the server's own user (uid {os.geteuid()}): only root can switch users")
    if "--pid" not in prefix:
        notes.append("capabilities and setuid programs NOT restricted: no PID namespace for the sandbox's init")
    return Isolation(
        namespace_prefix=prefix,
        pids_parent=pids_parent,
        notes=tuple(notes),
        read_only_outside_workspace=locked,
        hidden_outside_workspace=hidden,
        readable_paths=readable if hidden else (),
    )


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


def _init_works(prefix: tuple[str, ...], readable: str, run_as: tuple[int, int] | None = None) -> bool:
    # The probe starts run_python's interpreter, with its site-packages: if hiding left out
    # something it needs, runs fall back to read-only rather than break.
    python = (sys.executable, "-I", "-c", "pass")
    read_end, write_end = os.pipe()
    try:
        with tempfile.TemporaryDirectory(prefix="neuronaut-probe-") as writable:
            argv = (*prefix, *_init_argv(write_end, writable, readable, run_as))
            # Started inside the workspace, as every run is: the server's own directory may be hidden.
            return _runs(argv, program=python, pass_fds=(write_end,), cwd=writable)
    finally:
        os.close(read_end)
        os.close(write_end)


def launch_argv(isolation: Isolation, argv: Sequence[str], status_fd: int | None, writable: Path) -> list[str]:
    """The full command line for ``argv``: namespaces, and in a PID namespace our init first."""
    if status_fd is None:
        return [*isolation.namespace_prefix, *argv]
    locked_dir = str(writable) if isolation.read_only_outside_workspace else "-"
    readable = "\n".join(isolation.readable_paths) if isolation.hidden_outside_workspace else "-"
    return [*isolation.namespace_prefix, *_init_argv(status_fd, locked_dir, readable, isolation.run_as), *argv]


def _init_argv(status_fd: int, writable: str, readable: str, run_as: tuple[int, int] | None) -> list[str]:
    user = f"{run_as[0]}:{run_as[1]}" if run_as else "-"
    return [sys.executable, "-I", "-S", str(PID1_SCRIPT), str(status_fd), writable, readable, user]
