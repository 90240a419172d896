"""Crypt Crawl's rules: delve room by room, fight with stances, die and lose coins.

A fight round is two presses: choose a stance, then confirm it. The foe shows
its intent before each round; each intent has one stance that answers it best.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from typing import Any

from neuronaut.servers.botchat.saved import rng_from_json, rng_to_json

STANCES = ("strike", "guard", "feint")
INTENTS = {"winds up": "guard", "braces": "feint", "circles": "strike"}  # the best answer to each
HERB_HEAL = 6
HERB_PRICE, BLADE_PRICE = 4, 30
DEPTHS = 5


@dataclass(frozen=True)
class Monster:
    name: str
    hp: int
    attack: int
    exp: int
    coins: int
    warden: bool = False


FOES = {
    1: Monster("rat", 5, 2, 7, 2),
    2: Monster("ghoul", 8, 3, 10, 4),
    3: Monster("wight", 12, 4, 14, 6),
    4: Monster("shade", 15, 5, 18, 8),
    5: Monster("revenant", 19, 6, 24, 10),
}
WARDENS = {3: Monster("Bone Warden", 22, 4, 30, 25, warden=True), 5: Monster("Pale Queen", 34, 6, 60, 60, warden=True)}


def exp_needed(level: int) -> int:
    return 20 + 15 * (level - 1)


@dataclass
class Foe:
    depth: int
    hp: int
    intent: str
    warden: bool = False

    @property
    def monster(self) -> Monster:
        return WARDENS[self.depth] if self.warden else FOES[self.depth]


@dataclass
class Outcome:
    ok: bool = True
    lines: list[str] = field(default_factory=list)
    toast: str | None = None


def refused(why: str) -> Outcome:
    return Outcome(ok=False, toast=why)


@dataclass
class Hero:
    rng: random.Random
    level: int = 1
    exp: int = 0
    hp: int = 12
    coins: int = 5
    depth: int = 0  # 0: the surface
    deepest: int = 0
    blade: bool = False
    bag: dict[str, int] = field(default_factory=lambda: {"herb": 1, "torch": 1})
    wardens: list[str] = field(default_factory=list)
    foe: Foe | None = None
    stance: str | None = None  # chosen, not yet confirmed

    @property
    def max_hp(self) -> int:
        return 12 + 3 * (self.level - 1)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rng"] = rng_to_json(self.rng)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Hero:
        data = dict(data)
        rng = rng_from_json(data.pop("rng"))
        foe = data.pop("foe")
        return cls(rng=rng, foe=Foe(**foe) if foe else None, **data)


def _meet(hero: Hero, warden: bool = False) -> None:
    monster = WARDENS[hero.depth] if warden else FOES[hero.depth]
    hero.foe = Foe(hero.depth, monster.hp, hero.rng.choice(list(INTENTS)), warden)


def descend(hero: Hero) -> Outcome:
    if hero.foe is not None:
        return refused("Not while fighting.")
    if hero.depth >= DEPTHS:
        return refused("No way down.")
    if hero.depth in WARDENS and WARDENS[hero.depth].name not in hero.wardens:
        return refused(f"The {WARDENS[hero.depth].name} bars the stair.")
    hero.depth += 1
    hero.deepest = max(hero.deepest, hero.depth)
    return Outcome(lines=[f"Down to depth {hero.depth}."])


def climb(hero: Hero) -> Outcome:
    if hero.foe is not None:
        return refused("Not while fighting.")
    hero.depth = 0
    return Outcome(lines=["Back to the surface."])


def onward(hero: Hero) -> Outcome:
    if hero.depth == 0:
        return refused("Go down first.")
    roll = hero.rng.random()
    if roll < 0.6:
        _meet(hero)
        return Outcome(lines=[f"A {hero.foe.monster.name} blocks the way."])  # type: ignore[union-attr]
    if roll < 0.85:
        found = hero.rng.randint(1, 2 + hero.depth)
        hero.coins += found
        return Outcome(lines=[f"Loose coins: {found}."])
    hero.bag["herb"] = hero.bag.get("herb", 0) + 1
    return Outcome(lines=["A herb grows between the stones."])


def challenge(hero: Hero) -> Outcome:
    warden = WARDENS.get(hero.depth)
    if warden is None or warden.name in hero.wardens:
        return refused("Nothing here.")
    _meet(hero, warden=True)
    return Outcome(lines=[f"The {warden.name} rises."])


def rest(hero: Hero) -> Outcome:
    if hero.hp >= hero.max_hp:
        return refused("Not tired.")
    if hero.depth == 0:
        hero.hp = hero.max_hp
        return Outcome(lines=["You sleep by the fire."])
    hero.hp = min(hero.max_hp, hero.hp + 3)
    if hero.rng.random() < 0.3:
        _meet(hero)
        return Outcome(lines=[f"Rest broken: a {hero.foe.monster.name} creeps close."])  # type: ignore[union-attr]
    return Outcome(lines=["You catch your breath."])


def use_herb(hero: Hero) -> Outcome:
    if not hero.bag.get("herb"):
        return refused("No herbs.")
    if hero.hp >= hero.max_hp:
        return refused("Not hurt.")
    hero.bag["herb"] -= 1
    if not hero.bag["herb"]:
        del hero.bag["herb"]
    hero.hp = min(hero.max_hp, hero.hp + HERB_HEAL)
    return Outcome(lines=["Herb chewed."], toast=f"+{HERB_HEAL} hp")


def buy(hero: Hero, item: str) -> Outcome:
    price = {"herb": HERB_PRICE, "blade": BLADE_PRICE}[item]
    if item == "blade" and hero.blade:
        return refused("You have the blade.")
    if hero.coins < price:
        return refused(f"{price} coins needed.")
    hero.coins -= price
    if item == "blade":
        hero.blade = True
    else:
        hero.bag["herb"] = hero.bag.get("herb", 0) + 1
    return Outcome(lines=[f"Bought: {item}."], toast=f"-{price}c")
