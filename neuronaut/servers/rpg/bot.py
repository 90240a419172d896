"""The Dungeon Quest bot: turns commands and button presses into chat replies.

The bot knows nothing about message ids or storage: it answers each input with
a ``Reply`` (a screen to show, notices to post, a toast) and ``SimulatedChat``
turns that into Telegram-like messages, edits and callback answers. Everything
the player learns about the game comes through this text and these buttons.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from neuronaut.servers.botchat.screens import Reply
from neuronaut.servers.rpg import combat, town
from neuronaut.servers.rpg import content as c
from neuronaut.servers.rpg.game import GameState, Outcome, challenge_boss, explore, go_town, new_game, travel
from neuronaut.servers.rpg.screens import Button, Screen, render, render_status, render_inventory

log = logging.getLogger(__name__)

HELP = (
    "🗡️ Dungeon Quest — a tiny RPG played with buttons.\n"
    "Press the buttons under my latest message to act. Commands:\n"
    "/start – show the game menu\n/status – your hero's stats\n"
    "/inventory – your items\n/help – this text\n"
    "Fight monsters in the 🌲 Forest to earn XP and gold, rest at the 🛏️ Inn when hurt,"
    " buy gear in the 🛒 Shop, take quests on the 📜 board."
)


class DungeonBot:
    # Buttons that only switch between town sub-screens.
    _views = {"shop": "shop", "sell": "sell", "quests": "quests", "back": "town"}

    def __init__(self, seed: int = 1) -> None:
        self.game: GameState = new_game(seed)
        self.started = False
        self.view = "town"  # which town sub-screen: town, shop, sell or quests

    # --- persistence ---------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {"started": self.started, "view": self.view, "game": self.game.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DungeonBot:
        bot = cls()
        bot.game = GameState.from_dict(data["game"])
        bot.started = data["started"]
        bot.view = data["view"]
        return bot

    # --- commands --------------------------------------------------------------

    def on_command(self, text: str) -> Reply:
        command = text.strip().split()[0].split("@")[0].lower() if text.strip() else ""
        if command == "/start":
            self.started = True
            welcome = ["Welcome to 🗡️ Dungeon Quest! Press a button below to play."]
            return Reply(screen=self._screen(welcome), new_message=True)
        if command == "/help":
            return Reply(notices=[HELP])
        if not self.started:
            return Reply(notices=["Send /start to begin your adventure."])
        if command == "/status":
            return Reply(notices=[render_status(self.game)])
        if command == "/inventory":
            return Reply(notices=[render_inventory(self.game)])
        return Reply(notices=["I only understand the buttons and /start, /status, /inventory, /help."])

    # --- buttons ---------------------------------------------------------------

    def on_callback(self, data: str) -> Reply:
        verb, _, arg = data.partition(":")
        view = self._views.get(verb)
        if view is not None:
            self.view = view
            return Reply(screen=self._screen([]))
        action = self._action(verb, arg)
        if action is None:
            log.warning("unknown callback data %r", data)
            return Reply(toast="That button does nothing.", alert=True)
        outcome = action(self.game)
        return self._reply(outcome)

    def _action(self, verb: str, arg: str) -> Callable[[GameState], Outcome] | None:
        simple: dict[str, Callable[[GameState], Outcome]] = {
            "explore": explore,
            "boss": challenge_boss,
            "atk": combat.attack,
            "def": combat.defend,
            "pot": combat.use_potion,
            "flee": combat.flee,
            "inn": town.rest,
            "town": go_town,
        }
        if verb in simple:
            return simple[verb]
        keyed: dict[str, tuple[dict[str, Any], Callable[[GameState, str], Outcome]]] = {
            "go": (c.AREAS, travel),
            "buy": (c.ITEMS, town.buy),
            "sellitem": (c.ITEMS, town.sell),
            "quest": (c.QUESTS, town.accept_quest),
        }
        if verb in keyed and arg in keyed[verb][0]:
            rule = keyed[verb][1]
            return lambda state: rule(state, arg)
        return None

    def _reply(self, outcome: Outcome) -> Reply:
        if not outcome.ok:
            return Reply(toast=outcome.toast, alert=True)
        if self.game.location == "town" and self.view not in ("shop", "sell"):
            self.view = "town"
        if outcome.died:
            self.view = "town"
        notices = [f"{notice}\n{render_status(self.game, compact=True)}" for notice in outcome.notices]
        return Reply(
            screen=self._screen(outcome.lines),
            notices=notices,
            toast=outcome.toast,
            alert=outcome.alert,
        )

    def _screen(self, lines: list[str]) -> Screen:
        return render(self.game, self.view, lines)


__all__ = ["HELP", "Button", "DungeonBot", "Reply", "Screen"]
