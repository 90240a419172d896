"""Talking to the code server in memory, and skip marks for what this machine cannot isolate."""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp.shared.memory import create_connected_server_and_client_session

from neuronaut.servers.code import build_server
from neuronaut.servers.code.isolation import detect_isolation

needs_network_namespace = pytest.mark.skipif(
    not detect_isolation().network_isolated, reason="this OS or machine cannot create network namespaces"
)
needs_pid_namespace = pytest.mark.skipif(
    not detect_isolation().processes_hidden, reason="this OS or machine cannot create PID namespaces"
)


def connect(workspace: Path):
    # A context manager per test, not a yield fixture: the MCP session's task
    # group must be entered and exited in the same task.
    return create_connected_server_and_client_session(build_server(workspace))
