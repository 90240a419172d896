"""The Void Trader bot: every press answers with a fresh message (the old one loses its buttons).

There is no status command: the pilot's numbers are on the 👤 Profile screen,
whose layout switches to a second one after a set number of actions when asked.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from neuronaut.servers.arenas.trader import combat
from neuronaut.servers.arenas.trader import game as g
from neuronaut.servers.botchat.screens import Button, Reply, Screen

HELP = (
    "🌌 Void Trader\n"
    "Fly, mine, trade and hunt pirates. Use the buttons under my latest message.\n"
    "/start – open the bridge\n/help – this text"
)


class VoidTraderBot:
    def __init__(self, seed: int = 1, layout_change_after: int | None = None) -> None:
        self.pilot = g.Pilot(rng=random.Random(seed))
        self.layout_change_after = layout_change_after
        self.actions = 0
        self.started = False
        self.view = "bridge"  # bridge, profile, upgrades or bounties

    @property
    def layout(self) -> int:
        changed = self.layout_change_after is not None and self.actions >= self.layout_change_after
        return 2 if changed else 1

    # --- the chat's bot protocol ----------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "pilot": self.pilot.to_dict(),
            "layout_change_after": self.layout_change_after,
            "actions": self.actions,
            "started": self.started,
            "view": self.view,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VoidTraderBot:
        bot = cls(layout_change_after=data["layout_change_after"])
        bot.pilot = g.Pilot.from_dict(data["pilot"])
        bot.actions, bot.started, bot.view = data["actions"], data["started"], data["view"]
        return bot

    def hero(self) -> dict[str, Any]:
        """The true state, for the test harness's state file only."""
        p = self.pilot
        return {
            "rank": g.RANKS[p.rank], "level": p.rank + 1, "merit": p.merit, "progress_percent": p.progress_percent,
            "credits": p.credits, "hull": p.hull, "max_hull": p.max_hull, "shield": p.shield,
            "max_shield": p.max_shield, "energy": p.energy, "max_energy": g.MAX_ENERGY, "ore": p.ore,
            "upgrades": list(p.upgrades), "bosses": [g.BOUNTIES[k].name for k in p.bounties],
            "docked": p.docked, "in_combat": p.contact is not None, "layout": self.layout, "actions": self.actions,
        }

    def on_command(self, text: str) -> Reply:
        self.actions += 1
        command = text.strip().split()[0].split("@")[0].lower()
        if command == "/help":
            return Reply(notices=[HELP])
        if command == "/start":
            self.started = True
            self.view = "bridge"
            return self._reply(g.Outcome(lines=["Welcome aboard, pilot."]))
        if not self.started:
            return Reply(notices=["Send /start to board your ship."])
        return Reply(notices=["Unknown order. Use the buttons, or /help."])

    def on_callback(self, data: str) -> Reply:
        self.actions += 1
        verb, _, arg = data.partition(":")
        if verb in ("profile", "upgrades", "bounties", "bridge"):
            self.view = verb
            return self._reply(g.Outcome())
        action = self._action(verb, arg)
        if action is None:
            return Reply(toast="That control is dead.", alert=True)
        if self.pilot.contact is not None and verb not in ("fire", "shield", "warp"):
            return Reply(toast="Not with a pirate on your tail.", alert=True)
        outcome = action(self.pilot)
        if not outcome.ok:
            return Reply(toast=outcome.toast, alert=True)
        self.view = "upgrades" if verb == "buy" else "bridge"
        return self._reply(outcome)

    def _action(self, verb: str, arg: str) -> Callable[[g.Pilot], g.Outcome] | None:
        actions: dict[str, Callable[[g.Pilot], g.Outcome]] = {
            "mine": g.mine, "patrol": g.patrol, "rest": g.rest, "dock": g.dock, "launch": g.launch,
            "sell": g.sell_ore, "repair": g.repair,
            "fire": combat.fire, "shield": combat.shields_up, "warp": combat.warp_out,
        }
        if verb in actions:
            return actions[verb]
        if verb == "buy" and arg in g.UPGRADES:
            return lambda pilot: g.buy_upgrade(pilot, arg)
        if verb == "hunt" and arg in g.BOUNTIES:
            return lambda pilot: g.hunt_bounty(pilot, arg)
        return None

    def _reply(self, outcome: g.Outcome) -> Reply:
        # Re-sent, never edited: each screen is a new message.
        return Reply(screen=self._screen(outcome.lines), new_message=True, notices=outcome.notices,
                     toast=outcome.toast)

    # --- screens ----------------------------------------------------------------

    def _screen(self, lines: list[str]) -> Screen:
        p = self.pilot
        if p.contact is not None:
            header, keyboard = self._combat()
        elif self.view == "profile":
            header, keyboard = self._profile(), [[Button("↩ Back", "bridge")]]
        elif self.view == "upgrades" and p.docked:
            header, keyboard = self._upgrades()
        elif self.view == "bounties" and not p.docked:
            header, keyboard = self._bounties()
        elif p.docked:
            header, keyboard = self._station()
        else:
            header, keyboard = self._belt()
        return Screen("\n".join([*lines, header]) if lines else header, keyboard)

    def _belt(self) -> tuple[str, list[list[Button]]]:
        p = self.pilot
        text = f"🛰 Asteroid belt\n⚡ Energy {p.energy}/{g.MAX_ENERGY} · Hold {p.ore}/{g.CARGO_SPACE} ore"
        return text, [
            [Button(f"⛏ Mine ({g.MINE_COST}⚡)", "mine"), Button(f"🏴‍☠️ Patrol ({g.PATROL_COST}⚡)", "patrol")],
            [Button("🎯 Bounties", "bounties"), Button("💤 Rest", "rest")],
            [Button("🚀 Dock", "dock"), Button("👤 Profile", "profile")],
        ]

    def _station(self) -> tuple[str, list[list[Button]]]:
        p = self.pilot
        text = f"🏗 Helix Station\nOre price: {g.ORE_PRICE} ¢ · Your hold: {p.ore} ore"
        return text, [
            [Button("💰 Sell ore", "sell"), Button(f"🔧 Repair ({g.repair_cost(p)}¢)", "repair")],
            [Button("🛒 Upgrades", "upgrades"), Button("🚀 Launch", "launch")],
            [Button("👤 Profile", "profile")],
        ]

    def _upgrades(self) -> tuple[str, list[list[Button]]]:
        rows = [
            [Button(f"{'✅' if key in self.pilot.upgrades else '🛒'} {name} ({price}¢)", f"buy:{key}")]
            for key, (name, price) in g.UPGRADES.items()
        ]
        return "🛒 Shipyard upgrades", [*rows, [Button("↩ Back", "bridge")]]

    def _bounties(self) -> tuple[str, list[list[Button]]]:
        rows = []
        for key, target in g.BOUNTIES.items():
            if key in self.pilot.bounties:
                label = f"✅ {target.name}"
            elif self.pilot.rank >= target.min_rank:
                label = f"🎯 {target.name} ({g.BOUNTY_COST}⚡)"
            else:
                label = f"🔒 {target.name} ({g.RANKS[target.min_rank]})"
            rows.append([Button(label, f"hunt:{key}")])
        return "🎯 Wanted pirates", [*rows, [Button("↩ Back", "bridge")]]

    def _combat(self) -> tuple[str, list[list[Button]]]:
        p, contact = self.pilot, self.pilot.contact
        assert contact is not None
        foe = contact.pirate
        text = (f"🏴‍☠️ {foe.name} — hull {contact.hull}/{foe.hull}\n"
                f"Your hull {p.hull}/{p.max_hull} · shield {p.shield}/{p.max_shield}")
        return text, [
            [Button("🔫 Fire", "fire"), Button("🛡 Shields up", "shield")],
            [Button(f"🌀 Warp out ({g.WARP_COST}⚡)", "warp")],
        ]

    def _profile(self) -> str:
        p = self.pilot
        top = p.rank + 1 >= len(g.RANKS)
        bosses = ", ".join(g.BOUNTIES[k].name for k in p.bounties)
        if self.layout == 1:
            bar = "▓" * (p.progress_percent // 10) + "░" * (10 - p.progress_percent // 10)
            progress = (
                "Progress: top rank" if top else f"Progress to {g.RANKS[p.rank + 1]}: {bar} {p.progress_percent}%"
            )
            return "\n".join([
                "👤 Pilot profile", f"Rank: {g.RANKS[p.rank]}", progress, f"Credits: {p.credits} ¢",
                f"Hull: {p.hull}/{p.max_hull} · Shield: {p.shield}/{p.max_shield}",
                f"Energy: {p.energy}/{g.MAX_ENERGY}", f"Cargo: {p.ore}/{g.CARGO_SPACE} ore",
                f"Bounties claimed: {bosses or 'none'}",
            ])
        after = "max" if top else f"{g.RANKS[p.rank + 1]} [{p.progress_percent}%]"
        return "\n".join([
            "🪪 PILOT DOSSIER", f"{g.RANKS[p.rank]} ▸ {after}",
            f"Wallet {p.credits}¢ | Hull {p.hull}/{p.max_hull} | Shield {p.shield}/{p.max_shield} | ⚡{p.energy}",
            f"Hold: {p.ore} ore", f"Claimed: {bosses or '—'}",
        ])
