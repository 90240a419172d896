"""Fixtures for the Telegram server: the real adapter, policy and server on the stand-in network."""

from __future__ import annotations

import pytest

from neuronaut.servers.rpg.chat import SimulatedChat
from neuronaut.servers.telegram.client import TelegramAdapter
from neuronaut.servers.telegram.standin import StandinTelegram
from tests.unit.servers.telegram.telegram_testkit import ALICE_ID, TRICKSTER_ID, SleepRecorder


@pytest.fixture
def sim() -> SimulatedChat:
    return SimulatedChat(seed=1)


@pytest.fixture
def net(sim: SimulatedChat) -> StandinTelegram:
    network = StandinTelegram(sim)
    network.add_user(ALICE_ID, "Alice", "alice")
    network.add_user(TRICKSTER_ID, "Riddle Quest", "riddle_quest_bot", bot=True)
    return network


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
async def adapter(net: StandinTelegram, sleeps: SleepRecorder) -> TelegramAdapter:
    tg = TelegramAdapter(net, call_timeout=5.0, max_flood_wait=60.0, sleep=sleeps)
    await tg.start()
    return tg
