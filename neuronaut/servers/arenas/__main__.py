"""``python -m neuronaut.servers.arenas --bot NAME ...``: an arena bot as a stdio MCP server."""

from neuronaut.servers.arenas.server import main

if __name__ == "__main__":
    main()
