"""The checker judges goals in the game's words with the learned reader, and the test harness holds it to the
bot's true state (its state file, which the agent never sees); a bot that cannot be read is the critic's."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from neuronaut.servers.arenas.chat import ArenaChat
from neuronaut.servers.chat_contract import ChatMessage
from neuronaut.worlds.game.world import BotUnresponsive, GameWorld
from tests.scenarios.arena_players import crawler_player, trader_player, true_state
from tests.unit.worlds.game.gamekit import (
    CRAWL,
    CRAWL_V1,
    CRAWL_V2,
    TRADER,
    TRADER_V1,
    Oracle,
    SessionTools,
    connect,
)


async def play_and_judge(world: GameWorld, chat: ArenaChat, state: Path, goal: str,
                         player: Callable[[ChatMessage], str], truth: Callable[[dict[str, Any]], bool],
                         max_presses: int = 120) -> list[str]:
    """Presses as the scripted player would, asking the checker after each press: it may never claim the goal
    before the true state holds it, and must once it does (the reader being trusted by then)."""
    reasons = []
    async with connect(chat) as session:
        tools = SessionTools(session)
        await world.prepare(tools)
        for _ in range(max_presses):
            check = await world.check(world.goal(goal), tools)
            reasons.append(check.reason)
            holds = truth(true_state(state))
            assert check.achieved is False or holds, f"claimed {goal!r} against the true state {true_state(state)}"
            if check.achieved:
                return reasons
            observation = await world.observe(tools)
            listed = (await tools.call("get_messages", {"chat_id": world.chat_id, "limit": 100})).structured
            screen = next(ChatMessage(**m) for m in reversed(listed["messages"]) if m["buttons"])
            label = player(screen)
            assert label in observation.choices["press_inline_button"]["button_text"]
            await tools.call("press_inline_button", {"chat_id": world.chat_id, "button_text": label})
    raise AssertionError(f"{goal!r} never judged achieved; true state {true_state(state)}; last: {reasons[-3:]}")


@pytest.mark.slow
async def test_reach_level_2_in_crypt_crawl_is_judged_by_the_reader_as_the_true_state_says(make_world,
                                                                                         tmp_path: Path) -> None:
    state = tmp_path / "crawl.json"
    world = make_world(CRAWL, Oracle([CRAWL_V1]))
    reasons = await play_and_judge(world, ArenaChat(CRAWL, seed=1, state_path=state), state, "reach level 2",
                                   crawler_player, lambda hero: hero["level"] >= 2)
    assert reasons[-1] == "goal holds: level 2" and true_state(state)["level"] == 2
    assert world.perception.knowledge.probe.text == "/hero" and world.perception.knowledge.reader.status == "trusted"


@pytest.mark.slow
async def test_reach_rank_ensign_in_void_trader_is_judged_through_its_profile_button(make_world,
                                                                                   tmp_path: Path) -> None:
    state = tmp_path / "trader.json"
    world = make_world(TRADER, Oracle([TRADER_V1]))
    reasons = await play_and_judge(world, ArenaChat(TRADER, seed=1, state_path=state), state, "reach rank Ensign",
                                   trader_player, lambda hero: hero["rank"] != "Cadet", max_presses=200)
    assert reasons[-1] == "goal holds: rank Ensign" and true_state(state)["rank"] == "Ensign"
    probe = world.perception.knowledge.probe
    assert (probe.kind, probe.text, probe.back) == ("press", "👤 Profile", "↩ Back")


@pytest.mark.slow
async def test_a_layout_change_mid_run_is_relearned_and_the_goal_still_judged_right(make_world,
                                                                                 tmp_path: Path) -> None:
    state = tmp_path / "crawl.json"
    world = make_world(CRAWL, Oracle([CRAWL_V1, CRAWL_V2]))
    chat = ArenaChat(CRAWL, seed=1, state_path=state, layout_change_after=16)
    reasons = await play_and_judge(world, chat, state, "reach level 2", crawler_player,
                                   lambda hero: hero["level"] >= 2)
    assert true_state(state)["layout"] == 2 and world.perception.relearned == 1
    statuses = [r.status for r in world.perception.knowledge.readers]
    assert statuses == ["trusted", "stopped-matching"] and reasons[-1] == "goal holds: level 2"


async def test_a_goal_word_the_game_does_not_use_is_mapped_by_meaning(make_world, tmp_path: Path) -> None:
    world = make_world(CRAWL, Oracle([CRAWL_V1], meanings={"gold": "coins"}))
    state = tmp_path / "crawl.json"
    async with connect(ArenaChat(CRAWL, seed=1, state_path=state)) as session:
        tools = SessionTools(session)
        await world.prepare(tools)
        check = await world.check(world.goal("have 50 gold"), tools)
        assert not check.achieved and not check.critic_judges
        assert check.progress["gold"] == check.progress["coins"] == true_state(state)["coins"]
        assert check.reason.startswith(f"not yet: gold {true_state(state)['coins']}")
        assert world.perception.knowledge.meanings == {"gold": "coins"}


async def test_a_goal_nothing_on_screen_measures_is_left_to_the_critic(make_world) -> None:
    world = make_world(CRAWL, Oracle([CRAWL_V1]))
    async with connect(ArenaChat(CRAWL, seed=1)) as session:
        tools = SessionTools(session)
        await world.prepare(tools)
        check = await world.check(world.goal("defeat Red Vex"), tools)
        assert check.critic_judges and not check.achieved and "measures 'defeated'" in check.reason
        assert [a["name"] for a in world.extra_actions()] == ["finish"]


async def test_a_silent_bot_stops_the_run_with_a_clear_reason(make_world) -> None:
    world = make_world(CRAWL, Oracle([]))
    async with connect(ArenaChat(CRAWL, seed=1, mode="silent")) as session:
        with pytest.raises(BotUnresponsive, match="has not answered /start"):
            await world.prepare(SessionTools(session))


async def test_a_bot_answering_garbage_is_left_to_the_critic_with_a_reason(make_world) -> None:
    oracle = Oracle([])
    world = make_world(CRAWL, oracle)
    async with connect(ArenaChat(CRAWL, seed=1, mode="garbage")) as session:
        tools = SessionTools(session)
        await world.prepare(tools)
        observation = await world.observe(tools)
        check = await world.check(world.goal("reach level 2"), tools)
    assert observation.choices["press_inline_button"]["button_text"]  # noise buttons are still buttons
    assert check.critic_judges and "no screen of this bot showed the player's standing" in check.reason
    assert oracle.written == 0 and world.perception.knowledge.probe is None
