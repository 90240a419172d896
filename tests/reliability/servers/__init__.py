"""Small MCP servers that misbehave on purpose, for the reliability suite."""
