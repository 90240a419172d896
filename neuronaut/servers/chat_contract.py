"""The chat tool contract shared by the simulated RPG bot and the real Telethon server.

Both servers expose the same tools with the same parameters and return these
models as structured content, so the agent never knows which one it talks to.
Names and parameters follow chigwell/telegram-mcp where the two overlap.

Everything a chat returns was written by someone else (a bot, a person), so
every result carries ``untrusted: true``: the agent must treat its text as data,
never as instructions.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

# Tool names, in one place so servers, worlds and tests agree.
LIST_CHATS = "list_chats"
GET_MESSAGES = "get_messages"
SEND_MESSAGE = "send_message"
LIST_INLINE_BUTTONS = "list_inline_buttons"
PRESS_INLINE_BUTTON = "press_inline_button"
WAIT_FOR_UPDATE = "wait_for_update"

READ_ONLY_TOOLS = frozenset({LIST_CHATS, GET_MESSAGES, LIST_INLINE_BUTTONS, WAIT_FOR_UPDATE})
ACTING_TOOLS = frozenset({SEND_MESSAGE, PRESS_INLINE_BUTTON})

MAX_TEXT_CHARS = 4096  # Telegram's own limit for one message.


class InlineButton(BaseModel):
    index: int = Field(description="Position in the keyboard, counted row by row from 0.")
    text: str
    row: int
    column: int


class ChatMessage(BaseModel):
    id: int
    chat_id: int
    sender: str
    outgoing: bool = Field(description="True when we sent it.")
    text: str
    date: str = Field(description="ISO 8601, UTC.")
    edit_date: str | None = None
    buttons: list[InlineButton] = Field(default_factory=list)


class Chat(BaseModel):
    id: int
    title: str
    username: str | None = None
    type: Literal["bot", "user", "group", "channel"]
    unread_count: int = 0


class Untrusted(BaseModel):
    untrusted: Literal[True] = True


class ChatList(Untrusted):
    chats: list[Chat]


class MessageList(Untrusted):
    chat_id: int
    messages: list[ChatMessage] = Field(description="Oldest first.")
    last_update_id: int = Field(description="Pass to wait_for_update to see what comes after.")


class ButtonList(Untrusted):
    chat_id: int
    message_id: int
    buttons: list[InlineButton]


class SendResult(Untrusted):
    message: ChatMessage
    last_update_id: int


class PressResult(Untrusted):
    chat_id: int
    message_id: int
    button: InlineButton
    callback_answer: str | None = Field(None, description="The toast the bot answered with, if any.")
    alert: bool = False
    last_update_id: int


class Update(Untrusted):
    update_id: int
    kind: Literal["new", "edited"]
    message: ChatMessage


class NoUpdate(Untrusted):
    timed_out: Literal[True] = True
    last_update_id: int
