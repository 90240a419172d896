"""One basic game session, run against any server that speaks the chat contract.

The simulated RPG server and the Telethon server both pass it, which is what
lets the agent switch between them without noticing. It uses only the contract
tools and models, plus ``parse_status`` (the goal checker's view of the game).
"""

from __future__ import annotations

from typing import Any, TypeVar

import mcp
from mcp.types import CallToolResult
from pydantic import BaseModel

from neuronaut.servers import chat_contract as contract
from neuronaut.servers.chat_contract import (
    ButtonList,
    ChatList,
    NoUpdate,
    PressResult,
    SendResult,
    Update,
)
from neuronaut.servers.rpg.status import parse_status

GAME_TITLE = "Dungeon Quest"
GAME_USERNAME = "@dungeon_quest_bot"

M = TypeVar("M", bound=BaseModel)


def structured(result: CallToolResult) -> dict[str, Any]:
    """The result's structured content; FastMCP wraps union results in {"result": ...}."""
    assert not result.isError, result.content
    data = result.structuredContent
    assert data is not None, "the tool returned no structured content"
    if set(data) == {"result"}:
        data = data["result"]
    return data


async def call(session: mcp.ClientSession, tool: str, model: type[M], **arguments: Any) -> M:
    return model.model_validate(structured(await session.call_tool(tool, arguments)))


async def wait(session: mcp.ClientSession, chat_id: int, after: int) -> Update:
    result = await session.call_tool(
        contract.WAIT_FOR_UPDATE, {"chat_id": chat_id, "after_update_id": after, "timeout_seconds": 5}
    )
    data = structured(result)
    assert not data.get("timed_out"), f"no update after {after}: {NoUpdate.model_validate(data)}"
    update = Update.model_validate(data)
    assert update.untrusted is True
    return update


async def run_basic_scenario(session: mcp.ClientSession) -> None:
    tools = {tool.name for tool in (await session.list_tools()).tools}
    assert contract.READ_ONLY_TOOLS | contract.ACTING_TOOLS <= tools

    chats = await call(session, contract.LIST_CHATS, ChatList)
    game = [c for c in chats.chats if c.username == GAME_USERNAME or c.title == GAME_TITLE]
    assert game, f"no {GAME_TITLE} chat in {chats}"
    chat_id = game[0].id

    sent = await call(session, contract.SEND_MESSAGE, SendResult, chat_id=chat_id, text="/start")
    assert sent.message.outgoing and sent.message.text == "/start"
    menu = await wait(session, chat_id, sent.last_update_id)
    assert menu.message.buttons, "the /start answer has no buttons"

    listed = await call(session, contract.LIST_INLINE_BUTTONS, ButtonList, chat_id=chat_id)
    assert listed.message_id == menu.message.id
    first = listed.buttons[0]
    pressed = await call(
        session, contract.PRESS_INLINE_BUTTON, PressResult, chat_id=chat_id, button_text=first.text
    )
    assert pressed.button.text == first.text and pressed.message_id == listed.message_id
    reaction = await wait(session, chat_id, pressed.last_update_id)
    assert reaction.message.id == pressed.message_id or reaction.kind == "new"
    assert reaction.message.text != menu.message.text

    asked = await call(session, contract.SEND_MESSAGE, SendResult, chat_id=chat_id, text="/status")
    status_reply = await wait(session, chat_id, asked.last_update_id)
    status = parse_status(status_reply.message.text)
    assert status is not None, f"no status line in {status_reply.message.text!r}"
    assert status["level"] >= 1 and 0 < status["hp"] <= status["max_hp"]
