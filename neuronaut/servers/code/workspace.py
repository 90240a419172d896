"""The workspace every code tool runs in: its paths, its environment, its limits.

All tools share one ``Workspace``: paths are checked with the same
``PathPolicy`` as the filesystem server, the child environment is built from
scratch here, and the per-kind limits live here so they are easy to review.
The workspace is the only writable place for sandboxed programs, so HOME
(SwiftPM's caches), TMPDIR and the SwiftPM scratch directories are hidden
directories inside it (``.home``, ``.tmp``, ``.neuronaut-build``).

Limits were measured on this project's 2-core Linux machine: a fresh
``swift build`` of a small package peaks at ~21 tasks (threads count) and
works under a 1 GiB address-space cap; a built Swift program that links
Foundation needs ~128 MiB of address space (its ICU data is mapped whole), a
Python interpreter ~30 MiB. The caps below leave generous headroom above that
while stopping a runaway loop, a fork bomb or a memory hog in user code.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import os
import shutil
import sys
from pathlib import Path

from neuronaut.servers.code.isolation import Isolation, detect_isolation
from neuronaut.servers.code.sandbox import Limits, MiB, ProcessResult, RunRequest, run_sandboxed
from neuronaut.servers.sandbox_paths import PathPolicy

log = logging.getLogger(__name__)

# The Swift compiler and linker: many processes and threads, big address-space reservations.
BUILD_LIMITS = Limits(
    cpu_seconds=1200, address_space_bytes=4096 * MiB, file_size_bytes=1024 * MiB, max_processes=512, open_files=4096
)
# A program the agent wrote: one process, modest memory.
PROGRAM_LIMITS = Limits(
    cpu_seconds=30, address_space_bytes=1024 * MiB, file_size_bytes=64 * MiB, max_processes=64, open_files=256
)
PYTHON_LIMITS = Limits(
    cpu_seconds=10, address_space_bytes=512 * MiB, file_size_bytes=64 * MiB, max_processes=32, open_files=256
)

MAX_RUN_TIMEOUT_S = 120.0
MAX_BUILD_TIMEOUT_S = 1200.0
DEFAULT_BUILD_TIMEOUT_S = 300.0  # a first build on 2 busy cores can take minutes
HOME_DIR = ".home"
TMP_DIR = ".tmp"
BUILD_DIR = ".neuronaut-build"  # per-package SwiftPM scratch directories
SYSTEM_PATH = ("/usr/local/bin", "/usr/bin", "/bin")


class Workspace:
    def __init__(self, root: Path, *, isolation: Isolation | None = None) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.policy = PathPolicy([root])
        self.root = self.policy.default_root
        self.isolation = isolation or detect_isolation()
        for name in (HOME_DIR, TMP_DIR, BUILD_DIR):
            (self.root / name).mkdir(exist_ok=True)
        self.swift = shutil.which("swift")
        self.env = self._environment()
        log.info("code workspace %s (network isolated: %s)", self.root, self.isolation.network_isolated)

    def resolve_dir(self, path: str | None) -> Path:
        real = self.policy.resolve_existing(path or ".")
        if not real.is_dir():
            raise NotADirectoryError(f"Not a directory: {self.policy.display(real)}")
        return real

    def scratch_dir(self, package: Path) -> Path:
        """Where SwiftPM builds ``package``: inside the workspace but out of the package's own tree."""
        relative = package.relative_to(self.root).as_posix()
        slug = "_root" if relative == "." else relative.replace("/", "__")
        return self.root / BUILD_DIR / slug

    def require_swift(self) -> str:
        if not self.swift:
            raise RuntimeError("The Swift toolchain was not found on PATH, so Swift tools cannot run here.")
        return self.swift

    async def run(
        self,
        argv: list[str],
        *,
        cwd: Path,
        limits: Limits,
        timeout_s: float,
        stdin: str | None = None,
        max_output_bytes: int = 64_000,
    ) -> ProcessResult:
        request = RunRequest(
            argv=argv,
            cwd=cwd,
            env=self.env,
            limits=limits,
            timeout_s=timeout_s,
            stdin=stdin,
            max_output_bytes=max_output_bytes,
            writable_dir=self.root,
        )
        log.debug("sandboxed run in %s: %s", cwd, argv)
        return await run_sandboxed(request, self.isolation)

    def _environment(self) -> dict[str, str]:
        # Built from nothing on purpose: the server's own environment may hold tokens and keys.
        tool_dirs = [os.path.dirname(self.swift)] if self.swift else []
        return {
            "PATH": os.pathsep.join(dict.fromkeys([*tool_dirs, *SYSTEM_PATH])),
            "HOME": str(self.root / HOME_DIR),
            "TMPDIR": str(self.root / TMP_DIR),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            # A crashing Swift program prints one "Fatal error" line instead of a
            # 100-line register dump (and spawns no backtracer process).
            "SWIFT_BACKTRACE": "enable=no",
            "PYTHONDONTWRITEBYTECODE": "1",
        }


def run_limits(base: Limits, timeout_s: float) -> Limits:
    """``base`` with a CPU cap no larger than the wall-clock budget (one core's worth)."""
    return dataclasses.replace(base, cpu_seconds=max(1, min(base.cpu_seconds, math.ceil(timeout_s) + 1)))


def clamp_timeout(timeout_s: float, maximum: float = MAX_RUN_TIMEOUT_S) -> float:
    if timeout_s <= 0:
        raise ValueError("timeout must be positive (seconds)")
    return min(float(timeout_s), maximum)


def python_executable() -> str:
    """The interpreter for run_python: this one, so the same version runs everywhere."""
    return sys.executable
