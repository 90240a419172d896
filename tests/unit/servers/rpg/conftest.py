"""Fixtures for the Dungeon Quest tests: a chat, a started chat, a bare game state."""

from __future__ import annotations

import random

import pytest

from neuronaut.servers.rpg.chat import SimulatedChat
from neuronaut.servers.rpg.game import GameState

CHAT = SimulatedChat.CHAT_ID


@pytest.fixture
def chat() -> SimulatedChat:
    return SimulatedChat(seed=1)


@pytest.fixture
def started(chat: SimulatedChat) -> SimulatedChat:
    chat.send_message(CHAT, "/start")
    return chat


@pytest.fixture
def state() -> GameState:
    return GameState(rng=random.Random(0))
