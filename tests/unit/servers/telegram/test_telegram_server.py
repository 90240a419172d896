"""The Telegram server offers the simulator's tools: same names, parameters and results."""

from __future__ import annotations

import pytest
from mcp.types import Tool

from neuronaut.servers import chat_contract as contract
from neuronaut.servers.rpg.chat import SimulatedChat
from neuronaut.servers.rpg.server import build_server as build_simulator
from neuronaut.servers.telegram.client import TelegramAdapter
from neuronaut.servers.telegram.policy import ChatPolicy
from neuronaut.servers.telegram.server import build_server
from tests.unit.servers.telegram.telegram_testkit import GAME_USERNAME, connect, error_text

ALL_TOOLS = sorted(contract.READ_ONLY_TOOLS | contract.ACTING_TOOLS)


async def _tools(server) -> dict[str, Tool]:
    return {tool.name: tool for tool in await server.list_tools()}


@pytest.fixture
async def both(adapter: TelegramAdapter) -> tuple[dict[str, Tool], dict[str, Tool]]:
    simulated = await _tools(build_simulator(SimulatedChat(seed=1)))
    real = await _tools(build_server(adapter, ChatPolicy([GAME_USERNAME])))
    return simulated, real


async def test_same_tool_names(both) -> None:
    simulated, real = both
    assert sorted(real) == sorted(simulated) == ALL_TOOLS


@pytest.mark.parametrize("name", ALL_TOOLS)
async def test_same_parameters_types_and_defaults(both, name: str) -> None:
    simulated, real = both

    def shape(tool: Tool) -> dict:
        properties = tool.inputSchema["properties"]
        return {
            "required": sorted(tool.inputSchema.get("required", [])),
            "params": {p: (s.get("type"), s.get("anyOf"), s.get("default")) for p, s in properties.items()},
        }

    assert shape(real[name]) == shape(simulated[name])


@pytest.mark.parametrize("name", ALL_TOOLS)
async def test_same_result_schema(both, name: str) -> None:
    simulated, real = both
    assert real[name].outputSchema == simulated[name].outputSchema


@pytest.mark.parametrize("name", ALL_TOOLS)
async def test_read_only_hint_matches_the_contract(both, name: str) -> None:
    _, real = both
    assert real[name].annotations.readOnlyHint is (name in contract.READ_ONLY_TOOLS)


async def test_unknown_chat_is_a_tool_error_that_points_to_list_chats(adapter: TelegramAdapter) -> None:
    async with connect(adapter, ChatPolicy([GAME_USERNAME])) as session:
        result = await session.call_tool(contract.GET_MESSAGES, {"chat_id": "@nobody_here"})
    assert "list_chats" in error_text(result)
