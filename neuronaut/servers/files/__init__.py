"""A filesystem MCP server confined to allowed directories (the reference server's tools)."""

from neuronaut.servers.files.server import build_server

__all__ = ["build_server"]
