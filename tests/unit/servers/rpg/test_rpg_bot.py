"""The bot's screens: what each button shows and leads to."""

from __future__ import annotations

import pytest

from neuronaut.servers.rpg.bot import DungeonBot
from neuronaut.servers.rpg.game import Foe
from neuronaut.servers.rpg.status import parse_potions, parse_status


@pytest.fixture
def bot() -> DungeonBot:
    bot = DungeonBot(seed=1)
    bot.on_command("/start")
    return bot


def _labels(reply) -> list[str]:
    return [b.text for row in reply.screen.keyboard for b in row]


def test_town_offers_areas_and_services(bot):
    labels = _labels(bot.on_command("/start"))
    assert labels == ["🌲 Forest", "🔒 Caves (Lv 3)", "🔒 Peak (Lv 6)", "🛏️ Inn (5g)", "🛒 Shop", "📜 Quests"]


def test_fight_offers_the_four_moves(bot):
    bot.game.location, bot.game.foe = "forest", Foe("slime", 6, 6, 3, 0, 4, 2)
    assert _labels(bot.on_command("/start")) == ["⚔️ Attack", "🛡️ Defend", "🧪 Potion", "🏃 Flee"]


def test_shop_lists_prices(bot):
    assert "🧪 Potion (8g)" in _labels(bot.on_callback("shop"))


def test_buying_a_potion_shows_in_the_status_line(bot):
    bot.on_callback("shop")
    reply = bot.on_callback("buy:potion")
    assert parse_potions(reply.screen.text) == 2 and parse_status(reply.screen.text)["gold"] == 2


def test_buying_keeps_the_shop_open(bot):
    bot.on_callback("shop")
    assert "💰 Sell" in _labels(bot.on_callback("buy:potion"))


def test_sell_screen_lists_what_you_own(bot):
    bot.game.items = ["leather"]
    assert "🦺 Leather Armour (+12g)" in _labels(bot.on_callback("sell"))


def test_accepting_a_quest_shows_up_in_status(bot):
    bot.on_callback("quests")
    bot.on_callback("quest:slimes")
    assert "Slime Trouble 0/3" in bot.on_command("/status").notices[0]


def test_death_returns_to_the_town_screen(bot):
    bot.game.location, bot.game.hp = "forest", 1
    bot.game.foe = Foe("wolf", 50, 50, 40, 0, 6, 3)
    reply = bot.on_callback("def")
    assert "💀" in reply.screen.text and "🛒 Shop" in _labels(reply)


def test_unknown_callback_is_answered_with_an_alert(bot):
    reply = bot.on_callback("warp:moon")
    assert reply.alert and reply.screen is None


def test_help_lists_the_commands(bot):
    assert "/inventory" in bot.on_command("/help").notices[0]
