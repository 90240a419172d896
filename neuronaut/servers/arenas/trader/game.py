"""Void Trader's rules: a pilot who mines ore, fights pirates and climbs the ranks.

Every action outside combat spends energy, which comes back only by resting, so
energy is what limits play. Merit (from mining and fights) buys promotions.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from typing import Any

from neuronaut.servers.botchat.saved import rng_from_json, rng_to_json

RANKS = ("Cadet", "Ensign", "Lieutenant", "Commander", "Captain", "Admiral")
RANK_MERIT = (0, 25, 60, 110, 180, 270)  # merit needed to hold each rank
MAX_ENERGY = 10
REST_ENERGY = 4
CARGO_SPACE = 12
ORE_PRICE = 5
MINE_COST, PATROL_COST, BOUNTY_COST, WARP_COST = 2, 3, 3, 2
MINE_MERIT = 2
AMBUSH_CHANCE = 0.2


@dataclass(frozen=True)
class Pirate:
    key: str
    name: str
    hull: int
    attack: int
    credits: int
    merit: int
    min_rank: int = 0  # for named pirates: the rank that unlocks the bounty


PIRATES = {
    "drone": Pirate("drone", "Scavenger drone", 6, 2, 8, 4),
    "skiff": Pirate("skiff", "Raider skiff", 10, 3, 14, 6),
    "gunship": Pirate("gunship", "Corsair gunship", 16, 4, 24, 9),
}
BOUNTIES = {
    "vex": Pirate("vex", "Red Vex", 24, 4, 60, 20, min_rank=1),
    "hollow": Pirate("hollow", "The Hollow Admiral", 40, 6, 150, 40, min_rank=3),
}
UPGRADES = {"laser": ("Laser Mk2", 60), "shield": ("Shield Mk2", 50)}


@dataclass
class Contact:
    key: str
    hull: int

    @property
    def pirate(self) -> Pirate:
        return PIRATES.get(self.key) or BOUNTIES[self.key]


@dataclass
class Outcome:
    ok: bool = True
    lines: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    toast: str | None = None


def refused(why: str) -> Outcome:
    return Outcome(ok=False, toast=why)


@dataclass
class Pilot:
    rng: random.Random
    merit: int = 0
    credits: int = 20
    hull: int = 20
    shield: int = 5
    energy: int = MAX_ENERGY
    ore: int = 0
    docked: bool = False
    upgrades: list[str] = field(default_factory=list)
    bounties: list[str] = field(default_factory=list)
    contact: Contact | None = None

    @property
    def rank(self) -> int:
        return max(i for i, need in enumerate(RANK_MERIT) if self.merit >= need)

    @property
    def max_hull(self) -> int:
        return 20 + 5 * self.rank

    @property
    def max_shield(self) -> int:
        return 8 if "shield" in self.upgrades else 5

    @property
    def progress_percent(self) -> int:
        """Merit toward the next rank, in percent (100 at the top rank)."""
        if self.rank + 1 >= len(RANKS):
            return 100
        floor, top = RANK_MERIT[self.rank], RANK_MERIT[self.rank + 1]
        return (self.merit - floor) * 100 // (top - floor)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rng"] = rng_to_json(self.rng)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Pilot:
        data = dict(data)
        rng = rng_from_json(data.pop("rng"))
        contact = data.pop("contact")
        return cls(rng=rng, contact=Contact(**contact) if contact else None, **data)


# --- actions --------------------------------------------------------------------


def _spend(pilot: Pilot, cost: int) -> str | None:
    if pilot.energy < cost:
        return f"Not enough energy: {cost} needed, {pilot.energy} left. Rest to recharge."
    pilot.energy -= cost
    return None


def gain_merit(pilot: Pilot, merit: int, outcome: Outcome) -> None:
    before = pilot.rank
    pilot.merit += merit
    if pilot.rank > before:
        pilot.hull = pilot.max_hull
        outcome.notices.append(f"🎖 Promotion! You are now {RANKS[pilot.rank]}.")


def mine(pilot: Pilot) -> Outcome:
    if pilot.ore >= CARGO_SPACE:
        return refused("Cargo hold full. Dock and sell your ore.")
    if (why := _spend(pilot, MINE_COST)) is not None:
        return refused(why)
    found = min(pilot.rng.randint(1, 3), CARGO_SPACE - pilot.ore)
    pilot.ore += found
    outcome = Outcome(lines=[f"⛏ You cut {found} ore from an asteroid."], toast=f"+{found} ore")
    gain_merit(pilot, MINE_MERIT, outcome)
    if pilot.rng.random() < AMBUSH_CHANCE:
        pilot.contact = Contact("drone", PIRATES["drone"].hull)
        outcome.lines.append("⚠️ A scavenger drone jumps you!")
    return outcome


def patrol(pilot: Pilot) -> Outcome:
    if (why := _spend(pilot, PATROL_COST)) is not None:
        return refused(why)
    pool = ["drone"] if pilot.rank == 0 else ["drone", "skiff"] if pilot.rank == 1 else ["skiff", "gunship"]
    key = pilot.rng.choice(pool)
    pilot.contact = Contact(key, PIRATES[key].hull)
    return Outcome(lines=[f"📡 Patrol contact: {PIRATES[key].name}."])


def hunt_bounty(pilot: Pilot, key: str) -> Outcome:
    target = BOUNTIES[key]
    if key in pilot.bounties:
        return refused(f"{target.name} is already claimed.")
    if pilot.rank < target.min_rank:
        return refused(f"Bounty locked: rank {RANKS[target.min_rank]} required.")
    if (why := _spend(pilot, BOUNTY_COST)) is not None:
        return refused(why)
    pilot.contact = Contact(key, target.hull)
    return Outcome(lines=[f"🎯 You track down {target.name}."])


def rest(pilot: Pilot) -> Outcome:
    if pilot.energy >= MAX_ENERGY and pilot.shield >= pilot.max_shield:
        return refused("Already fully charged.")
    pilot.energy = min(MAX_ENERGY, pilot.energy + REST_ENERGY)
    pilot.shield = pilot.max_shield
    return Outcome(lines=["💤 Systems recharged."], toast=f"⚡ {pilot.energy}/{MAX_ENERGY}")


def dock(pilot: Pilot) -> Outcome:
    pilot.docked = True
    pilot.shield = pilot.max_shield
    return Outcome(lines=["🚀 Docked at Helix Station."])


def launch(pilot: Pilot) -> Outcome:
    pilot.docked = False
    return Outcome(lines=["🚀 Back in the asteroid belt."])


def sell_ore(pilot: Pilot) -> Outcome:
    if not pilot.ore:
        return refused("No ore to sell.")
    earned = pilot.ore * ORE_PRICE
    pilot.credits += earned
    pilot.ore = 0
    return Outcome(lines=[f"💰 Ore sold for {earned} ¢."], toast=f"+{earned} ¢")


def repair_cost(pilot: Pilot) -> int:
    return pilot.max_hull - pilot.hull


def repair(pilot: Pilot) -> Outcome:
    cost = repair_cost(pilot)
    if cost == 0:
        return refused("Hull is intact.")
    if pilot.credits < cost:
        return refused(f"Repairs cost {cost} ¢; you have {pilot.credits} ¢.")
    pilot.credits -= cost
    pilot.hull = pilot.max_hull
    return Outcome(lines=["🔧 Hull repaired."], toast=f"-{cost} ¢")


def buy_upgrade(pilot: Pilot, key: str) -> Outcome:
    name, price = UPGRADES[key]
    if key in pilot.upgrades:
        return refused(f"{name} already installed.")
    if pilot.credits < price:
        return refused(f"{name} costs {price} ¢; you have {pilot.credits} ¢.")
    pilot.credits -= price
    pilot.upgrades.append(key)
    return Outcome(lines=[f"🛒 {name} installed."], toast=f"-{price} ¢")
