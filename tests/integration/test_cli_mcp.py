"""`neuronaut mcp <server>` serves each of NeuroNaut's MCP servers on stdio to the official client."""

import sys
from pathlib import Path

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from tests.scenarios.rpg_scenario import run_basic_scenario

pytestmark = pytest.mark.integration


def _cli(*args: str) -> StdioServerParameters:
    return StdioServerParameters(command=sys.executable, args=["-m", "neuronaut.cli", "mcp", *args])


async def test_neuronaut_mcp_rpg_plays_the_basic_scenario() -> None:
    async with stdio_client(_cli("rpg", "--seed", "2")) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        await run_basic_scenario(session)


async def test_neuronaut_mcp_telegram_standin_plays_the_same_scenario(tmp_path: Path) -> None:
    params = _cli("telegram", "--standin", "--seed", "2")
    params.env = {"NEURONAUT_HOME": str(tmp_path), "NEURONAUT_TELEGRAM_ALLOWED_CHATS": "@dungeon_quest_bot",
                  "PATH": "/usr/bin:/bin"}
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        await run_basic_scenario(session)


@pytest.mark.parametrize("server", ["files", "code"])
async def test_neuronaut_mcp_serves_the_workspace_tools(server: str, tmp_path: Path) -> None:
    async with stdio_client(_cli(server, str(tmp_path))) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        names = {tool.name for tool in (await session.list_tools()).tools}
    assert {"files": "write_file", "code": "swift_build"}[server] in names
