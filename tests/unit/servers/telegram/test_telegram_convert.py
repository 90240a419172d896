"""Real Telethon TL objects, as they come off the wire, become the contract's models."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telethon.tl import types

from neuronaut.servers.chat_contract import Chat
from neuronaut.servers.telegram import convert
from neuronaut.servers.telegram import standin_tl as tl

SELF_ID = 1000
BOT_ID = 2000
DATE = datetime(2025, 3, 1, 12, 30, 5, tzinfo=UTC)
BOT_CHAT = Chat(id=BOT_ID, title="Dungeon Quest", username="@dungeon_quest_bot", type="bot")


def bot_message(**fields):
    base = dict(message_id=7, peer_user_id=BOT_ID, self_id=SELF_ID, text="Pick one", date=DATE, outgoing=False)
    return tl.message(**(base | fields))


def test_inline_keyboard_buttons_are_numbered_row_by_row() -> None:
    rows = [[("⚔️ Attack", b"fight:attack"), ("🏃 Flee", b"fight:flee")], [("🧪 Potion", b"fight:potion")]]
    buttons = convert.to_buttons(bot_message(reply_markup=tl.inline_markup(rows)))
    assert [(b.index, b.text, b.row, b.column) for b in buttons] == [
        (0, "⚔️ Attack", 0, 0),
        (1, "🏃 Flee", 0, 1),
        (2, "🧪 Potion", 1, 0),
    ]


def test_raw_button_keeps_the_callback_data_bytes() -> None:
    message = bot_message(reply_markup=tl.inline_markup([[("A", b"a")], [("B", b"\x00\xffb")]]))
    assert convert.raw_button(message, 1).type.data == b"\x00\xffb"


def test_reply_keyboard_is_not_an_inline_keyboard() -> None:
    reply = types.ReplyKeyboardMarkup(
        rows=[types.KeyboardButtonRow(buttons=[types.KeyboardButton(text="Yes", type=types.ButtonTypeDefault())])]
    )
    assert convert.to_buttons(tl.over_the_wire(bot_message(reply_markup=reply))) == []


def test_button_labels_are_sanitised() -> None:
    message = bot_message(reply_markup=tl.inline_markup([[("Attack\u200b\u202e", b"x")]]))
    assert convert.to_buttons(message)[0].text == "Attack"


def test_incoming_private_message_is_from_the_chat() -> None:
    converted = convert.to_message(bot_message(), BOT_CHAT)
    assert (converted.chat_id, converted.sender, converted.outgoing) == (BOT_ID, "Dungeon Quest", False)


def test_outgoing_message_is_from_me() -> None:
    converted = convert.to_message(bot_message(outgoing=True, text="/start"), BOT_CHAT)
    assert (converted.sender, converted.outgoing, converted.text) == ("me", True, "/start")


def test_dates_are_iso_utc() -> None:
    edited = bot_message(edit_date=datetime(2025, 3, 1, 12, 31, tzinfo=UTC))
    converted = convert.to_message(edited, BOT_CHAT)
    assert (converted.date, converted.edit_date) == ("2025-03-01T12:30:05+00:00", "2025-03-01T12:31:00+00:00")


def test_message_text_is_sanitised() -> None:
    assert convert.to_message(bot_message(text="go\u200b\u2066 north\x00"), BOT_CHAT).text == "go north"


def test_media_is_named_in_the_text() -> None:
    photo = tl.over_the_wire(
        types.Message(id=3, peer_id=types.PeerUser(BOT_ID), date=DATE, message="map", media=types.MessageMediaPhoto())
    )
    assert convert.to_message(photo, BOT_CHAT).text == "map\n[photo]"


def test_service_message_says_what_happened() -> None:
    joined = tl.over_the_wire(
        types.MessageService(
            id=4, peer_id=types.PeerChat(55), date=DATE, action=types.MessageActionChatJoinedByLink(inviter_id=9)
        )
    )
    assert convert.to_message(joined).text == "[service: ChatJoinedByLink]"


def test_group_message_without_resolved_sender_names_the_sender_id() -> None:
    group = Chat(id=-55, title="Guild", type="group")
    message = tl.over_the_wire(
        types.Message(id=5, peer_id=types.PeerChat(55), date=DATE, message="hi", from_id=types.PeerUser(77))
    )
    converted = convert.to_message(message, group)
    assert (converted.chat_id, converted.sender) == (-55, "77")


@pytest.mark.parametrize(
    ("entity", "expected"),
    [
        (tl.user(BOT_ID, "Dungeon Quest", "dungeon_quest_bot", bot=True), (BOT_ID, "bot", "@dungeon_quest_bot")),
        (tl.user(3, "Alice"), (3, "user", None)),
        (
            types.Chat(id=55, title="Guild", photo=types.ChatPhotoEmpty(), participants_count=3, date=DATE, version=1),
            (-55, "group", None),
        ),
        (
            types.Channel(id=66, title="Raid", photo=types.ChatPhotoEmpty(), date=DATE, megagroup=True, access_hash=1),
            (-1000000000066, "group", None),
        ),
        (
            types.Channel(id=67, title="News", photo=types.ChatPhotoEmpty(), date=DATE, broadcast=True, access_hash=1),
            (-1000000000067, "channel", None),
        ),
    ],
    ids=["bot", "user", "basic-group", "supergroup", "channel"],
)
def test_chats_get_marked_ids_types_and_at_usernames(entity, expected) -> None:
    chat = convert.to_chat(tl.over_the_wire(entity))
    assert (chat.id, chat.type, chat.username) == expected


def test_chat_title_is_sanitised() -> None:
    chat = convert.to_chat(tl.user(3, "Ali\u202ece\nSmith"))
    assert chat.title == "Alice Smith"
