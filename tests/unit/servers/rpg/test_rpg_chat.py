"""The simulated Telegram chat: messages, edits, the update log, toasts, errors."""

from __future__ import annotations

import pytest

from neuronaut.servers.rpg.chat import ChatError, SimulatedChat
from neuronaut.servers.rpg.status import parse_status

CHAT = SimulatedChat.CHAT_ID


def _latest(chat: SimulatedChat):
    return chat.get_messages(CHAT, limit=1).messages[-1]


def test_the_only_chat_is_the_game_bot(chat):
    [only] = chat.list_chats().chats
    assert (only.id, only.username, only.type) == (CHAT, "@dungeon_quest_bot", "bot")


def test_results_are_marked_untrusted(started):
    assert started.get_messages(CHAT).untrusted is True


def test_chat_starts_empty(chat):
    assert chat.get_messages(CHAT).messages == []


def test_start_answers_with_a_keyboard(started):
    assert _latest(started).buttons


def test_every_screen_shows_a_status_line(started):
    assert parse_status(_latest(started).text)["level"] == 1


def test_chat_accepts_username_and_string_id(started):
    assert started.get_messages("@dungeon_quest_bot").chat_id == started.get_messages(str(CHAT)).chat_id


def test_unknown_chat_names_the_valid_one(chat):
    with pytest.raises(ChatError, match="@dungeon_quest_bot"):
        chat.get_messages("@someone_else")


def test_press_edits_the_message_in_place(started):
    screen = _latest(started)
    result = started.press_inline_button(CHAT, button_text="Forest")
    edited = _latest(started)
    assert (result.message_id, edited.id) == (screen.id, screen.id)
    assert edited.edit_date is not None and "Forest" in edited.text


def test_press_returns_a_toast(started):
    assert started.press_inline_button(CHAT, button_text="Forest").callback_answer == "Forest"


def test_refused_press_is_an_alert_without_an_edit(started):
    before = started.last_update_id
    result = started.press_inline_button(CHAT, button_text="Caves")
    assert result.alert and "level 3" in result.callback_answer
    assert started.last_update_id == before


def test_update_log_records_new_and_edited(started):
    started.press_inline_button(CHAT, button_text="Forest")
    kinds = [u.kind for u in started.updates_after(0)]
    assert kinds == ["new", "new", "edited"]  # our /start, the bot's screen, the edit


def test_press_watermark_points_before_the_reaction(started):
    result = started.press_inline_button(CHAT, button_text="Forest")
    [reaction] = started.updates_after(result.last_update_id)
    assert reaction.kind == "edited" and reaction.message.id == result.message_id


def test_status_command_answers_with_parseable_text(started):
    started.send_message(CHAT, "/status")
    assert parse_status(_latest(started).text)["gold"] == 10


def test_inventory_command_lists_potions(started):
    started.send_message(CHAT, "/inventory")
    assert "Potions: 1" in _latest(started).text


def test_unknown_text_gets_a_hint(started):
    started.send_message(CHAT, "hello bot")
    assert "/start" in _latest(started).text


def test_commands_before_start_ask_for_start(chat):
    chat.send_message(CHAT, "/status")
    assert "/start" in _latest(chat).text


def test_second_start_moves_the_keyboard(started):
    old = _latest(started).id
    started.send_message(CHAT, "/start")
    assert started.list_inline_buttons(CHAT).message_id != old
    assert started.get_messages(CHAT).messages[old - 1].buttons == []


def test_pressing_an_outdated_message_names_the_current_one(started):
    old = _latest(started).id
    started.send_message(CHAT, "/start")
    with pytest.raises(ChatError, match="has no buttons.*current buttons are on message"):
        started.press_inline_button(CHAT, message_id=old, button_index=0)


def test_buttons_before_start_say_to_send_start(chat):
    with pytest.raises(ChatError, match="/start"):
        chat.list_inline_buttons(CHAT)


def test_empty_message_is_refused(started):
    with pytest.raises(ChatError, match="empty"):
        started.send_message(CHAT, "  ")


def test_callback_data_press_matches_a_text_press(started):
    message_id = _latest(started).id
    data = started.button_callback_data(message_id, 0)
    assert started.press_callback_data(message_id, data).button.text == "🌲 Forest"


def test_unknown_callback_data_is_refused(started):
    with pytest.raises(ChatError, match="no button with that data"):
        started.press_callback_data(_latest(started).id, b"cheat:gold")


def test_level_up_posts_a_new_message(started):
    started.bot.game.xp = 9  # one more slime is enough
    started.press_inline_button(CHAT, button_text="Forest")
    while started.bot.game.level == 1:
        label = "Attack" if started.bot.game.foe else "Explore"
        started.press_inline_button(CHAT, button_text=label)
    assert _latest(started).buttons == [] and "Level up" in _latest(started).text


def test_unread_count_drops_after_reading(started):
    assert started.list_chats().chats[0].unread_count == 1
    started.get_messages(CHAT)
    assert started.list_chats().chats[0].unread_count == 0
