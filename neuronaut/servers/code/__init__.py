"""A code-execution MCP server: Swift builds and runs, Python snippets, allowlisted commands, all sandboxed."""

from neuronaut.servers.code.server import build_server

__all__ = ["build_server"]
