"""Talking to the filesystem server in memory, and the constants the fixtures use."""

from __future__ import annotations

from pathlib import Path

from mcp.shared.memory import create_connected_server_and_client_session

from neuronaut.servers.files import build_server

SECRET = "top secret\n"
MAX_BYTES = 1000


def connect(root: Path):
    # A context manager per test, not a yield fixture: the MCP session's task
    # group must be entered and exited in the same task.
    return create_connected_server_and_client_session(build_server([root], max_file_bytes=MAX_BYTES))
