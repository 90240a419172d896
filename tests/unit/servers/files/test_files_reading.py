"""Reading tools: whole files, head/tail, several files at once."""

from __future__ import annotations

from pathlib import Path

from tests.mcp_results import call_error, call_ok
from tests.unit.servers.files.files_testkit import connect

MAIN = "Sources/App/main.swift"


async def test_read_text_file_returns_the_whole_file(root: Path):
    async with connect(root) as session:
        result = await call_ok(session, "read_text_file", path=MAIN)
    assert result == {"path": MAIN, "content": 'print("one")\nprint("two")\nprint("three")\n'}


async def test_read_text_file_accepts_an_absolute_path_inside_the_root(root: Path):
    async with connect(root) as session:
        result = await call_ok(session, "read_text_file", path=str(root / MAIN))
    assert result["content"].startswith('print("one")')


async def test_head_returns_the_first_lines(root: Path):
    async with connect(root) as session:
        result = await call_ok(session, "read_text_file", path=MAIN, head=1)
    assert result["content"] == 'print("one")\n'


async def test_tail_returns_the_last_lines(root: Path):
    async with connect(root) as session:
        result = await call_ok(session, "read_text_file", path=MAIN, tail=2)
    assert result["content"] == 'print("two")\nprint("three")\n'


async def test_head_and_tail_together_are_refused(root: Path):
    async with connect(root) as session:
        error = await call_error(session, "read_text_file", path=MAIN, head=1, tail=1)
    assert "head or tail" in error


async def test_missing_file_is_reported_by_name(root: Path):
    async with connect(root) as session:
        error = await call_error(session, "read_text_file", path="Sources/App/nope.swift")
    assert "No such file" in error


async def test_binary_file_is_refused(root: Path):
    (root / "blob.bin").write_bytes(b"\x00\x01\x02")
    async with connect(root) as session:
        error = await call_error(session, "read_text_file", path="blob.bin")
    assert "binary" in error


async def test_read_multiple_files_reports_each_file_separately(root: Path):
    async with connect(root) as session:
        result = await call_ok(session, "read_multiple_files", paths=["Package.swift", "missing.txt"])
    first, second = result["files"]
    assert first["content"] == "// swift-tools-version:5.9\n" and first["error"] is None
    assert second["content"] is None and "No such file" in second["error"]
