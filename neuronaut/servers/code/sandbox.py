"""Running one untrusted command: limits, no network, scrubbed environment, hard timeout.

Each run gets
* rlimits set between fork and exec (CPU seconds, address space, file size,
  open files, no core dumps), hard = soft so the program cannot raise them;
* a process cap: a per-run pids cgroup where available, else RLIMIT_NPROC
  (see ``isolation`` for why root needs the cgroup);
* its own session (``start_new_session``), so the wall-clock timeout kills
  the whole process group, then whatever is left in the cgroup;
* network, PID and mount namespaces where the OS allows them, with
  everything outside the workspace hidden (but for the system and toolchain
  directories, see ``visibility``) and read-only;
* an environment built from scratch: nothing of the server's environment
  (tokens, keys) is passed on;
* stdout and stderr read in chunks and capped, with a visible marker.
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import signal
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from pydantic import BaseModel, Field

from neuronaut.servers.code.isolation import Isolation, launch_argv
from neuronaut.servers.code.pids_cgroup import PidsCgroup, join_cgroup_in_child, system_task_count
from neuronaut.servers.code.streams import feed, read_capped, truncate_text, truncation_marker

__all__ = ["Limits", "MiB", "ProcessResult", "RunRequest", "SandboxInfo", "run_sandboxed", "truncate_text",
           "truncation_marker"]

log = logging.getLogger(__name__)

MiB = 1024 * 1024
DRAIN_GRACE_S = 2.0  # after the kill, how long pipes may take to close
CHILD_NICENESS = 10  # the agent's own model shares the CPU; sandboxed work yields to it


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int
    address_space_bytes: int
    file_size_bytes: int
    max_processes: int
    open_files: int = 256

    def describe(self) -> dict[str, int]:
        return asdict(self)


class SandboxInfo(BaseModel):
    network_isolated: bool
    processes_hidden: bool = Field(description="True when the program sees only its own processes.")
    read_only_outside_workspace: bool = Field(description="True when only the workspace is writable.")
    hidden_outside_workspace: bool = Field(
        default=False, description="True when, outside the workspace, only system and toolchain files can be read."
    )
    process_cap: str = Field(description="How max_processes is enforced: pids-cgroup, rlimit-nproc or none.")
    unprivileged_uid: int | None = Field(
        default=None, description="The uid programs run as when the server could switch to an unprivileged user."
    )
    privileges_dropped: bool = Field(
        default=False, description="True when programs hold no capabilities and setuid programs cannot raise them."
    )
    limits: dict[str, int]
    notes: list[str] = Field(default_factory=list)


class ProcessResult(BaseModel):
    exit_code: int | None = Field(description="None when killed by a signal.")
    timed_out: bool
    duration_s: float
    stdout: str
    stderr: str
    killed_by_signal: str | None = None
    sandbox: SandboxInfo


@dataclass(frozen=True)
class RunRequest:
    argv: Sequence[str]
    cwd: Path
    env: Mapping[str, str]
    limits: Limits
    timeout_s: float
    stdin: str | None = None
    max_output_bytes: int = 64_000
    writable_dir: Path | None = None  # the one place the program may write (default: cwd)


async def run_sandboxed(request: RunRequest, isolation: Isolation) -> ProcessResult:
    cgroup = _make_cgroup(isolation, request.limits)
    process_cap = _process_cap(cgroup)
    status = StatusPipe() if isolation.processes_hidden else None
    writable = request.writable_dir or request.cwd
    started = time.monotonic()
    try:
        process = await asyncio.create_subprocess_exec(
            *launch_argv(isolation, request.argv, status.write_fd if status else None, writable),
            cwd=request.cwd,
            env=dict(request.env),
            stdin=asyncio.subprocess.PIPE if request.stdin is not None else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
            pass_fds=(status.write_fd,) if status else (),
            preexec_fn=_child_setup(request.limits, cgroup.procs_file if cgroup else None, process_cap),
        )
        if status:
            status.close_write()  # else our copy would keep the pipe open forever
        timed_out, out, err = await _supervise(process, request, cgroup)
        exit_code, killed_by = _outcome(process.returncode, status.read() if status else "")
    finally:
        if cgroup:
            cgroup.remove()
        if status:
            status.close()
    return ProcessResult(
        exit_code=exit_code,
        timed_out=timed_out,
        duration_s=round(time.monotonic() - started, 3),
        stdout=out,
        stderr=err,
        killed_by_signal=killed_by,
        sandbox=SandboxInfo(
            network_isolated=isolation.network_isolated,
            processes_hidden=isolation.processes_hidden,
            read_only_outside_workspace=isolation.read_only_outside_workspace,
            hidden_outside_workspace=isolation.hidden_outside_workspace,
            process_cap=process_cap,
            unprivileged_uid=isolation.run_as[0] if isolation.run_as else None,
            # pid1.py empties the bounding set and sets no_new_privs before every program it starts.
            privileges_dropped=isolation.processes_hidden,
            limits={**request.limits.describe(), "timeout_s": int(request.timeout_s)},
            notes=list(isolation.notes),
        ),
    )


class StatusPipe:
    """Where the PID-namespace init (pid1.py) reports how the program ended: 'exit N' or 'signal N'."""

    def __init__(self) -> None:
        self.read_fd, self.write_fd = os.pipe()
        self._write_open = True

    def close_write(self) -> None:
        if self._write_open:
            os.close(self.write_fd)
            self._write_open = False

    def read(self) -> str:
        # Called after every process of the run is gone, so the write end is closed: no blocking.
        os.set_blocking(self.read_fd, False)
        try:
            return os.read(self.read_fd, 64).decode("ascii", errors="replace")
        except BlockingIOError:
            return ""

    def close(self) -> None:
        self.close_write()
        os.close(self.read_fd)


def _outcome(returncode: int | None, status: str) -> tuple[int | None, str | None]:
    """(exit code, signal name): from the init's report when there is one, else from the return code."""
    kind, _, number = status.partition(" ")
    if kind == "exit" and number.isdigit():
        return int(number), None
    if kind == "signal" and number.isdigit():
        return None, _signal_name(-int(number))
    if returncode is not None and returncode < 0:
        return None, _signal_name(returncode)
    return returncode, None


async def _supervise(
    process: asyncio.subprocess.Process, request: RunRequest, cgroup: PidsCgroup | None
) -> tuple[bool, str, str]:
    readers = [
        asyncio.create_task(read_capped(process.stdout, request.max_output_bytes)),
        asyncio.create_task(read_capped(process.stderr, request.max_output_bytes)),
    ]
    feeder = asyncio.create_task(feed(process.stdin, request.stdin))
    timed_out = False
    try:
        await asyncio.wait_for(process.wait(), timeout=request.timeout_s)
    except TimeoutError:
        timed_out = True
    finally:
        # Always: children left running in the background must not outlive the run.
        _kill_group(process.pid)
        if cgroup:
            await cgroup.kill_all()
        await process.wait()
    feeder.cancel()
    done, pending = await asyncio.wait(readers, timeout=DRAIN_GRACE_S)
    for task in pending:
        task.cancel()
    out, err = (task.result() if task in done else "" for task in readers)
    return timed_out, out, err


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # the group is already gone


def _process_cap(cgroup: PidsCgroup | None) -> str:
    if cgroup:
        return "pids-cgroup"
    # Root is exempt from RLIMIT_NPROC; without /proc we cannot count what is already running.
    if os.geteuid() == 0 or system_task_count() is None:
        return "none"
    return "rlimit-nproc"


def _make_cgroup(isolation: Isolation, limits: Limits) -> PidsCgroup | None:
    if isolation.pids_parent is None:
        return None
    try:
        return PidsCgroup(isolation.pids_parent, limits.max_processes)
    except OSError as exc:
        log.warning("could not create a pids cgroup (%s); the process cap falls back to rlimits", exc)
        return None


def _child_setup(limits: Limits, procs_file: str | None, process_cap: str) -> Callable[[], None]:
    # Computed in the parent: the child between fork and exec must do as little as possible.
    rlimits = [
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_AS, limits.address_space_bytes),
        (resource.RLIMIT_FSIZE, limits.file_size_bytes),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_CORE, 0),
    ]
    if process_cap == "rlimit-nproc":
        # RLIMIT_NPROC counts all of the user's tasks, not just this run's.
        rlimits.append((resource.RLIMIT_NPROC, (system_task_count() or 0) + limits.max_processes))
    if sys.platform == "darwin":
        rlimits = [(which, value) for which, value in rlimits if which != resource.RLIMIT_AS]  # not enforced there
    rlimits = [(which, _within_hard_limit(which, value)) for which, value in rlimits]

    def setup() -> None:
        if procs_file:
            join_cgroup_in_child(procs_file)
        os.nice(CHILD_NICENESS)
        for which, value in rlimits:
            resource.setrlimit(which, (value, value))

    return setup


def _within_hard_limit(which: int, value: int) -> int:
    # Lowering is always allowed; asking for more than the current hard limit is an error.
    hard = resource.getrlimit(which)[1]
    return value if hard == resource.RLIM_INFINITY else min(value, hard)


def _signal_name(returncode: int | None) -> str | None:
    if returncode is None or returncode >= 0:
        return None
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"
