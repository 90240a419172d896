"""The filesystem server over real stdio, driven by the official MCP client."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from tests.mcp_results import call_error, call_ok

pytestmark = pytest.mark.integration


async def test_stdio_server_writes_reads_and_refuses_escapes(tmp_path: Path):
    root = tmp_path / "root"
    root.mkdir()
    params = StdioServerParameters(command=sys.executable, args=["-m", "neuronaut.servers.files", str(root)])
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        await call_ok(session, "write_file", path="hello.txt", content="hi\n")
        content = await call_ok(session, "read_text_file", path="hello.txt")
        error = await call_error(session, "read_text_file", path="../outside.txt")
    assert content["content"] == "hi\n" and "Access denied" in error
    assert (root / "hello.txt").read_text() == "hi\n"


def test_a_missing_root_is_a_usage_error(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "neuronaut.servers.files", str(tmp_path / "missing")],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2 and "existing directories" in done.stderr
