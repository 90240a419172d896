"""The Crypt Crawl bot: one screen edited in place, status and bag only as text commands.

``/hero`` answers with a multi-line card whose layout switches to a second one
after a set number of actions when asked; ``/bag`` lists the items.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from neuronaut.servers.arenas.crawler import combat
from neuronaut.servers.arenas.crawler import game as g
from neuronaut.servers.botchat.screens import Button, Reply, Screen

HELP = "Crypt Crawl.\n/start – begin\n/hero – you\n/bag – your things\n/help – this"


class CryptCrawlBot:
    def __init__(self, seed: int = 1, layout_change_after: int | None = None) -> None:
        self.hero_state = g.Hero(rng=random.Random(seed))
        self.layout_change_after = layout_change_after
        self.actions = 0
        self.started = False
        self.trading = False

    @property
    def layout(self) -> int:
        changed = self.layout_change_after is not None and self.actions >= self.layout_change_after
        return 2 if changed else 1

    # --- the chat's bot protocol ----------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {"hero": self.hero_state.to_dict(), "layout_change_after": self.layout_change_after,
                "actions": self.actions, "started": self.started, "trading": self.trading}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CryptCrawlBot:
        bot = cls(layout_change_after=data["layout_change_after"])
        bot.hero_state = g.Hero.from_dict(data["hero"])
        bot.actions, bot.started, bot.trading = data["actions"], data["started"], data["trading"]
        return bot

    def hero(self) -> dict[str, Any]:
        """The true state, for the test harness's state file only."""
        h = self.hero_state
        return {
            "level": h.level, "exp": h.exp, "exp_needed": g.exp_needed(h.level), "hp": h.hp, "max_hp": h.max_hp,
            "coins": h.coins, "depth": h.depth, "deepest": h.deepest, "blade": h.blade, "bag": dict(h.bag),
            "bosses": list(h.wardens), "in_combat": h.foe is not None, "layout": self.layout,
            "actions": self.actions,
        }

    def on_command(self, text: str) -> Reply:
        self.actions += 1
        command = text.strip().split()[0].split("@")[0].lower()
        if command == "/help":
            return Reply(notices=[HELP])
        if command == "/start":
            self.started, self.trading = True, False
            return Reply(screen=self._screen(["You stand at the crypt mouth."]), new_message=True)
        if not self.started:
            return Reply(notices=["/start first."])
        if command == "/hero":
            return Reply(notices=[self._card()])
        if command == "/bag":
            items = ", ".join(f"{n}× {k}" if n > 1 else k for k, n in sorted(self.hero_state.bag.items()))
            return Reply(notices=[f"Bag: {items or 'empty'}" + (" + blade" if self.hero_state.blade else "")])
        return Reply(notices=["?"])

    def on_callback(self, data: str) -> Reply:
        self.actions += 1
        verb, _, arg = data.partition(":")
        if verb in ("trader", "leave"):
            self.trading = verb == "trader" and self.hero_state.depth == 0
            return Reply(screen=self._screen([]))
        action = self._action(verb, arg)
        if action is None:
            return Reply(toast="Nothing happens.", alert=True)
        if self.hero_state.foe is not None and verb not in ("stance", "go", "change", "flee", "herb"):
            return Reply(toast="Not now. Fight.", alert=True)
        outcome = action(self.hero_state)
        if not outcome.ok:
            return Reply(toast=outcome.toast, alert=True)
        self.trading = self.trading and verb == "buy"
        return Reply(screen=self._screen(outcome.lines), toast=outcome.toast)  # edited in place

    def _action(self, verb: str, arg: str) -> Callable[[g.Hero], g.Outcome] | None:
        actions: dict[str, Callable[[g.Hero], g.Outcome]] = {
            "down": g.descend, "up": g.climb, "on": g.onward, "rest": g.rest, "herb": g.use_herb,
            "gate": g.challenge, "go": combat.confirm, "change": combat.change, "flee": combat.flee,
        }
        if verb in actions:
            return actions[verb]
        if verb == "stance" and arg in g.STANCES:
            return lambda hero: combat.choose(hero, arg)
        if verb == "buy" and arg in ("herb", "blade"):
            return lambda hero: g.buy(hero, arg)
        return None

    # --- screens ----------------------------------------------------------------

    def _screen(self, lines: list[str]) -> Screen:
        h = self.hero_state
        if h.foe is not None:
            header, keyboard = self._fight()
        elif self.trading:
            header = f"Trader. Herb {g.HERB_PRICE}c. Blade {g.BLADE_PRICE}c."
            keyboard = [[Button("Herb", "buy:herb"), Button("Blade", "buy:blade")], [Button("Leave", "leave")]]
        elif h.depth == 0:
            header = "Surface. A fire, a trader, the stair down."
            keyboard = [[Button("Descend", "down"), Button("Trader", "trader")], [Button("Sleep", "rest")]]
        else:
            header, keyboard = self._room()
        return Screen("\n".join([*lines, header]) if lines else header, keyboard)

    def _room(self) -> tuple[str, list[list[Button]]]:
        h = self.hero_state
        keyboard = [[Button("Onward", "on"), Button("Rest", "rest"), Button("Herb", "herb")]]
        warden = g.WARDENS.get(h.depth)
        if warden is not None and warden.name not in h.wardens:
            keyboard.append([Button("Gate", "gate"), Button("Climb", "up")])
        else:
            keyboard.append([Button("Deeper", "down"), Button("Climb", "up")])
        return f"Depth {h.depth}. Cold stone.", keyboard

    def _fight(self) -> tuple[str, list[list[Button]]]:
        h, foe = self.hero_state, self.hero_state.foe
        assert foe is not None
        name = foe.monster.name
        text = f"{name[0].upper()}{name[1:]} ({foe.hp}hp) {foe.intent}. You {h.hp}hp."
        if h.stance is not None:
            return f"{text}\nStance: {h.stance}. Confirm?", [[Button("Go", "go"), Button("Change", "change")]]
        stances = [Button(s.capitalize(), f"stance:{s}") for s in g.STANCES]
        return text, [stances, [Button("Flee", "flee"), Button("Herb", "herb")]]

    def _card(self) -> str:
        h = self.hero_state
        wardens = ", ".join(h.wardens)
        if self.layout == 1:
            return "\n".join([
                "HERO", f"LVL {h.level} | EXP {h.exp}/{g.exp_needed(h.level)}", f"HP {h.hp}/{h.max_hp}",
                f"COINS {h.coins}", f"DEPTH {h.depth} (deepest {h.deepest})", f"WARDENS {wardens or '—'}",
            ])
        return "\n".join([
            "~ Adventurer ~", f"Level: {h.level} ({h.exp}/{g.exp_needed(h.level)} exp)",
            f"Health {h.hp} of {h.max_hp}, coins: {h.coins}",
            f"Now at {h.depth}, deepest {h.deepest}; wardens slain: {wardens or 'none'}",
        ])
