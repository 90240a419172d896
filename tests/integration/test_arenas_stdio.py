"""The arena bots over real stdio, driven by the official MCP client to a level up."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from neuronaut.servers import chat_contract as contract
from neuronaut.servers.chat_contract import ChatList
from tests.scenarios.arena_players import crawler_player, play_until, trader_player, true_state
from tests.scenarios.rpg_scenario import call, structured

pytestmark = pytest.mark.integration


def _server(*args: str) -> StdioServerParameters:
    return StdioServerParameters(command=sys.executable, args=["-m", "neuronaut.servers.arenas", *args])


@pytest.mark.parametrize(
    ("bot", "player", "leveled"),
    [
        ("void-trader", trader_player, lambda hero: hero["rank"] == "Ensign"),
        ("crypt-crawl", crawler_player, lambda hero: hero["level"] == 2),
    ],
)
async def test_stdio_arena_is_played_to_a_level_up(tmp_path: Path, bot, player, leveled):
    state = tmp_path / "arena.json"
    params = _server("--bot", bot, "--seed", "7", "--state", str(state))
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        [chat] = (await call(session, contract.LIST_CHATS, ChatList)).chats
        presses = await play_until(session, chat.id, player, state, leveled)
    assert presses <= 40 and true_state(state)["level"] == 2


async def test_stdio_silent_arena_times_out(tmp_path: Path):
    params = _server("--bot", "crypt-crawl", "--mode", "silent", "--state", str(tmp_path / "s.json"))
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        [chat] = (await call(session, contract.LIST_CHATS, ChatList)).chats
        await session.call_tool(contract.SEND_MESSAGE, {"chat_id": chat.id, "text": "/start"})
        update = structured(await session.call_tool(
            contract.WAIT_FOR_UPDATE, {"chat_id": chat.id, "timeout_seconds": 0.2}
        ))
    assert update["timed_out"] is True
