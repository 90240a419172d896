"""Calling an MCP tool in a test and getting its structured result or its error text."""

from __future__ import annotations

from typing import Any

from mcp import ClientSession


async def call_ok(session: ClientSession, tool: str, **args: Any) -> dict[str, Any]:
    """The tool's structured result; fails the test if the call was an error."""
    result = await session.call_tool(tool, args)
    assert not result.isError, _text(result)
    assert result.structuredContent is not None, f"{tool} returned no structured content"
    return result.structuredContent


async def call_error(session: ClientSession, tool: str, **args: Any) -> str:
    """The error text of a call that must fail; fails the test if the call succeeded."""
    result = await session.call_tool(tool, args)
    assert result.isError, f"{tool} should have failed but returned {result.structuredContent}"
    return _text(result)


def _text(result: Any) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content)
