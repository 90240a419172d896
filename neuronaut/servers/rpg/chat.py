"""A Telegram-like chat with the Dungeon Quest bot, entirely in memory.

The chat machinery (messages, edits, the update log, keyboards, toasts, the
state file) is the shared ``BotChat``; this names the chat and puts the
Dungeon Quest bot behind it. The MCP server exposes it as tools, and the
Telethon server reuses it as a stand-in for Telegram's network.
"""

from __future__ import annotations

from pathlib import Path

from neuronaut.servers.botchat.chat import STATE_FORMAT, BotChat
from neuronaut.servers.botchat.buttons import ChatError
from neuronaut.servers.rpg.bot import DungeonBot


class SimulatedChat(BotChat):
    CHAT_ID: int = 777000001
    TITLE = "Dungeon Quest"
    USERNAME = "@dungeon_quest_bot"
    BOT_SENDER = "Dungeon Quest"
    EMPTY_MESSAGE_HINT = "Try /start, /status, /inventory or /help."

    def __init__(self, seed: int = 1, state_path: Path | None = None) -> None:
        super().__init__(DungeonBot(seed), seed=seed, state_path=state_path)


__all__ = ["STATE_FORMAT", "ChatError", "SimulatedChat"]
