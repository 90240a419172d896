"""``python -m neuronaut.servers.rpg [--seed N] [--state FILE]``: the stdio MCP server."""

from neuronaut.servers.rpg.server import main

if __name__ == "__main__":
    main()
