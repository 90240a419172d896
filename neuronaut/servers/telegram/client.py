"""A thin async adapter from a Telethon ``TelegramClient`` to the chat contract.

It owns three things the tools need and Telethon leaves to the caller:

* **Bounded network calls** (:mod:`.network`): timeouts, capped flood waits,
  one reconnect, and no blind retry of acts.
* **The update log** (:mod:`.updates`), fed by ``NewMessage`` and
  ``MessageEdited`` handlers, so ``wait_for_update`` sees edits too.
* **Chat lookup**, cached, by marked id, ``@username`` or exact title.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telethon import errors, events, utils
from telethon.tl import functions, types

from neuronaut.servers.chat_contract import (
    MAX_TEXT_CHARS,
    ButtonList,
    Chat,
    ChatMessage,
    MessageList,
    NoUpdate,
    PressResult,
    SendResult,
    Update,
)
from neuronaut.servers.rpg.buttons import ChatError, describe_buttons, match_button
from neuronaut.servers.telegram import convert
from neuronaut.servers.telegram.network import BoundedCalls, TelegramUnavailable
from neuronaut.servers.telegram.sanitize import sanitize_text
from neuronaut.servers.telegram.updates import UpdateLog

logger = logging.getLogger(__name__)

MAX_MESSAGES = 100  # per get_messages call; Telegram's own page size
BUTTON_SEARCH_DEPTH = 20  # how far back list_inline_buttons looks for a keyboard


class TelegramAdapter:
    def __init__(
        self,
        client: Any,
        *,
        call_timeout: float = 30.0,
        max_flood_wait: float = 60.0,
        max_updates: int = 1000,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.client = client
        self.network = BoundedCalls(client, call_timeout=call_timeout, max_flood_wait=max_flood_wait, sleep=sleep)
        self._call = self.network.call
        self.updates = UpdateLog(max_updates)
        self._chats: dict[int, tuple[Any, Chat]] = {}
        self._watermarks: dict[int, int] = {}  # per chat: the update before our last action
        self._started = False

    # --- lifecycle -------------------------------------------------------------

    async def start(self) -> None:
        """Connect and subscribe to new and edited messages (idempotent)."""
        if self._started:
            return
        await self.network.ensure_connected()
        self.client.add_event_handler(self._on_new, events.NewMessage())
        self.client.add_event_handler(self._on_edited, events.MessageEdited())
        self._started = True

    async def _on_new(self, event) -> None:
        self.updates.record("new", self._convert(event.message))

    async def _on_edited(self, event) -> None:
        self.updates.record("edited", self._convert(event.message))

    def _convert(self, message) -> ChatMessage:
        chat_id = utils.get_peer_id(message.peer_id)
        known = self._chats.get(chat_id)
        return convert.to_message(message, known[1] if known else None)

    # --- chats -----------------------------------------------------------------

    async def list_chats(self, limit: int = 100) -> list[Chat]:
        dialogs = await self._call("list_chats", lambda: self.client.get_dialogs(limit=limit))
        chats = []
        for dialog in dialogs:
            chat = convert.to_chat(dialog.entity, dialog.unread_count)
            self._chats[chat.id] = (dialog.entity, chat)
            chats.append(chat)
        return chats

    async def get_chat(self, chat_id: int | str) -> Chat:
        return (await self._resolve(chat_id))[1]

    async def _resolve(self, chat_id: int | str) -> tuple[Any, Chat]:
        key = _as_key(chat_id)
        known = self._known(key)
        if known is not None:
            return known
        try:
            entity = await self._call(f"finding chat {chat_id!r}", lambda: self.client.get_entity(key))
        except (ValueError, errors.UsernameInvalidError, errors.UsernameNotOccupiedError):
            # Telethon knows ids only of entities it has seen (the dialog list shows it them),
            # and a title is no username.
            entity = await self._find_in_dialogs(key)
        chat = convert.to_chat(entity)
        self._chats[chat.id] = (entity, chat)
        return entity, chat

    def _known(self, key: int | str) -> tuple[Any, Chat] | None:
        # Resolving a username costs a request Telegram rate-limits hard; ask once per chat.
        if isinstance(key, int):
            return self._chats.get(key)
        wanted = key.lstrip("@").casefold()
        return next((v for v in self._chats.values() if (v[1].username or "").lstrip("@").casefold() == wanted), None)

    async def _find_in_dialogs(self, key: int | str) -> Any:
        wanted = str(key).lstrip("@").casefold()
        for chat in await self.list_chats():
            names = {str(chat.id), (chat.username or "").lstrip("@").casefold(), chat.title.casefold()}
            if wanted in names:
                return self._chats[chat.id][0]
        raise ChatError(f"Unknown chat {key!r}. Call list_chats to see the chats and their ids.")

    # --- messages --------------------------------------------------------------

    async def get_messages(self, chat_id: int | str, limit: int = 20) -> MessageList:
        if limit < 1:
            raise ChatError(f"limit must be at least 1, got {limit}.")
        entity, chat = await self._resolve(chat_id)
        limit = min(limit, MAX_MESSAGES)
        found = await self._call("get_messages", lambda: self.client.get_messages(entity, limit=limit))
        messages = [convert.to_message(m, chat) for m in reversed(list(found))]  # oldest first
        return MessageList(chat_id=chat.id, messages=messages, last_update_id=self.updates.last_update_id)

    async def send_message(self, chat_id: int | str, text: str) -> SendResult:
        if not text or not text.strip():
            raise ChatError("Cannot send an empty message.")
        if len(text) > MAX_TEXT_CHARS:
            raise ChatError(f"Message too long: {len(text)} characters, the limit is {MAX_TEXT_CHARS}.")
        entity, chat = await self._resolve(chat_id)
        before = self.updates.last_update_id
        sent = await self._call("send_message", lambda: self.client.send_message(entity, text), retry=False)
        message = convert.to_message(sent, chat)
        self.updates.record("new", message)  # a repeat when the event came first
        watermark = self.updates.watermark_after_own(chat.id, before, message.id)
        self._watermarks[chat.id] = watermark
        return SendResult(message=message, last_update_id=watermark)

    async def list_inline_buttons(self, chat_id: int | str, message_id: int | None = None) -> ButtonList:
        entity, chat = await self._resolve(chat_id)
        message = await self._message_with_buttons(entity, chat, message_id)
        return ButtonList(chat_id=chat.id, message_id=message.id, buttons=convert.to_buttons(message))

    async def _message_with_buttons(self, entity: Any, chat: Chat, message_id: int | None) -> Any:
        if message_id is None:
            recent = await self._call(
                "looking for buttons", lambda: self.client.get_messages(entity, limit=BUTTON_SEARCH_DEPTH)
            )
            for message in recent:  # newest first: the current keyboard
                if convert.inline_rows(message):
                    return message
            raise ChatError(f"None of the last {BUTTON_SEARCH_DEPTH} messages in {chat.title!r} has buttons.")
        message = await self._call("get_messages", lambda: self.client.get_messages(entity, ids=message_id))
        if message is None:
            raise ChatError(f"Message {message_id} does not exist in {chat.title!r}.")
        if not convert.inline_rows(message):
            raise ChatError(f"Message {message_id} has no inline buttons (it may be outdated).")
        return message

    async def press_inline_button(
        self,
        chat_id: int | str,
        message_id: int | None = None,
        button_text: str | None = None,
        button_index: int | None = None,
    ) -> PressResult:
        entity, chat = await self._resolve(chat_id)
        message = await self._message_with_buttons(entity, chat, message_id)
        buttons = convert.to_buttons(message)
        chosen = match_button(buttons, message.id, button_text, button_index)
        action = getattr(convert.raw_button(message, chosen.index), "type", None)
        if not isinstance(action, types.InlineButtonTypeCallback) or action.requires_password:
            # URL, login, payment or password buttons do things outside the chat: not ours to press.
            kind = type(action).__name__.removeprefix("InlineButtonType")
            raise ChatError(
                f"Button {chosen.text!r} is a {kind} button, not one a bot answers. {describe_buttons(buttons)}"
            )
        before = self.updates.last_update_id
        answer = await self._press(entity, message.id, action.data)
        self._watermarks[chat.id] = before  # the bot's edit may arrive before or after its answer
        return PressResult(
            chat_id=chat.id,
            message_id=message.id,
            button=chosen,
            callback_answer=_toast(answer),
            alert=bool(answer is not None and answer.alert),
            last_update_id=before,
        )

    async def _press(self, entity: Any, message_id: int, data: bytes) -> Any:
        peer = utils.get_input_peer(entity)
        request = functions.messages.GetBotCallbackAnswerRequest(peer=peer, msg_id=message_id, data=data)
        try:
            return await self._call("press_inline_button", lambda: self.client(request), retry=False)
        except errors.BotResponseTimeoutError:
            # The bot got the press but sent no toast; its reply still comes as an update.
            return None

    # --- updates ---------------------------------------------------------------

    async def wait_for_update(
        self, chat_id: int | str, after_update_id: int | None = None, timeout_seconds: float = 10.0
    ) -> Update | NoUpdate:
        """The next new or edited message in the chat; ``None`` means since our last action."""
        _, chat = await self._resolve(chat_id)
        if after_update_id is None:
            after_update_id = self._watermarks.get(chat.id, self.updates.last_update_id)
        update = await self.updates.wait(chat.id, after_update_id, timeout_seconds)
        if update is None:
            return NoUpdate(last_update_id=self.updates.last_update_id)
        return update


def _toast(answer: Any) -> str | None:
    if answer is None or not answer.message:
        return None
    return sanitize_text(answer.message) or None


def _as_key(chat_id: int | str) -> int | str:
    text = str(chat_id).strip()
    return int(text) if text.lstrip("-").isdigit() else text


__all__ = ["TelegramAdapter", "TelegramUnavailable"]
