"""The Dungeon Quest server over real stdio, driven by the official MCP client."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from neuronaut.servers import chat_contract as contract
from neuronaut.servers.chat_contract import MessageList
from tests.scenarios.rpg_scenario import call, run_basic_scenario

pytestmark = pytest.mark.integration

CHAT = 777000001


def _server(*args: str) -> StdioServerParameters:
    return StdioServerParameters(command=sys.executable, args=["-m", "neuronaut.servers.rpg", *args])


async def test_stdio_server_plays_the_basic_scenario():
    async with stdio_client(_server("--seed", "3")) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        await run_basic_scenario(session)


async def test_stdio_server_resumes_from_its_state_file(tmp_path: Path):
    state = str(tmp_path / "chat.json")
    async with stdio_client(_server("--state", state)) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        await run_basic_scenario(session)
        before = await call(session, contract.GET_MESSAGES, MessageList, chat_id=CHAT)
    async with stdio_client(_server("--state", state)) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        after = await call(session, contract.GET_MESSAGES, MessageList, chat_id=CHAT)
    assert after.messages == before.messages and after.last_update_id == before.last_update_id
