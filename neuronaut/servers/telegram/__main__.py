"""``python -m neuronaut.servers.telegram``: the stdio MCP server for the real account."""

from neuronaut.servers.telegram.server import main

if __name__ == "__main__":
    raise SystemExit(main())
