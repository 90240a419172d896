"""Shared helpers for the Telegram server tests."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from mcp import ClientSession
from mcp.shared.memory import create_connected_server_and_client_session
from mcp.types import CallToolResult

from neuronaut.servers.rpg.chat import SimulatedChat
from neuronaut.servers.telegram.client import TelegramAdapter
from neuronaut.servers.telegram.policy import ChatPolicy
from neuronaut.servers.telegram.server import build_server

GAME = SimulatedChat.CHAT_ID
GAME_USERNAME = SimulatedChat.USERNAME  # "@dungeon_quest_bot"
ALICE_ID = 424242
TRICKSTER_ID = 515151


class SleepRecorder:
    """Stands in for asyncio.sleep: records flood waits instead of waiting them out."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@contextlib.asynccontextmanager
async def connect(adapter: TelegramAdapter, policy: ChatPolicy) -> AsyncIterator[ClientSession]:
    async with create_connected_server_and_client_session(build_server(adapter, policy)) as session:
        yield session


def error_text(result: CallToolResult) -> str:
    assert result.isError, f"expected a tool error, got {result.structuredContent}"
    return result.content[0].text
