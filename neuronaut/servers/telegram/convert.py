"""Telethon TL objects -> the chat contract's models.

Only raw TL fields are read (``message.message``, ``reply_markup.rows``,
``peer_id``), not Telethon's convenience properties: those need a connected
client and the right cached entities, and silently return ``None`` when either
is missing. Every string that came from Telegram goes through the sanitiser.
"""

from __future__ import annotations

from datetime import UTC, datetime

from telethon import utils
from telethon.tl import types

from neuronaut.servers.chat_contract import Chat, ChatMessage, InlineButton
from neuronaut.servers.telegram.sanitize import sanitize_label, sanitize_text

OUTGOING_SENDER = "me"


def iso_utc(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # Telethon's dates are aware; be safe with hand-made ones.
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def chat_type(entity) -> str:
    if isinstance(entity, types.User):
        return "bot" if entity.bot else "user"
    if isinstance(entity, types.Channel):
        return "group" if entity.megagroup or entity.gigagroup else "channel"
    return "group"  # types.Chat and the forbidden variants


def to_chat(entity, unread_count: int = 0) -> Chat:
    # Written with "@" as people (and the simulator) write it, so it can be passed as chat_id.
    username = sanitize_label(getattr(entity, "username", None))
    return Chat(
        id=utils.get_peer_id(entity),
        title=sanitize_label(utils.get_display_name(entity)) or str(utils.get_peer_id(entity)),
        username=f"@{username}" if username else None,
        type=chat_type(entity),
        unread_count=unread_count or 0,
    )


def inline_rows(message) -> list[list]:
    """The raw inline keyboard rows of a message; reply keyboards are not inline."""
    markup = getattr(message, "reply_markup", None)
    if not isinstance(markup, types.ReplyInlineMarkup):
        return []
    return [row.buttons for row in markup.rows]


def to_buttons(message) -> list[InlineButton]:
    buttons: list[InlineButton] = []
    for row_number, row in enumerate(inline_rows(message)):
        for column, button in enumerate(row):
            buttons.append(
                InlineButton(
                    index=len(buttons),
                    text=sanitize_label(button.text),
                    row=row_number,
                    column=column,
                )
            )
    return buttons


def raw_button(message, index: int):
    """The TL button at contract ``index`` (row by row), or ``None``."""
    flat = [button for row in inline_rows(message) for button in row]
    return flat[index] if 0 <= index < len(flat) else None


def _media_note(message) -> str:
    # The agent cannot see media, but it should know something was there.
    media = getattr(message, "media", None)
    if media is None or isinstance(media, types.MessageMediaEmpty):
        return ""
    kind = type(media).__name__.removeprefix("MessageMedia").lower() or "media"
    return f"[{kind}]"


def _message_text(message) -> str:
    if isinstance(message, types.MessageService):
        return f"[service: {type(message.action).__name__.removeprefix('MessageAction')}]"
    text = sanitize_text(getattr(message, "message", ""))
    note = _media_note(message)
    return f"{text}\n{note}".strip() if note else text


def sender_name(message, chat: Chat | None) -> str:
    """Who wrote ``message``: us, its resolved sender, or (in a private chat) the chat."""
    if getattr(message, "out", False):
        return OUTGOING_SENDER
    sender = getattr(message, "sender", None)  # set once Telethon resolved entities
    if sender is not None:
        return sanitize_label(utils.get_display_name(sender)) or str(utils.get_peer_id(sender))
    if chat is not None and (message.from_id is None or chat.type in ("bot", "user")):
        return chat.title
    return str(utils.get_peer_id(message.from_id)) if message.from_id else "unknown"


def to_message(message, chat: Chat | None = None) -> ChatMessage:
    return ChatMessage(
        id=message.id,
        chat_id=utils.get_peer_id(message.peer_id),
        sender=sender_name(message, chat),
        outgoing=bool(message.out),
        text=_message_text(message),
        date=iso_utc(message.date) or "",
        edit_date=iso_utc(getattr(message, "edit_date", None)),
        buttons=to_buttons(message),
    )
