"""Fixtures for the arena bot tests: a chat per bot, in memory or behind an in-memory MCP session."""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp.shared.memory import create_connected_server_and_client_session

from neuronaut.servers.arenas.chat import ArenaChat
from neuronaut.servers.arenas.server import build_server

TRADER = "void-trader"
CRAWL = "crypt-crawl"


def connect(chat: ArenaChat):
    # A context manager per test, not a yield fixture: the MCP session's task group
    # must be entered and exited in the same task.
    return create_connected_server_and_client_session(build_server(chat))


def latest(chat: ArenaChat):
    return chat.get_messages(chat.CHAT_ID, limit=1).messages[-1]


def screen(chat: ArenaChat):
    """The message that carries the bot's buttons now."""
    listed = chat.list_inline_buttons(chat.CHAT_ID)
    return next(m for m in chat.get_messages(chat.CHAT_ID, limit=100).messages if m.id == listed.message_id)


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "arena.json"


@pytest.fixture
def trader(state_path: Path) -> ArenaChat:
    chat = ArenaChat(TRADER, seed=1, state_path=state_path)
    chat.send_message(chat.CHAT_ID, "/start")
    return chat


@pytest.fixture
def crawl(state_path: Path) -> ArenaChat:
    chat = ArenaChat(CRAWL, seed=1, state_path=state_path)
    chat.send_message(chat.CHAT_ID, "/start")
    return chat
