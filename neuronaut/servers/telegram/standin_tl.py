"""Real Telethon TL objects for the stand-in network (:mod:`.standin`).

Every object the stand-in hands out is first serialised to Telegram's wire
format and parsed back (:func:`over_the_wire`), exactly as a reply from the
real servers would be: a field of the wrong type (text where Telegram sends
bytes, a naive date, a missing flag) fails here instead of passing silently.
"""

from __future__ import annotations

from datetime import UTC, datetime

from telethon.extensions import BinaryReader
from telethon.tl import types

from neuronaut.servers.chat_contract import ChatMessage


def over_the_wire(obj):
    """``obj`` serialised to TL bytes and parsed back into a fresh object."""
    with BinaryReader(bytes(obj)) as reader:
        return reader.tgread_object()


def user(user_id: int, first_name: str, username: str | None = None, *, bot: bool = False, is_self: bool = False):
    # Access hashes are per account on real Telegram; any stable 64-bit value does here.
    access_hash = (user_id * 0x9E3779B97F4A7C15) % (1 << 63)
    return over_the_wire(
        types.User(
            id=user_id,
            is_self=is_self or None,
            bot=bot or None,
            first_name=first_name,
            username=username,
            access_hash=access_hash,
            bot_info_version=1 if bot else None,
        )
    )


def parse_date(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def inline_markup(rows: list[list[tuple[str, bytes]]]) -> types.ReplyInlineMarkup | None:
    if not rows:
        return None
    # Since layer 2xx an inline button is a label plus a typed action.
    return types.ReplyInlineMarkup(
        rows=[
            types.KeyboardInlineButtonRow(
                buttons=[
                    types.KeyboardInlineButton(text=text, type=types.InlineButtonTypeCallback(data=data))
                    for text, data in row
                ]
            )
            for row in rows
        ]
    )


def message(
    *,
    message_id: int,
    peer_user_id: int,
    self_id: int,
    text: str,
    date: datetime,
    outgoing: bool,
    edit_date: datetime | None = None,
    reply_markup=None,
):
    """A private-chat message as Telegram sends it (layer 119+).

    Incoming private messages carry no ``from_id``: the sender can only be the
    peer. Outgoing ones name us.
    """
    return over_the_wire(
        types.Message(
            id=message_id,
            peer_id=types.PeerUser(user_id=peer_user_id),
            date=date,
            message=text,
            out=outgoing or None,
            from_id=types.PeerUser(user_id=self_id) if outgoing else None,
            reply_markup=reply_markup,
            edit_date=edit_date,
        )
    )


def keyboard_rows(chat_message: ChatMessage, data_for) -> list[list[tuple[str, bytes]]]:
    """Rows of ``(label, callback data)`` rebuilt from the contract's flat button list."""
    rows: list[list[tuple[str, bytes]]] = []
    for button in sorted(chat_message.buttons, key=lambda b: b.index):
        while len(rows) <= button.row:
            rows.append([])
        rows[button.row].append((button.text, data_for(chat_message.id, button.index)))
    return [row for row in rows if row]


def from_chat_message(chat_message: ChatMessage, peer_user_id: int, self_id: int, data_for):
    """The TL message Telegram would send for one of the simulator's messages."""
    return message(
        message_id=chat_message.id,
        peer_user_id=peer_user_id,
        self_id=self_id,
        text=chat_message.text,
        date=parse_date(chat_message.date),
        outgoing=chat_message.outgoing,
        edit_date=parse_date(chat_message.edit_date),
        reply_markup=inline_markup(keyboard_rows(chat_message, data_for)),
    )


def new_message_update(msg, pts: int):
    return over_the_wire(types.UpdateNewMessage(message=msg, pts=pts, pts_count=1))


def edit_message_update(msg, pts: int):
    return over_the_wire(types.UpdateEditMessage(message=msg, pts=pts, pts_count=1))


def dialog(peer_user_id: int, top_message: int, unread_count: int):
    return over_the_wire(
        types.Dialog(
            peer=types.PeerUser(user_id=peer_user_id),
            top_message=top_message,
            read_inbox_max_id=0,
            read_outbox_max_id=0,
            unread_count=unread_count,
            unread_mentions_count=0,
            unread_reactions_count=0,
            unread_poll_votes_count=0,
            notify_settings=types.PeerNotifySettings(),
        )
    )


def callback_answer(text: str | None, alert: bool):
    return over_the_wire(types.messages.BotCallbackAnswer(cache_time=0, alert=alert or None, message=text))
