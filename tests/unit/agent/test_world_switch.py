"""Switching the RPG from the simulator to the Telethon server is configuration only."""

import pytest

from neuronaut.api import arun_goal
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.settings import Settings
from tests.helpers import fighter


async def test_the_agent_reaches_its_goal_through_the_telethon_server(home) -> None:
    env = {"NEURONAUT_HOME": str(home), "NEURONAUT_EMBEDDING_MODEL": "hash-128",
           "NEURONAUT_WORLDS": '{"rpg": {"server": "telegram-standin"}}',
           "NEURONAUT_TELEGRAM_ALLOWED_CHATS": "@dungeon_quest_bot"}
    result = await arun_goal("reach level 2", settings=Settings.load(env=env),
                             decision_model=ScriptedModel(fallback=fighter), max_steps=60, thread_id="tg")
    assert result.status == "achieved"


async def test_real_telegram_needs_the_game_chat(home) -> None:
    from neuronaut.errors import UserError

    env = {"NEURONAUT_HOME": str(home), "NEURONAUT_WORLDS": '{"rpg": {"server": "telegram"}}'}
    with pytest.raises(UserError, match=r"\[worlds\.rpg\] server is .telegram. but chat is not set"):
        await arun_goal("reach level 2", settings=Settings.load(env=env), decision_model=ScriptedModel())
