"""run_sandboxed directly, with tight limits: file size, signals, stdin, output caps."""

from __future__ import annotations

import sys
from pathlib import Path

from neuronaut.servers.code.isolation import detect_isolation
from neuronaut.servers.code.sandbox import Limits, MiB, RunRequest, run_sandboxed, truncate_text

TIGHT = Limits(cpu_seconds=5, address_space_bytes=512 * MiB, file_size_bytes=1 * MiB, max_processes=16)
ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}


async def run(tmp_path: Path, argv: list[str], **overrides) -> dict:
    request = RunRequest(argv=argv, cwd=tmp_path, env=ENV, limits=TIGHT, timeout_s=20, **overrides)
    return (await run_sandboxed(request, detect_isolation())).model_dump()


async def test_writing_past_the_file_size_limit_kills_the_writer(tmp_path: Path):
    result = await run(tmp_path, ["dd", "if=/dev/zero", "of=big", "bs=1M", "count=4"])
    assert result["killed_by_signal"] == "SIGXFSZ" and result["exit_code"] is None
    assert (tmp_path / "big").stat().st_size <= TIGHT.file_size_bytes


async def test_python_sees_the_file_size_limit_as_an_error(tmp_path: Path):
    # Python ignores SIGXFSZ, so it gets EFBIG ("File too large") instead of being killed.
    code = "open('big', 'wb').write(b'x' * (4 * 1024 * 1024))"
    result = await run(tmp_path, [sys.executable, "-c", code])
    assert result["exit_code"] == 1 and "File too large" in result["stderr"]


async def test_cpu_limit_stops_a_busy_loop_before_the_wall_clock(tmp_path: Path):
    limits = Limits(cpu_seconds=1, address_space_bytes=512 * MiB, file_size_bytes=MiB, max_processes=16)
    argv = [sys.executable, "-c", "while True: pass"]
    request = RunRequest(argv=argv, cwd=tmp_path, env=ENV, limits=limits, timeout_s=60)
    result = await run_sandboxed(request, detect_isolation())
    assert result.timed_out is False and result.killed_by_signal in {"SIGXCPU", "SIGKILL"}


async def test_the_program_cannot_raise_its_own_limits(tmp_path: Path):
    code = "import resource; resource.setrlimit(resource.RLIMIT_FSIZE, (2**40, 2**40))"
    result = await run(tmp_path, [sys.executable, "-c", code])
    assert result["exit_code"] == 1 and "ValueError" in result["stderr"]


async def test_stdin_is_delivered_and_closed(tmp_path: Path):
    result = await run(tmp_path, ["wc", "-l"], stdin="a\nb\nc\n")
    assert result["stdout"].strip() == "3"


async def test_stdout_and_stderr_are_capped_separately(tmp_path: Path):
    code = "import sys; print('o' * 50); print('e' * 5, file=sys.stderr)"
    result = await run(tmp_path, [sys.executable, "-c", code], max_output_bytes=10)
    assert result["stdout"] == "o" * 10 + "\n…[truncated 41 bytes]"
    assert result["stderr"] == "eeeee\n"


async def test_a_missing_program_is_an_error_not_a_hang(tmp_path: Path):
    result = await run(tmp_path, ["/nonexistent/program"])
    assert result["exit_code"] not in (0, None)


def test_truncate_text_marks_what_was_cut():
    assert truncate_text("abcdef", 4) == "abcd\n…[truncated 2 bytes]"
    assert truncate_text("abc", 4) == "abc"
