"""run_python and run_command: short programs and a few allowlisted tools, in the sandbox.

run_command never goes through a shell: ``argv`` is executed as given, and
``argv[0]`` must be one of ``ALLOWED_PROGRAMS``, looked up on the sandbox's
PATH. Arguments that look like paths (absolute, or climbing with ``..``) must
stay inside the workspace. That check is best effort (``--out=/x`` is not
recognised as a path); the hard boundaries are the sandbox's limits.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from neuronaut.servers.code.sandbox import ProcessResult
from neuronaut.servers.code.workspace import (
    BUILD_LIMITS,
    MAX_BUILD_TIMEOUT_S,
    MAX_RUN_TIMEOUT_S,
    PROGRAM_LIMITS,
    PYTHON_LIMITS,
    TMP_DIR,
    Workspace,
    clamp_timeout,
    python_executable,
    run_limits,
)

# Read-only inspection tools, text tools and the toolchains the worlds need.
ALLOWED_PROGRAMS = frozenset(
    {
        "swift", "swiftc", "python3",
        "ls", "cat", "echo", "printf", "pwd", "true", "false",
        "diff", "cmp", "wc", "head", "tail", "grep", "sort", "uniq", "cut", "tr", "seq",
        "basename", "dirname", "mkdir", "touch",
    }
)
COMPILERS = frozenset({"swift", "swiftc"})


class CommandNotAllowed(PermissionError):
    """A program outside the allowlist, or a path argument outside the workspace."""


async def run_python(workspace: Workspace, code: str, stdin: str | None, timeout_s: float) -> ProcessResult:
    timeout = clamp_timeout(timeout_s)
    # A file rather than `-c`: tracebacks then show line numbers the model can use.
    script = workspace.root / TMP_DIR / f"run_python_{uuid.uuid4().hex[:12]}.py"
    script.write_text(code, encoding="utf-8")
    try:
        return await workspace.run(
            [python_executable(), "-I", str(script)],
            cwd=workspace.root,
            limits=run_limits(PYTHON_LIMITS, timeout),
            timeout_s=timeout,
            stdin=stdin,
        )
    finally:
        script.unlink(missing_ok=True)


async def run_command(
    workspace: Workspace, argv: list[str], cwd: str | None, timeout_s: float, stdin: str | None = None
) -> ProcessResult:
    if not argv:
        raise ValueError("argv is empty: give the program and its arguments, e.g. ['ls', '-l'].")
    program = _resolve_program(workspace, argv[0])
    directory = workspace.resolve_dir(cwd)
    _check_path_arguments(workspace, argv[1:], directory)
    compiling = argv[0] in COMPILERS
    timeout = clamp_timeout(timeout_s, MAX_BUILD_TIMEOUT_S if compiling else MAX_RUN_TIMEOUT_S)
    limits = BUILD_LIMITS if compiling else run_limits(PROGRAM_LIMITS, timeout)
    return await workspace.run([program, *argv[1:]], cwd=directory, limits=limits, timeout_s=timeout, stdin=stdin)


def _resolve_program(workspace: Workspace, name: str) -> str:
    if os.sep in name or name not in ALLOWED_PROGRAMS:
        allowed = ", ".join(sorted(ALLOWED_PROGRAMS))
        raise CommandNotAllowed(f"{name!r} is not an allowed program. Allowed (by name, no path): {allowed}.")
    found = shutil.which(name, path=workspace.env["PATH"])
    if not found:
        raise FileNotFoundError(f"{name} is allowed but not installed here.")
    return found


def _check_path_arguments(workspace: Workspace, arguments: list[str], cwd: Path) -> None:
    for argument in arguments:
        if _looks_like_path_escape(argument):
            workspace.policy.resolve(argument, base=cwd)  # raises PathNotAllowed when outside


def _looks_like_path_escape(argument: str) -> bool:
    if "\x00" in argument:
        return True
    parts = argument.split("/")
    return argument.startswith("/") or ".." in parts
