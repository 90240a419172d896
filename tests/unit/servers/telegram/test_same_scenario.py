"""The same scripted game session against the simulator and against the Telegram server.

The Telegram side is the real server, policy, sanitiser and Telethon adapter;
only Telegram's network is the stand-in, with the same simulated bot behind it.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable

import pytest
from mcp import ClientSession
from mcp.shared.memory import create_connected_server_and_client_session

from neuronaut.servers.rpg.chat import SimulatedChat
from neuronaut.servers.rpg.server import build_server as build_simulator
from neuronaut.servers.telegram.client import TelegramAdapter
from neuronaut.servers.telegram.policy import ChatPolicy
from neuronaut.servers.telegram.server import build_server as build_telegram
from neuronaut.servers.telegram.standin import StandinTelegram
from tests.scenarios.rpg_scenario import run_basic_scenario


@contextlib.asynccontextmanager
async def simulator(chat: SimulatedChat) -> AsyncIterator[ClientSession]:
    async with create_connected_server_and_client_session(build_simulator(chat)) as session:
        yield session


@contextlib.asynccontextmanager
async def telegram(chat: SimulatedChat) -> AsyncIterator[ClientSession]:
    adapter = TelegramAdapter(StandinTelegram(chat))
    server = build_telegram(adapter, ChatPolicy([SimulatedChat.USERNAME]))
    async with create_connected_server_and_client_session(server) as session:
        yield session


@pytest.mark.parametrize("serve", [simulator, telegram], ids=["simulator", "telegram"])
async def test_basic_scenario(serve: Callable) -> None:
    async with serve(SimulatedChat(seed=1)) as session:
        await run_basic_scenario(session)
