"""Void Trader: a bridge menu, status behind 👤 Profile, re-sent screens, energy, ranks."""

from __future__ import annotations

import json

from neuronaut.servers import chat_contract as contract
from neuronaut.servers.arenas.chat import ArenaChat
from tests.scenarios.arena_players import play_until, trader_player, true_state
from tests.unit.servers.arenas.conftest import TRADER, connect, latest, screen

CHAT = 777000101


def _labels(message) -> list[str]:
    return [b.text for b in message.buttons]


def test_start_opens_the_bridge_with_a_profile_button(trader):
    assert _labels(latest(trader)) == [
        "⛏ Mine (2⚡)", "🏴‍☠️ Patrol (3⚡)", "🎯 Bounties", "💤 Rest", "🚀 Dock", "👤 Profile",
    ]


def test_start_screen_shows_no_rank(trader):
    assert "Rank" not in latest(trader).text and "Energy 10/10" in latest(trader).text


def test_help_explains_only_the_commands(trader):
    trader.send_message(CHAT, "/help")
    assert latest(trader).text.splitlines()[-2:] == ["/start – open the bridge", "/help – this text"]


def test_there_is_no_status_command(trader):
    trader.send_message(CHAT, "/status")
    assert latest(trader).text == "Unknown order. Use the buttons, or /help."


def test_profile_shows_rank_progress_and_credits(trader):
    trader.press_inline_button(CHAT, button_text="Profile")
    text = latest(trader).text
    assert "Rank: Cadet" in text and "Progress to Ensign: ░░░░░░░░░░ 0%" in text and "Credits: 20 ¢" in text


def test_a_press_re_sends_the_screen_as_a_new_message(trader):
    before = latest(trader)
    result = trader.press_inline_button(CHAT, button_text="Profile")
    after = latest(trader)
    assert result.message_id == before.id and after.id > before.id and after.buttons


def test_the_old_screen_loses_its_buttons(trader):
    before = latest(trader)
    trader.press_inline_button(CHAT, button_text="Profile")
    kinds = [(u.kind, u.message.id) for u in trader.updates_after(trader.reaction_watermark)]
    assert kinds == [("new", before.id + 1), ("edited", before.id)]


def test_mining_spends_energy(trader):
    trader.press_inline_button(CHAT, button_text="Mine")
    assert true_state(trader.state_path)["energy"] == 8


def test_no_energy_refuses_with_an_alert_naming_rest(trader):
    trader.bot.pilot.energy = 1
    result = trader.press_inline_button(CHAT, button_text="Mine")
    assert result.alert and "Rest" in result.callback_answer


def test_rest_recharges_energy(trader):
    trader.bot.pilot.energy = 1
    trader.press_inline_button(CHAT, button_text="Rest")
    assert true_state(trader.state_path)["energy"] == 5


def test_named_pirates_are_locked_for_a_cadet(trader):
    trader.press_inline_button(CHAT, button_text="Bounties")
    assert "🔒 Red Vex (Ensign)" in _labels(screen(trader))


def test_promotion_is_announced(trader):
    trader.bot.pilot.merit = 24
    trader.bot.pilot.energy = 10
    trader.press_inline_button(CHAT, button_text="Mine")
    texts = [m.text for m in trader.get_messages(CHAT, limit=3).messages]
    assert "🎖 Promotion! You are now Ensign." in texts


def test_layout_changes_after_the_set_number_of_actions(state_path):
    chat = ArenaChat(TRADER, seed=1, state_path=state_path, layout_change_after=3)
    chat.send_message(CHAT, "/start")
    chat.press_inline_button(CHAT, button_text="Profile")
    first = screen(chat).text
    chat.press_inline_button(CHAT, button_text="Back")
    chat.press_inline_button(CHAT, button_text="Profile")
    assert first.startswith("👤 Pilot profile") and screen(chat).text.startswith("🪪 PILOT DOSSIER")


def test_second_layout_still_shows_rank_and_credits(state_path):
    chat = ArenaChat(TRADER, seed=1, state_path=state_path, layout_change_after=0)
    chat.send_message(CHAT, "/start")
    chat.press_inline_button(CHAT, button_text="Profile")
    lines = screen(chat).text.splitlines()
    assert lines[1:3] == ["Cadet ▸ Ensign [0%]", "Wallet 20¢ | Hull 20/20 | Shield 5/5 | ⚡10"]


def test_state_file_records_the_layout(state_path):
    chat = ArenaChat(TRADER, seed=1, state_path=state_path, layout_change_after=1)
    chat.send_message(CHAT, "/start")
    assert json.loads(state_path.read_text())["hero"]["layout"] == 2


def test_same_seed_same_game(tmp_path):
    transcripts = []
    for run in range(2):
        chat = ArenaChat(TRADER, seed=5, state_path=tmp_path / f"{run}.json")
        chat.send_message(CHAT, "/start")
        for _ in range(6):
            chat.press_inline_button(CHAT, button_index=0)
        transcripts.append([m.text for m in chat.get_messages(CHAT, limit=100).messages])
    assert transcripts[0] == transcripts[1]


def test_game_resumes_from_its_state_file(trader, state_path):
    trader.press_inline_button(CHAT, button_text="Mine")
    again = ArenaChat(TRADER, seed=1, state_path=state_path)
    assert again.hero() == trader.hero() and latest(again).text == latest(trader).text


async def test_a_sensible_player_is_promoted_within_forty_presses(state_path):
    chat = ArenaChat(TRADER, seed=2, state_path=state_path)
    async with connect(chat) as session:
        presses = await play_until(session, CHAT, trader_player, state_path, lambda hero: hero["rank"] == "Ensign")
    assert presses <= 40 and true_state(state_path)["level"] == 2


async def test_pressing_an_old_screen_is_an_error_naming_the_current_one(state_path):
    chat = ArenaChat(TRADER, seed=1, state_path=state_path)
    async with connect(chat) as session:
        await session.call_tool(contract.SEND_MESSAGE, {"chat_id": CHAT, "text": "/start"})
        first = latest(chat).id
        await session.call_tool(contract.PRESS_INLINE_BUTTON, {"chat_id": CHAT, "button_text": "Profile"})
        result = await session.call_tool(
            contract.PRESS_INLINE_BUTTON, {"chat_id": CHAT, "message_id": first, "button_text": "Mine"}
        )
    assert result.isError and f"on message {first + 1}" in result.content[0].text
