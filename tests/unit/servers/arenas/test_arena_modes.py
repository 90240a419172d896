"""Misbehaving bots for the agent's bad-input handling: silent, garbage, flood."""

from __future__ import annotations

import pytest

from neuronaut.servers import chat_contract as contract
from neuronaut.servers.arenas.chat import ARENAS, ArenaChat
from neuronaut.servers.botchat.buttons import ChatError
from neuronaut.servers.botchat.modes import FLOOD_SIZE, with_mode
from neuronaut.servers.rpg.bot import DungeonBot
from tests.scenarios.arena_players import true_state
from tests.scenarios.rpg_scenario import structured
from tests.unit.servers.arenas.conftest import connect

BOTS = sorted(ARENAS)


def _bot_messages(chat: ArenaChat):
    return [m for m in chat.get_messages(chat.CHAT_ID, limit=100).messages if not m.outgoing]


@pytest.mark.parametrize("bot", BOTS)
def test_silent_bot_posts_nothing(bot, state_path):
    chat = ArenaChat(bot, state_path=state_path, mode="silent")
    chat.send_message(chat.CHAT_ID, "/start")
    chat.send_message(chat.CHAT_ID, "/help")
    assert _bot_messages(chat) == []


@pytest.mark.parametrize("bot", BOTS)
async def test_silent_bot_times_out_a_wait(bot, state_path):
    chat = ArenaChat(bot, state_path=state_path, mode="silent")
    async with connect(chat) as session:
        await session.call_tool(contract.SEND_MESSAGE, {"chat_id": chat.CHAT_ID, "text": "/start"})
        update = structured(
            await session.call_tool(contract.WAIT_FOR_UPDATE, {"chat_id": chat.CHAT_ID, "timeout_seconds": 0.1})
        )
    assert update["timed_out"] is True


@pytest.mark.parametrize("bot", BOTS)
def test_silent_bot_leaves_nothing_to_press(bot, state_path):
    chat = ArenaChat(bot, state_path=state_path, mode="silent")
    chat.send_message(chat.CHAT_ID, "/start")
    with pytest.raises(ChatError, match="No message has buttons"):
        chat.press_inline_button(chat.CHAT_ID, button_index=0)


@pytest.mark.parametrize("bot", BOTS)
def test_silent_bot_still_records_the_true_state(bot, state_path):
    chat = ArenaChat(bot, state_path=state_path, mode="silent")
    chat.send_message(chat.CHAT_ID, "/start")
    assert true_state(state_path)["level"] == 1 and chat.hero()["level"] == 1


@pytest.mark.parametrize("bot", BOTS)
def test_garbage_bot_answers_with_buttons_that_are_not_the_game(bot, state_path):
    normal = ArenaChat(bot)
    normal.send_message(normal.CHAT_ID, "/start")
    chat = ArenaChat(bot, state_path=state_path, mode="garbage")
    chat.send_message(chat.CHAT_ID, "/start")
    [answer] = _bot_messages(chat)
    assert answer.buttons and answer.text != _bot_messages(normal)[-1].text


@pytest.mark.parametrize("bot", BOTS)
def test_garbage_bot_presses_lead_to_more_garbage(bot, state_path):
    chat = ArenaChat(bot, state_path=state_path, mode="garbage")
    chat.send_message(chat.CHAT_ID, "/start")
    first = _bot_messages(chat)[-1].text
    result = chat.press_inline_button(chat.CHAT_ID, button_index=0)
    assert result.callback_answer and _bot_messages(chat)[-1].text != first


@pytest.mark.parametrize("bot", BOTS)
def test_garbage_bot_never_moves_the_hero(bot, state_path):
    chat = ArenaChat(bot, state_path=state_path, mode="garbage")
    chat.send_message(chat.CHAT_ID, "/start")
    for _ in range(5):
        chat.press_inline_button(chat.CHAT_ID, button_index=0)
    assert true_state(state_path) == ArenaChat(bot).hero()


def test_garbage_is_the_same_for_the_same_seed():
    texts = []
    for _ in range(2):
        chat = ArenaChat(BOTS[0], seed=9, mode="garbage")
        chat.send_message(chat.CHAT_ID, "/start")
        texts.append(_bot_messages(chat)[-1].text)
    assert texts[0] == texts[1]


@pytest.mark.parametrize("bot", BOTS)
def test_flood_buries_the_screen_under_a_burst(bot, state_path):
    chat = ArenaChat(bot, state_path=state_path, mode="flood")
    chat.send_message(chat.CHAT_ID, "/start")
    page = chat.get_messages(chat.CHAT_ID).messages
    assert len(_bot_messages(chat)) == 1 + FLOOD_SIZE and not any(m.buttons for m in page)


@pytest.mark.parametrize("bot", BOTS)
def test_flood_bot_still_plays_the_game(bot, state_path):
    chat = ArenaChat(bot, state_path=state_path, mode="flood")
    chat.send_message(chat.CHAT_ID, "/start")
    buttons = chat.list_inline_buttons(chat.CHAT_ID).buttons
    chat.press_inline_button(chat.CHAT_ID, button_text=buttons[0].text)
    assert true_state(state_path)["actions"] == 2


def test_unknown_mode_names_the_modes():
    with pytest.raises(ChatError, match="normal, silent, garbage, flood"):
        ArenaChat(BOTS[0], mode="sleepy")


def test_modes_wrap_dungeon_quest_too():
    silent = with_mode(DungeonBot(1), "silent")
    reply = silent.on_command("/start")
    assert reply.screen is None and reply.notices == [] and silent.game.level == 1


@pytest.mark.parametrize("bot", BOTS)
def test_a_misbehaving_bot_resumes_from_its_state_file(bot, state_path):
    chat = ArenaChat(bot, state_path=state_path, mode="garbage")
    chat.send_message(chat.CHAT_ID, "/start")
    chat.press_inline_button(chat.CHAT_ID, button_index=0)
    again = ArenaChat(bot, state_path=state_path, mode="garbage")
    again.press_inline_button(again.CHAT_ID, button_index=0)
    assert again.bot.actions == 3 and _bot_messages(again)[-1].text != _bot_messages(chat)[-1].text
