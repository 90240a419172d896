"""Crypt Crawl: one screen edited in place, /hero and /bag as text, stance-then-confirm fights."""

from __future__ import annotations

from neuronaut.servers.arenas.chat import ArenaChat
from neuronaut.servers.arenas.crawler import game as g
from tests.scenarios.arena_players import crawler_player, play_until, true_state
from tests.unit.servers.arenas.conftest import CRAWL, connect, latest, screen

CHAT = 777000102


def _labels(message) -> list[str]:
    return [b.text for b in message.buttons]


def _fight(chat: ArenaChat, intent: str = "circles") -> None:
    """Go down one level and stand before a rat with the given intent (/start shows the screen as it is)."""
    chat.press_inline_button(CHAT, button_text="Descend")
    chat.bot.hero_state.foe = g.Foe(depth=1, hp=5, intent=intent)
    chat.send_message(CHAT, "/start")


def test_start_shows_the_surface_and_its_buttons(crawl):
    assert _labels(latest(crawl)) == ["Descend", "Trader", "Sleep"]


def test_start_screen_shows_no_level(crawl):
    assert "LVL" not in latest(crawl).text and "Level" not in latest(crawl).text


def test_help_lists_the_commands_tersely(crawl):
    crawl.send_message(CHAT, "/help")
    assert latest(crawl).text == "Crypt Crawl.\n/start – begin\n/hero – you\n/bag – your things\n/help – this"


def test_a_press_edits_the_screen_in_place(crawl):
    before = latest(crawl)
    crawl.press_inline_button(CHAT, button_text="Descend")
    after = screen(crawl)
    assert after.id == before.id and after.edit_date is not None and "Depth 1." in after.text


def test_a_press_posts_no_new_message(crawl):
    before = crawl.get_messages(CHAT, limit=100).messages
    crawl.press_inline_button(CHAT, button_text="Descend")
    assert len(crawl.get_messages(CHAT, limit=100).messages) == len(before)


def test_hero_command_answers_with_a_card(crawl):
    crawl.send_message(CHAT, "/hero")
    assert latest(crawl).text.splitlines()[:3] == ["HERO", "LVL 1 | EXP 0/20", "HP 12/12"]


def test_bag_lists_the_items(crawl):
    crawl.send_message(CHAT, "/bag")
    assert latest(crawl).text == "Bag: herb, torch"


def test_choosing_a_stance_asks_for_confirmation(crawl):
    _fight(crawl)
    crawl.press_inline_button(CHAT, button_text="Strike")
    assert screen(crawl).text.endswith("Stance: strike. Confirm?") and _labels(screen(crawl)) == ["Go", "Change"]


def test_change_goes_back_to_the_stances(crawl):
    _fight(crawl)
    crawl.press_inline_button(CHAT, button_text="Guard")
    crawl.press_inline_button(CHAT, button_text="Change")
    assert _labels(screen(crawl)) == ["Strike", "Guard", "Feint", "Flee", "Herb"]


def test_the_answering_stance_takes_no_damage(crawl):
    _fight(crawl, intent="braces")
    crawl.press_inline_button(CHAT, button_text="Feint")
    crawl.press_inline_button(CHAT, button_text="Go")
    assert true_state(crawl.state_path)["hp"] == 12 and "Clean read." in screen(crawl).text


def test_the_wrong_stance_is_hit_harder_by_a_wind_up(crawl):
    _fight(crawl, intent="winds up")
    crawl.bot.hero_state.foe.hp = 50  # survives the round
    crawl.press_inline_button(CHAT, button_text="Strike")
    crawl.press_inline_button(CHAT, button_text="Go")
    assert true_state(crawl.state_path)["hp"] == 12 - 4


def test_dying_costs_half_the_coins(crawl):
    _fight(crawl, intent="winds up")
    crawl.bot.hero_state.hp = 1
    crawl.bot.hero_state.foe.hp = 50
    crawl.press_inline_button(CHAT, button_text="Feint")
    crawl.press_inline_button(CHAT, button_text="Go")
    hero = true_state(crawl.state_path)
    assert (hero["coins"], hero["depth"], hero["hp"]) == (2, 0, 12) and "coins lost" in screen(crawl).text


def test_the_first_warden_bars_the_way_down(crawl):
    crawl.bot.hero_state.depth = 3
    crawl.send_message(CHAT, "/start")
    assert "Gate" in _labels(screen(crawl)) and "Deeper" not in _labels(screen(crawl))


def test_the_gate_starts_the_warden_fight(crawl):
    crawl.bot.hero_state.depth = 3
    crawl.send_message(CHAT, "/start")
    crawl.press_inline_button(CHAT, button_text="Gate")
    assert screen(crawl).text.startswith("The Bone Warden rises.\nBone Warden (22hp)")


def test_layout_of_the_hero_card_changes_after_the_set_number_of_actions(state_path):
    chat = ArenaChat(CRAWL, seed=1, state_path=state_path, layout_change_after=3)
    chat.send_message(CHAT, "/start")
    chat.send_message(CHAT, "/hero")
    first = latest(chat).text
    chat.send_message(CHAT, "/hero")
    assert first.startswith("HERO\nLVL 1 | EXP 0/20")
    assert latest(chat).text.startswith("~ Adventurer ~\nLevel: 1 (0/20 exp)")


def test_same_seed_same_game(tmp_path):
    transcripts = []
    for run in range(2):
        chat = ArenaChat(CRAWL, seed=4, state_path=tmp_path / f"{run}.json")
        chat.send_message(CHAT, "/start")
        chat.press_inline_button(CHAT, button_text="Descend")
        for _ in range(8):
            chat.press_inline_button(CHAT, button_index=0)
            transcripts.append(screen(chat).text)
    assert transcripts[:8] == transcripts[8:]


async def test_a_sensible_player_reaches_level_two_within_forty_presses(state_path):
    chat = ArenaChat(CRAWL, seed=2, state_path=state_path)
    async with connect(chat) as session:
        presses = await play_until(session, CHAT, crawler_player, state_path, lambda hero: hero["level"] >= 2)
    assert presses <= 40 and true_state(state_path)["exp_needed"] == 35
