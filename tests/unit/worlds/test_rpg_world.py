"""The RPG world's observation and goal checker, over the simulator's chat (no MCP, no model)."""

from typing import Any

import pytest

from neuronaut.errors import UserError
from neuronaut.servers.rpg.chat import ChatError, SimulatedChat
from neuronaut.tools.types import ToolOutcome
from neuronaut.worlds.rpg.goals import parse_goal
from neuronaut.worlds.rpg.world import RpgWorld


class ChatTools:
    """Calls SimulatedChat the way the MCP server would, returning structured outcomes."""

    def __init__(self, chat: SimulatedChat) -> None:
        self.chat = chat

    async def call(self, name: str, args: dict[str, Any]) -> ToolOutcome:
        try:
            result = getattr(self.chat, name)(**args)
        except ChatError as exc:
            return ToolOutcome.failure(name, args, str(exc))
        return ToolOutcome(tool=name, args=args, ok=True, structured=result.model_dump())


@pytest.fixture
def world() -> RpgWorld:
    return RpgWorld()


@pytest.fixture
async def tools(world: RpgWorld) -> ChatTools:
    tools = ChatTools(SimulatedChat(seed=1))
    await world.prepare(tools)
    return tools


@pytest.mark.parametrize(("goal", "kind", "target"), [
    ("reach level 2", "level", 2), ("Reach  Level 10", "level", 10), ("have 50 gold", "gold", 50),
    ("collect at least 30 gold", "gold", 30), ("defeat the first boss", "boss", "first"),
    ("beat the Goblin King", "boss", "goblin king"), ("own an iron sword", "item", "iron sword"),
])
def test_goal_forms(goal: str, kind: str, target: Any) -> None:
    parsed = parse_goal(goal)
    assert (parsed.kind, parsed.target) == (kind, target)


@pytest.mark.parametrize(("goal", "progress", "holds"), [
    ("defeat the first boss", {"level": 12, "bosses": ["Goblin King"]}, True),
    ("own an Iron Sword", {"level": 12, "items": ["Potion", "Iron Sword"]}, True),
    ("reach level 9", {"level": 8, "bosses": ["Goblin King"]}, False),
    ("defeat the first boss", {"level": 12, "xp": 3}, None),  # a level goal's reading lists no bosses
    ("check the hero's status", {"level": 12}, None),  # no goal the checker knows
])
def test_a_goal_is_judged_from_another_goals_reading_only_when_it_says_enough(
        world: RpgWorld, goal: str, progress: dict[str, Any], holds: bool | None) -> None:
    assert world.goal(goal).holds(progress) is holds


def test_every_boss_goal_is_of_one_family_and_a_goal_it_cannot_check_of_none() -> None:
    world = RpgWorld()

    assert world.goal("defeat the first boss").kind == world.goal("Defeat the Crystal Golem").kind == "boss"
    assert world.goal("own Chain Mail").kind == "item"
    assert world.goal("write a poem").kind == ""


def test_the_shop_offers_potions_and_gear_better_than_the_best_owned(world: RpgWorld) -> None:
    assert world.skill_choices({"items": ["Potion", "Iron Sword"]}) == {
        "skill:buy": {"item": ["Potion", "Steel Sword", "Leather Armour", "Chain Mail"]}}
    everything = ["Potion", "Iron Sword", "Leather Armour", "Steel Sword", "Chain Mail"]
    assert world.skill_choices({"items": everything}) == {"skill:buy": {"item": ["Potion"]}}
    assert world.skill_choices({"items": ["Chain Mail"]})["skill:buy"]["item"] == ["Potion", "Iron Sword",
                                                                                  "Steel Sword"]


def test_a_hero_carrying_the_most_potions_is_offered_none_and_with_all_gear_no_buy_at_all(world: RpgWorld) -> None:
    assert world.skill_choices({"items": ["Potion"], "potions": 9})["skill:buy"]["item"] == [
        "Iron Sword", "Steel Sword", "Leather Armour", "Chain Mail"]
    everything = ["Potion", "Steel Sword", "Chain Mail"]
    assert world.skill_choices({"items": everything, "potions": 9}) == {"skill:buy": {"item": []}}
    assert world.skill_choices({"items": everything, "potions": 8}) == {"skill:buy": {"item": ["Potion"]}}
    assert world.skill_choices({"level": 4, "potions": 9})["skill:buy"]["item"] == [  # a level goal: no inventory
        "Iron Sword", "Steel Sword", "Leather Armour", "Chain Mail"]


def test_the_shop_offers_only_what_the_gold_pays_for(world: RpgWorld) -> None:
    assert world.skill_choices({"items": ["Potion"], "gold": 30})["skill:buy"]["item"] == [
        "Potion", "Iron Sword", "Leather Armour"]
    assert world.skill_choices({"level": 2, "gold": 7, "potions": 1}) == {"skill:buy": {"item": []}}


def test_without_an_inventory_or_status_reading_every_ware_stays_on_offer(world: RpgWorld) -> None:
    assert world.skill_choices({"level": 13}) == {}


def test_unknown_goal_names_the_forms() -> None:
    with pytest.raises(UserError, match="reach level N"):
        parse_goal("write a sonnet")


async def test_prepare_starts_the_game_once(world: RpgWorld, tools: ChatTools) -> None:
    await world.prepare(tools)
    assert len(tools.chat.get_messages(world.chat_id, 20).messages) == 2  # /start and one screen


async def test_observation_shows_the_screen_and_offers_its_buttons(world: RpgWorld, tools: ChatTools) -> None:
    observation = await world.observe(tools)
    assert "Town" in observation.text and "[🌲 Forest]" in observation.text
    assert "🌲 Forest" in observation.choices["press_inline_button"]["button_text"]


async def test_stale_replies_are_not_news_after_the_screen_changes(world: RpgWorld, tools: ChatTools) -> None:
    tools.chat.send_message(world.chat_id, "/status")
    assert "Bot said: " in (await world.observe(tools)).text
    await _press_later(tools, world, "🌲 Forest")
    assert "Bot said" not in (await world.observe(tools)).text


async def test_checker_reads_the_level_from_the_chat(world: RpgWorld, tools: ChatTools) -> None:
    check = await world.check(world.goal("reach level 1"), tools)
    assert check.achieved and check.progress["level"] == 1
    assert check.progress["potions"] == 1  # from the status line, without asking for the inventory
    assert not (await world.check(world.goal("reach level 2"), tools)).achieved


async def test_checker_says_how_far_a_level_or_gold_goal_still_is(world: RpgWorld, tools: ChatTools) -> None:
    start = await world.check(world.goal("reach level 3"), tools)
    assert start.distance == 2.0  # level 1, no XP yet
    for button in ("🌲 Forest", "🔍 Explore", *["⚔️ Attack"] * 4):  # seed 1: a Goblin that falls at the 4th hit
        await _press_later(tools, world, button)
    check = await world.check(world.goal("reach level 3"), tools)
    assert check.progress["xp"] == 8 and check.progress["xp_next"] == 10
    assert check.distance == pytest.approx(2 - 8 / 10)
    assert (await world.check(world.goal("have 25 gold"), tools)).distance == 25 - check.progress["gold"]
    assert (await world.check(world.goal("reach level 1"), tools)).distance == 0.0
    assert (await world.check(world.goal("own a golden crown"), tools)).distance is None


def test_a_boss_is_the_levels_to_where_it_is_fought_from_plus_the_fight() -> None:
    goblin_king = parse_goal("defeat the first boss")  # gate at level 4, fought from level 5

    assert goblin_king.distance({"level": 3, "xp": 5, "xp_next": 10}) == pytest.approx(1 + 2 - 0.5)
    assert goblin_king.distance({"level": 5, "xp": 5, "xp_next": 10}) == 1.0  # only the fight is left
    assert goblin_king.distance({"level": 8}) == 1.0
    assert parse_goal("defeat the Crystal Golem").distance({"level": 5}) == 1 + 8 - 5
    assert parse_goal("defeat the Sea Serpent").distance({"level": 5}) is None  # no such boss in the game


async def test_checker_asks_for_inventory_when_the_goal_needs_items(world: RpgWorld, tools: ChatTools) -> None:
    check = await world.check(world.goal("own a golden crown"), tools)
    assert not check.achieved and "items" in check.progress
    assert check.progress["potions"] == 1  # a new game's one potion: what the shop's limit is counted against


async def _press_later(tools: ChatTools, world: RpgWorld, button: str) -> None:
    import asyncio

    await asyncio.sleep(1.1)  # dates have one-second resolution, as Telegram's do
    tools.chat.press_inline_button(world.chat_id, button_text=button)


async def test_the_hero_is_hurt_below_half_hp(world: RpgWorld, tools: ChatTools) -> None:
    assert not await world.condition("hurt", tools)  # 20/20
    tools.chat.bot.game.hp = 9
    await _press_later(tools, world, "🌲 Forest")  # the screen shows ❤️ 9/20
    assert await world.condition("hurt", tools)
    assert not await world.condition("rich", tools)  # a name the world does not know


class Messages:
    """A chat whose get_messages answers with fixed messages."""

    def __init__(self, *messages: dict[str, Any]) -> None:
        self.messages = list(messages)

    async def call(self, name: str, args: dict[str, Any]) -> ToolOutcome:
        return ToolOutcome(tool=name, args=args, ok=True, structured={"messages": self.messages})


async def test_within_one_second_the_game_screen_holds_the_current_status(world: RpgWorld) -> None:
    second = "2026-11-22T20:22:48+00:00"
    screen = {"id": 2, "date": second, "edit_date": second, "buttons": [{"text": "🔍 Explore"}],
              "text": "🌲 Forest\n\n❤️ 5/26 · Lv 2 · XP 12/35 · 💰 19"}
    level_up = {"id": 3, "date": second, "text": "🎉 Level up!\n❤️ 26/26 · Lv 2 · XP 4/35 · 💰 13"}

    check = await world.check(world.goal("have 100 gold"), Messages(screen, level_up))

    assert check.progress["hp"] == 5 and check.progress["gold"] == 19
    assert await world.condition("hurt", Messages(screen, level_up))


def _bury_the_screen(tools: ChatTools, world: RpgWorld) -> None:
    """Ten and more messages after the game screen: the checker's own /status and /inventory do this."""
    for _ in range(3):
        for command in ("/status", "/inventory"):
            tools.chat.send_message(world.chat_id, command)


async def test_a_screen_pushed_out_of_view_by_replies_is_posted_again(world: RpgWorld, tools: ChatTools) -> None:
    _bury_the_screen(tools, world)

    observation = await world.observe(tools)

    assert "🌲 Forest" in observation.choices["press_inline_button"]["button_text"]
    assert "Game screen:" in observation.text
    assert "Bot said: 🎒 Inventory" in observation.text  # what the bot said since the screen went is still news


async def test_a_hunt_after_the_screen_scrolled_away_is_read_from_the_screen(world: RpgWorld, tools: ChatTools) -> None:
    _bury_the_screen(tools, world)  # the /status replies read XP 0
    for button in ("🌲 Forest", "🔍 Explore", *["⚔️ Attack"] * 4):  # seed 1: a Goblin that falls at the 4th hit
        await _press_later(tools, world, button)  # the buried screen is edited; no new message is posted

    check = await world.check(world.goal("reach level 3"), tools)

    assert check.progress["xp"] == tools.chat.bot.game.xp == 8
    assert check.distance == pytest.approx(2 - 8 / 10)


async def test_a_screen_still_in_view_is_not_posted_again(world: RpgWorld, tools: ChatTools) -> None:
    tools.chat.send_message(world.chat_id, "/status")
    count = len(tools.chat.get_messages(world.chat_id, 50).messages)

    await world.observe(tools)
    await world.check(world.goal("reach level 2"), tools)

    assert len(tools.chat.get_messages(world.chat_id, 50).messages) == count


def test_a_boss_button_stays_when_nothing_else_would_be_left_to_press() -> None:
    choices = {"press_inline_button": {"button_text": ["👑 Goblin King"]}}

    kept, closed = RpgWorld().menu(choices, {"press_inline_button", "skill:fight-boss"})

    assert kept == choices and not closed


def test_out_of_a_fight_every_skill_stays_on_the_menu() -> None:
    choices = {"press_inline_button": {"button_text": ["🌲 Forest", "🛏️ Inn (5g)", "🛒 Shop"]}}

    kept, closed = RpgWorld().menu(choices, {"press_inline_button", "skill:rest", "skill:buy"})

    assert kept == choices and closed == frozenset()
