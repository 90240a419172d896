"""The bundled 1.5 B model learns to read an arena bot it has never seen: it finds the status, reads it under
a schema, writes ``read(text)``; whatever the trusted reader then reads must be the bot's true state."""

from pathlib import Path

import pytest

from neuronaut.servers.arenas.chat import ArenaChat
from neuronaut.servers.chat_contract import ChatMessage
from neuronaut.services import load_decision_model
from neuronaut.settings import Settings
from neuronaut.worlds.game.goals import as_number
from neuronaut.worlds.game.world import GameWorld
from tests.scenarios.arena_players import crawler_player, true_state
from tests.unit.worlds.game.gamekit import CRAWL, SessionTools, arena_settings, connect

pytestmark = pytest.mark.integration
MODEL = "qwen2.5-coder-1.5b"
CHECKS = 12


async def test_the_real_model_writes_a_reader_whose_readings_are_the_true_state(home: Path, tmp_path: Path) -> None:
    shared = Settings.load(env={})  # the checkout's models directory: the model is assembled there once
    settings = arena_settings(home, CRAWL).model_copy(update={"models_path": shared.models_dir, "model": MODEL})
    model = load_decision_model(settings, MODEL, 400)
    world = GameWorld(settings, wait_s=0)
    world.bind_model(model)
    state = tmp_path / "crawl.json"
    read_alone = 0
    try:
        async with connect(ArenaChat(CRAWL, seed=1, state_path=state)) as session:
            tools = SessionTools(session)
            await world.prepare(tools)
            for _ in range(CHECKS):
                check = await world.check(world.goal("reach level 2"), tools)
                by_reader = check.reason.startswith(("goal holds: ", "not yet: ")) and "model" not in check.reason
                if by_reader and "level" in check.progress:
                    read_alone += 1
                    assert as_number(check.progress["level"]) == true_state(state)["level"], check
                if check.achieved:
                    break
                listed = (await tools.call("get_messages", {"chat_id": world.chat_id, "limit": 100})).structured
                screen = next(ChatMessage(**m) for m in reversed(listed["messages"]) if m["buttons"])
                for _ in range(3):  # a few presses between checks, so the status screen changes
                    await tools.call("press_inline_button", {"chat_id": world.chat_id,
                                                             "button_text": crawler_player(screen)})
                    listed = (await tools.call("get_messages", {"chat_id": world.chat_id, "limit": 100})).structured
                    screen = next(ChatMessage(**m) for m in reversed(listed["messages"]) if m["buttons"])
    finally:
        model.close()
    knowledge = world.perception.knowledge
    assert knowledge.probe is not None, knowledge.unreadable
    assert read_alone > 0, [(r.status, r.note) for r in knowledge.readers]
