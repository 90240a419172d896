"""A Telegram-like chat with one simulated bot, entirely in memory.

It plays Telegram's part: numbered messages, edits with an edit date, an update
log (new / edited), inline keyboards with callback data and callback answers
(toasts). The bot only turns commands and presses into ``Reply`` objects; a
subclass names the chat (id, title, username) and picks the bot. The MCP
server exposes it as tools, and the Telethon server reuses it as a stand-in
for Telegram's network, so its public API is a contract.

Only the bot's current game screen carries a keyboard: when the bot posts a new
screen it removes the keyboard from the old one, so pressing an old message is
an error that names the current one.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from neuronaut.servers.botchat.buttons import ChatError, describe_buttons, inline_buttons, match_button
from neuronaut.servers.botchat.screens import ChatBot, Reply, Screen
from neuronaut.servers.chat_contract import (
    MAX_TEXT_CHARS,
    ButtonList,
    Chat,
    ChatList,
    ChatMessage,
    InlineButton,
    MessageList,
    PressResult,
    SendResult,
    Update,
)

log = logging.getLogger(__name__)

STATE_FORMAT = 1
# Bounds on what we keep (and rewrite on every change); ids keep counting.
MAX_MESSAGES = 300
MAX_UPDATES = 500


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class BotChat:
    CHAT_ID: int = 0
    TITLE = ""
    USERNAME = ""
    BOT_SENDER = ""
    ME = "me"
    EMPTY_MESSAGE_HINT = "Try /start or /help."

    def __init__(self, bot: ChatBot, seed: int = 1, state_path: Path | None = None) -> None:
        self.seed = seed
        self.state_path = Path(state_path) if state_path is not None else None
        self.bot = bot
        self._messages: list[dict[str, Any]] = []
        self._updates: list[dict[str, Any]] = []
        self._next_message_id = 1
        self._next_update_id = 1
        self._screen_id: int | None = None  # the message carrying the game keyboard
        self._watermark = 0  # last update before the bot reacted to our latest action
        self._read_upto = 0
        if self.state_path is not None and self.state_path.exists():
            self._load(self.state_path)

    # --- the contract ------------------------------------------------------

    def list_chats(self) -> ChatList:
        unread = sum(1 for m in self._messages if not m["outgoing"] and m["id"] > self._read_upto)
        chat = Chat(id=self.CHAT_ID, title=self.TITLE, username=self.USERNAME, type="bot", unread_count=unread)
        return ChatList(chats=[chat])

    def get_messages(self, chat_id: int | str, limit: int = 20) -> MessageList:
        self._check_chat(chat_id)
        if limit < 1:
            raise ChatError(f"limit must be at least 1, got {limit}.")
        recent = self._messages[-limit:]
        if self._messages:
            self._read_upto = max(self._read_upto, self._messages[-1]["id"])
        return MessageList(
            chat_id=self.CHAT_ID,
            messages=[self._to_model(m) for m in recent],
            last_update_id=self.last_update_id,
        )

    def send_message(self, chat_id: int | str, text: str) -> SendResult:
        self._check_chat(chat_id)
        if not text or not text.strip():
            raise ChatError(f"Cannot send an empty message. {self.EMPTY_MESSAGE_HINT}")
        if len(text) > MAX_TEXT_CHARS:
            raise ChatError(f"Message too long: {len(text)} characters, the limit is {MAX_TEXT_CHARS}.")
        sent = self._post(self.ME, text, outgoing=True)
        self._watermark = self.last_update_id
        self._apply(self.bot.on_command(text), pressed=None)
        self._save()
        return SendResult(message=self._to_model(sent), last_update_id=self._watermark)

    def list_inline_buttons(self, chat_id: int | str, message_id: int | None = None) -> ButtonList:
        self._check_chat(chat_id)
        message = self._message_with_buttons(message_id)
        return ButtonList(chat_id=self.CHAT_ID, message_id=message["id"], buttons=_buttons(message))

    def press_inline_button(
        self,
        chat_id: int | str,
        message_id: int | None = None,
        button_text: str | None = None,
        button_index: int | None = None,
    ) -> PressResult:
        self._check_chat(chat_id)
        message = self._message_with_buttons(message_id)
        button = match_button(_buttons(message), message["id"], button_text, button_index)
        return self._press(message, button)

    def updates_after(self, update_id: int) -> list[Update]:
        return [Update(**u) for u in self._updates if u["update_id"] > update_id]

    def button_callback_data(self, message_id: int, index: int) -> bytes:
        message = self._message_with_buttons(message_id)
        flat = [data for row in message["keyboard"] for _, data in row]
        if not 0 <= index < len(flat):
            raise ChatError(f"Message {message_id} has no button {index}. {describe_buttons(_buttons(message))}")
        return flat[index].encode()

    def press_callback_data(self, message_id: int, data: bytes) -> PressResult:
        message = self._message_with_buttons(message_id)
        flat = [d for row in message["keyboard"] for _, d in row]
        try:
            index = flat.index(data.decode())
        except (ValueError, UnicodeDecodeError):
            raise ChatError(
                f"Message {message_id} has no button with that data. {describe_buttons(_buttons(message))}"
            ) from None
        return self._press(message, _buttons(message)[index])

    # --- helpers the servers use ---------------------------------------------

    @property
    def last_update_id(self) -> int:
        return self._next_update_id - 1

    @property
    def reaction_watermark(self) -> int:
        """The update id after which the bot's reaction to our latest action starts."""
        return self._watermark

    def resolve_chat(self, chat_id: int | str) -> int:
        self._check_chat(chat_id)
        return self.CHAT_ID

    # --- internals -----------------------------------------------------------

    def _check_chat(self, chat_id: int | str) -> None:
        key = str(chat_id).strip()
        valid = {str(self.CHAT_ID), self.USERNAME, self.USERNAME.lstrip("@"), self.TITLE}
        if key not in valid:
            raise ChatError(
                f"Unknown chat {chat_id!r}. The only chat is {self.TITLE!r}: "
                f"chat_id {self.CHAT_ID} or {self.USERNAME!r}."
            )

    def _find(self, message_id: int) -> dict[str, Any] | None:
        return next((m for m in self._messages if m["id"] == message_id), None)

    def _message_with_buttons(self, message_id: int | None) -> dict[str, Any]:
        current = self._find(self._screen_id) if self._screen_id is not None else None
        if message_id is None:
            if current is None or not current["keyboard"]:
                raise ChatError("No message has buttons yet. Send /start to the bot first.")
            return current
        message = self._find(message_id)
        if message is not None and message["keyboard"]:
            return message
        problem = "does not exist" if message is None else "has no buttons"
        hint = (
            f"The current buttons are on message {current['id']}: {describe_buttons(_buttons(current))}"
            if current is not None and current["keyboard"]
            else "Send /start to get a message with buttons."
        )
        raise ChatError(f"Message {message_id} {problem}. {hint}")

    def _press(self, message: dict[str, Any], button: InlineButton) -> PressResult:
        data = message["keyboard"][button.row][button.column][1]
        self._watermark = self.last_update_id
        reply = self.bot.on_callback(data)
        self._apply(reply, pressed=message)
        self._save()
        return PressResult(
            chat_id=self.CHAT_ID,
            message_id=message["id"],
            button=button,
            callback_answer=reply.toast,
            alert=reply.alert,
            last_update_id=self._watermark,
        )

    def _apply(self, reply: Reply, pressed: dict[str, Any] | None) -> None:
        if reply.screen is not None:
            if pressed is None or reply.new_message:
                self._post_screen(reply.screen)
            else:
                self._edit(pressed, reply.screen.text, _keyboard(reply.screen))
        for notice in reply.notices:
            self._post(self.BOT_SENDER, notice, outgoing=False)

    def _post_screen(self, screen: Screen) -> None:
        old = self._find(self._screen_id) if self._screen_id is not None else None
        posted = self._post(self.BOT_SENDER, screen.text, outgoing=False, keyboard=_keyboard(screen))
        self._screen_id = posted["id"]
        # The new screen comes first so a waiting client sees it before the cleanup.
        if old is not None and old["keyboard"]:
            self._edit(old, old["text"], [])

    def _post(self, sender: str, text: str, outgoing: bool, keyboard: list | None = None) -> dict[str, Any]:
        message = {
            "id": self._next_message_id,
            "sender": sender,
            "outgoing": outgoing,
            "text": text,
            "date": _now(),
            "edit_date": None,
            "keyboard": keyboard or [],
        }
        self._next_message_id += 1
        self._messages.append(message)
        del self._messages[:-MAX_MESSAGES]
        self._log("new", message)
        return message

    def _edit(self, message: dict[str, Any], text: str, keyboard: list) -> None:
        message.update(text=text, keyboard=keyboard, edit_date=_now())
        self._log("edited", message)

    def _log(self, kind: str, message: dict[str, Any]) -> None:
        snapshot = self._to_model(message).model_dump(mode="json")
        self._updates.append({"update_id": self._next_update_id, "kind": kind, "message": snapshot})
        self._next_update_id += 1
        del self._updates[:-MAX_UPDATES]

    def _to_model(self, message: dict[str, Any]) -> ChatMessage:
        fields = {k: v for k, v in message.items() if k != "keyboard"}
        return ChatMessage(chat_id=self.CHAT_ID, buttons=_buttons(message), **fields)

    # --- persistence -----------------------------------------------------------

    def _snapshot(self) -> dict[str, Any]:
        return {
            "format": STATE_FORMAT,
            "seed": self.seed,
            "bot": self.bot.to_dict(),
            "messages": self._messages,
            "updates": self._updates,
            "next_message_id": self._next_message_id,
            "next_update_id": self._next_update_id,
            "screen_id": self._screen_id,
            "watermark": self._watermark,
            "read_upto": self._read_upto,
        }

    def _save(self) -> None:
        if self.state_path is None:
            return
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.state_path.with_name(self.state_path.name + ".tmp")
        temp.write_text(json.dumps(self._snapshot(), ensure_ascii=False), encoding="utf-8")
        os.replace(temp, self.state_path)  # atomic: a crash leaves the old or the new state

    def _load(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != STATE_FORMAT:
            raise ChatError(f"{path} holds chat state in an unknown format {data.get('format')!r}.")
        self.seed = data["seed"]
        self.bot = self.bot.from_dict(data["bot"])
        self._messages = data["messages"]
        self._updates = data["updates"]
        self._next_message_id = data["next_message_id"]
        self._next_update_id = data["next_update_id"]
        self._screen_id = data["screen_id"]
        self._watermark = data["watermark"]
        self._read_upto = data["read_upto"]
        log.info("loaded chat state from %s (%d messages)", path, len(self._messages))


def _buttons(message: dict[str, Any]) -> list[InlineButton]:
    return inline_buttons(message["keyboard"])


def _keyboard(screen: Screen) -> list[list[list[str]]]:
    return [[[b.text, b.data] for b in row] for row in screen.keyboard]


__all__ = ["BotChat", "ChatBot", "ChatError"]
