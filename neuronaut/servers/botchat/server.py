"""A ``BotChat`` as an MCP server: the six chat-contract tools, the same for every bot.

Only the wording of the descriptions is the bot's own (``ToolTexts``); names,
parameters, annotations and structured results are the contract's. Tool errors
(wrong chat, unknown button, outdated message) are raised as exceptions, so the
client gets an ``isError`` result whose text says what is valid instead: that is
what lets a small model correct itself.

No ``from __future__ import annotations`` here: FastMCP reads the tools'
annotations at run time, and the chat-id type is built per chat inside
``build_chat_server``, where string annotations could not find it.
"""

import time
from dataclasses import dataclass
from typing import Annotated

import anyio
from mcp.server.fastmcp import FastMCP
from mcp.types import ToolAnnotations
from pydantic import Field

from neuronaut.servers import chat_contract as contract
from neuronaut.servers.botchat.chat import BotChat
from neuronaut.servers.chat_contract import (
    ButtonList,
    ChatList,
    MessageList,
    NoUpdate,
    PressResult,
    SendResult,
    Update,
)

MAX_WAIT_SECONDS = 60.0
POLL_SECONDS = 0.05

READ = ToolAnnotations(readOnlyHint=True, openWorldHint=False)
ACT = ToolAnnotations(readOnlyHint=False, destructiveHint=False, idempotentHint=False, openWorldHint=False)


@dataclass(frozen=True)
class ToolTexts:
    """The bot-specific words in the server's instructions and tool descriptions."""

    server_name: str
    instructions: str
    messages_note: str = ""  # appended to get_messages' description
    commands: str = "/start"  # "Send a text message or a command such as ..."
    button_example: str = ""  # "Press an inline button, by its text (e.g. '...')"; empty: no example


def build_chat_server(chat: BotChat, texts: ToolTexts) -> FastMCP:
    server = FastMCP(texts.server_name, instructions=texts.instructions, log_level="WARNING")
    chat_id_type = Annotated[
        int | str,
        Field(description=f"The chat: {chat.CHAT_ID} or '{chat.USERNAME}'."),
    ]
    message_id_type = Annotated[
        int | None,
        Field(description="The message with the buttons; leave empty for the latest message with buttons."),
    ]
    messages_note = f" {texts.messages_note}" if texts.messages_note else ""
    button_example = f" (e.g. '{texts.button_example}')" if texts.button_example else ""

    @server.tool(
        name=contract.LIST_CHATS,
        description="List the chats you can talk to, with their chat_id.",
        annotations=READ,
    )
    def list_chats() -> ChatList:
        return chat.list_chats()

    @server.tool(
        name=contract.GET_MESSAGES,
        description=(
            "Read the latest messages of a chat, oldest first, with their inline buttons." + messages_note
        ),
        annotations=READ,
    )
    def get_messages(
        chat_id: chat_id_type,
        limit: Annotated[int, Field(ge=1, le=100, description="How many messages.")] = 20,
    ) -> MessageList:
        return chat.get_messages(chat_id, limit)

    @server.tool(
        name=contract.SEND_MESSAGE,
        description=f"Send a text message or a command such as {texts.commands}.",
        annotations=ACT,
    )
    def send_message(
        chat_id: chat_id_type,
        text: Annotated[str, Field(description="The text to send, e.g. '/start'.")],
    ) -> SendResult:
        return chat.send_message(chat_id, text)

    @server.tool(
        name=contract.LIST_INLINE_BUTTONS,
        description="List the inline buttons of a message (default: the latest message with buttons).",
        annotations=READ,
    )
    def list_inline_buttons(chat_id: chat_id_type, message_id: message_id_type = None) -> ButtonList:
        return chat.list_inline_buttons(chat_id, message_id)

    @server.tool(
        name=contract.PRESS_INLINE_BUTTON,
        description=(
            f"Press an inline button, by its text{button_example} or its index. Default "
            "message: the latest one with buttons. Returns the bot's toast, if any; the bot then edits its "
            "message or posts a new one: call wait_for_update or get_messages to see it."
        ),
        annotations=ACT,
    )
    def press_inline_button(
        chat_id: chat_id_type,
        message_id: message_id_type = None,
        button_text: Annotated[str | None, Field(description="The button's label.")] = None,
        button_index: Annotated[int | None, Field(description="The button's index, from 0.")] = None,
    ) -> PressResult:
        return chat.press_inline_button(chat_id, message_id, button_text, button_index)

    @server.tool(
        name=contract.WAIT_FOR_UPDATE,
        description=(
            "Wait for the bot's next new or edited message after after_update_id. Without "
            "after_update_id: the first reaction to your latest send or press. Returns "
            "{'timed_out': true} if nothing arrives in time."
        ),
        annotations=READ,
    )
    async def wait_for_update(
        chat_id: chat_id_type,
        after_update_id: Annotated[
            int | None, Field(description="The last_update_id from your previous call.")
        ] = None,
        timeout_seconds: Annotated[float, Field(ge=0, description="How long to wait at most.")] = 10.0,
    ) -> Update | NoUpdate:
        chat.resolve_chat(chat_id)
        after = chat.reaction_watermark if after_update_id is None else after_update_id
        return await next_update(chat, after, min(timeout_seconds, MAX_WAIT_SECONDS))

    return server


async def next_update(chat: BotChat, after: int, timeout: float) -> Update | NoUpdate:
    # Only the bot's messages count: our own sends are not news to us.
    deadline = time.monotonic() + timeout
    while True:
        incoming = [u for u in chat.updates_after(after) if not u.message.outgoing]
        if incoming:
            return incoming[0]
        if time.monotonic() >= deadline:
            return NoUpdate(last_update_id=chat.last_update_id)
        await anyio.sleep(POLL_SECONDS)
