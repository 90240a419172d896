"""Pure game rules: a hero, monsters, combat, the town. No I/O, no text layout.

Every action takes the ``GameState``, changes it in place and returns an
``Outcome`` describing what happened. The random generator lives inside the
state and round-trips through JSON, so a restarted server continues exactly
where it stopped.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from typing import Any

from neuronaut.servers.botchat.saved import rng_from_json, rng_to_json
from neuronaut.servers.rpg import content as c


@dataclass
class Foe:
    key: str
    hp: int
    max_hp: int
    atk: int
    defense: int
    xp: int
    gold: int
    boss: bool = False

    @property
    def label(self) -> str:
        return c.MONSTERS[self.key].label


@dataclass
class Outcome:
    lines: list[str] = field(default_factory=list)
    toast: str | None = None
    alert: bool = False
    ok: bool = True  # False: the action was refused and nothing changed
    notices: list[str] = field(default_factory=list)  # worth a message of their own
    died: bool = False


def refused(reason: str) -> Outcome:
    return Outcome(toast=reason, alert=True, ok=False)


@dataclass
class GameState:
    rng: random.Random
    level: int = 1
    xp: int = 0
    hp: int = c.max_hp_for(1)
    gold: int = c.START_GOLD
    potions: int = c.START_POTIONS
    items: list[str] = field(default_factory=list)
    location: str = "town"
    foe: Foe | None = None
    quests: dict[str, int] = field(default_factory=dict)  # active quest -> progress
    done_quests: list[str] = field(default_factory=list)
    bosses: list[str] = field(default_factory=list)
    deaths: int = 0

    @property
    def max_hp(self) -> int:
        return c.max_hp_for(self.level)

    @property
    def xp_next(self) -> int:
        return c.xp_to_next(self.level)

    @property
    def weapon(self) -> c.Item | None:
        return self._best("weapon")

    @property
    def armour(self) -> c.Item | None:
        return self._best("armour")

    @property
    def attack(self) -> int:
        return c.base_attack(self.level) + (self.weapon.bonus if self.weapon else 0)

    @property
    def defense(self) -> int:
        return c.base_defense(self.level) + (self.armour.bonus if self.armour else 0)

    def _best(self, kind: str) -> c.Item | None:
        owned = [c.ITEMS[k] for k in self.items if c.ITEMS[k].kind == kind]
        return max(owned, key=lambda item: item.bonus, default=None)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rng"] = rng_to_json(self.rng)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GameState:
        data = dict(data)
        rng = rng_from_json(data.pop("rng"))
        foe = data.pop("foe")
        return cls(rng=rng, foe=Foe(**foe) if foe else None, **data)


def new_game(seed: int) -> GameState:
    return GameState(rng=random.Random(seed))


# --- moving around ---------------------------------------------------------


def travel(state: GameState, area_key: str) -> Outcome:
    area = c.AREAS[area_key]
    if state.foe:
        return refused("Finish the fight first.")
    if state.level < area.min_level:
        return refused(f"{area.name} is too dangerous: reach level {area.min_level} first.")
    state.location = area_key
    return Outcome([f"You head into the {area.emoji} {area.name}."], toast=f"{area.name}")


def go_town(state: GameState) -> Outcome:
    if state.foe:
        return refused("Finish the fight first.")
    state.location = "town"
    return Outcome(["You walk back to 🏠 Town."], toast="Town")


def explore(state: GameState) -> Outcome:
    if state.location not in c.AREAS or state.foe:
        return refused("You can only explore an area outside a fight.")
    roll = state.rng.random()
    if roll < c.ENCOUNTER_CHANCE:
        state.foe = _spawn(state, _pick_monster(state, c.AREAS[state.location]))
        return Outcome([f"A {state.foe.label} appears! (HP {state.foe.hp})"], toast="A monster!")
    roll -= c.ENCOUNTER_CHANCE
    if roll < c.GOLD_FIND_CHANCE:
        found = state.rng.randint(2, 4 + 2 * state.level)
        state.gold += found
        return Outcome([f"You find a pouch with {found} gold."], toast=f"+{found} gold")
    roll -= c.GOLD_FIND_CHANCE
    if roll < c.POTION_FIND_CHANCE:
        state.potions += 1
        return Outcome(["You find a 🧪 Potion under a root."], toast="+1 potion")
    return Outcome(["All is quiet. Nothing here."], toast="Nothing found")


def _pick_monster(state: GameState, area: c.Area) -> c.Monster:
    # Tougher monsters show up more often as the hero outgrows the area.
    extra = max(0, state.level - area.min_level)
    keys = [key for key, _ in area.monsters]
    weights = [w + extra * i for i, (_, w) in enumerate(area.monsters)]
    return c.MONSTERS[state.rng.choices(keys, weights)[0]]


def _spawn(state: GameState, monster: c.Monster) -> Foe:
    scale = 0 if monster.boss else max(0, state.level - c.AREAS[state.location].min_level)
    hp = monster.hp + 2 * scale
    return Foe(
        key=monster.key,
        hp=hp,
        max_hp=hp,
        atk=monster.atk + scale // 2,
        defense=monster.defense,
        xp=monster.xp + scale,
        gold=state.rng.randint(*monster.gold),
        boss=monster.boss,
    )


def challenge_boss(state: GameState) -> Outcome:
    area = c.AREAS.get(state.location)
    if area is None or state.foe:
        return refused("There is no boss here.")
    boss = c.MONSTERS[area.boss]
    if area.boss in state.bosses:
        return refused(f"The {boss.name} is already defeated.")
    if state.level < area.boss_level:
        return refused(f"The {boss.name} would crush you: reach level {area.boss_level} first.")
    state.foe = _spawn(state, boss)
    return Outcome([f"The {boss.label} blocks your way! (HP {state.foe.hp})"], toast="Boss fight!")
