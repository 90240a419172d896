"""The chat with one arena bot, and the registry of arena bots.

Each arena is a ``BotChat`` with its own identity and bot. Its state file holds,
besides the chat itself, ``hero``: the bot's true state in plain numbers, for
test harnesses only (no tool ever returns it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neuronaut.servers.arenas.crawler.bot import CryptCrawlBot
from neuronaut.servers.arenas.trader.bot import VoidTraderBot
from neuronaut.servers.botchat.buttons import ChatError
from neuronaut.servers.botchat.chat import BotChat
from neuronaut.servers.botchat.modes import with_mode


@dataclass(frozen=True)
class Arena:
    name: str
    chat_id: int
    title: str
    username: str
    make_bot: Callable[[int, int | None], Any]  # (seed, layout_change_after) -> bot


ARENAS = {
    arena.name: arena
    for arena in (
        Arena("void-trader", 777000101, "Void Trader", "@void_trader_bot", VoidTraderBot),
        Arena("crypt-crawl", 777000102, "Crypt Crawl", "@cryptcrawl_bot", CryptCrawlBot),
    )
}


def arena_named(name: str) -> Arena:
    if name not in ARENAS:
        raise ChatError(f"Unknown arena bot {name!r}; choose one of {', '.join(ARENAS)}.")
    return ARENAS[name]


class ArenaChat(BotChat):
    def __init__(
        self,
        bot_name: str,
        seed: int = 1,
        state_path: Path | None = None,
        layout_change_after: int | None = None,
        mode: str = "normal",
    ) -> None:
        arena = arena_named(bot_name)
        self.arena = arena
        self.CHAT_ID, self.TITLE, self.USERNAME, self.BOT_SENDER = (
            arena.chat_id, arena.title, arena.username, arena.title
        )
        self.EMPTY_MESSAGE_HINT = "Try /start or /help."
        self.mode = mode
        bot = with_mode(arena.make_bot(seed, layout_change_after), mode, seed)
        super().__init__(bot, seed=seed, state_path=state_path)
        if self.state_path is not None and not self.state_path.exists():
            self._save()  # the harness can read the true state before the first action

    def hero(self) -> dict[str, Any]:
        """The bot's true state: what a test compares the agent's claims with."""
        return self.bot.hero()  # type: ignore[attr-defined]

    def _snapshot(self) -> dict[str, Any]:
        return {**super()._snapshot(), "arena": self.arena.name, "mode": self.mode, "hero": self.hero()}

    def _load(self, path: Path) -> None:
        found = json.loads(path.read_text(encoding="utf-8")).get("arena")
        if found != self.arena.name:
            raise ChatError(f"{path} holds the state of {found!r}, not of {self.arena.name!r}.")
        super()._load(path)
