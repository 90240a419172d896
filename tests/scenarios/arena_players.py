"""Plain-code players for the arena bots, over any session that speaks the chat contract.

Each player sees only what an agent sees (the latest bot message with buttons)
and presses one button per turn; ``play_until`` stops when the bot's true state
(read from its state file, as a test harness does) meets a condition. They show
the bots can be played to a level up in a modest number of presses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mcp

from neuronaut.servers import chat_contract as contract
from neuronaut.servers.chat_contract import ChatMessage, MessageList
from tests.scenarios.rpg_scenario import call

Player = Callable[[ChatMessage], str]  # returns the label of the button to press


def _number(pattern: str, text: str, default: int = 0) -> int:
    found = re.search(pattern, text)
    return int(found[1]) if found else default


def _has(message: ChatMessage, word: str) -> bool:
    return any(word in b.text for b in message.buttons)


def _label(message: ChatMessage, word: str) -> str:
    return next(b.text for b in message.buttons if word in b.text)


def trader_player(message: ChatMessage) -> str:
    """Mines while there is energy, rests when there is none, sells a full hold, shoots pirates."""
    text = message.text
    if _has(message, "Fire"):
        return _label(message, "Fire")
    if _has(message, "Back"):
        return _label(message, "Back")
    if _has(message, "Sell ore"):
        return _label(message, "Sell ore") if _number(r"hold: (\d+) ore", text) else _label(message, "Launch")
    if _number(r"Hold (\d+)/", text) >= 10:
        return _label(message, "Dock")
    return _label(message, "Mine") if _number(r"Energy (\d+)/", text) >= 2 else _label(message, "Rest")


def crawler_player(message: ChatMessage) -> str:
    """Answers each foe's intent with the stance that beats it, else goes onward."""
    text = message.text
    if _has(message, "Go"):
        return "Go"
    if _has(message, "Strike"):
        answers = {"winds up": "Guard", "braces": "Feint", "circles": "Strike"}
        return next(stance for intent, stance in answers.items() if intent in text)
    if _has(message, "Descend"):
        return "Descend"
    if _has(message, "Leave"):
        return "Leave"
    return "Onward"


def true_state(state_path: Path) -> dict[str, Any]:
    return json.loads(state_path.read_text(encoding="utf-8"))["hero"]


async def latest_screen(session: mcp.ClientSession, chat_id: int) -> ChatMessage:
    messages = await call(session, contract.GET_MESSAGES, MessageList, chat_id=chat_id, limit=10)
    return next(m for m in reversed(messages.messages) if m.buttons)


async def play_until(
    session: mcp.ClientSession,
    chat_id: int,
    player: Player,
    state_path: Path,
    done: Callable[[dict[str, Any]], bool],
    max_presses: int = 200,
) -> int:
    """Starts the game and plays until ``done(true state)``; returns the number of presses."""
    await session.call_tool(contract.SEND_MESSAGE, {"chat_id": chat_id, "text": "/start"})
    for presses in range(max_presses):
        if done(true_state(state_path)):
            return presses
        screen = await latest_screen(session, chat_id)
        label = player(screen)
        result = await session.call_tool(contract.PRESS_INLINE_BUTTON, {"chat_id": chat_id, "button_text": label})
        assert not result.isError, result.content
    raise AssertionError(f"not done after {max_presses} presses: {true_state(state_path)}")
