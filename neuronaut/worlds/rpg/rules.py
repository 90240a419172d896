"""Dungeon Quest's numbers as the curriculum and the menus use them: the goals' ladder, when a boss is ripe,
what gear adds, what the shop would sell, what a goal still takes.

The names come from the game's own content, so a ladder can never ask for an item the shop does not sell.
Nothing here parses a goal: ``goals`` does, and asks these rules with a goal's kind and target.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from neuronaut.learning.goals import normal
from neuronaut.servers.rpg import content as c
from neuronaut.servers.rpg.town import MAX_POTIONS

# A boss is a fight to take one level past its gate, with gear that outlasts it (``feasible``).
LEVELS_PAST_GATE = 1


def own(item_key: str) -> str:
    item = c.ITEMS[item_key]
    if item.kind == "armour":
        return f"own {item.name}"  # mass nouns: "own Leather Armour", "own Chain Mail"
    return f"own {'an' if item.name[0].lower() in 'aeiou' else 'a'} {item.name}"


def boss_goal(area_key: str) -> str:
    if area_key == "forest":
        return "defeat the first boss"
    return f"defeat the {c.MONSTERS[c.AREAS[area_key].boss].name}"


def ladder() -> tuple[str, ...]:
    # Gear before bosses, in the order an expert player reaches them. No "have N gold": see goals.candidates.
    return (
        "reach level 2", "reach level 3", own("iron_sword"), "reach level 4",
        own("leather"), boss_goal("forest"), "reach level 5", "reach level 6", own("steel_sword"),
        "reach level 7", own("chainmail"), boss_goal("caves"), "reach level 8", "reach level 10",
        boss_goal("peak"),
    )


def item_named(name: str) -> c.Item | None:
    return next((i for i in c.ITEMS.values() if i.name.lower() == name), None)


def item_feasible(name: str, progress: dict[str, Any]) -> bool:
    """Gear that beats what is worn and that the gold pays for (a potion: the gold alone)."""
    item = item_named(name)
    if item is None:
        return True
    items = progress.get("items")
    if item.kind != "potion" and isinstance(items, list) and item.bonus <= best_gear(items)[item.kind]:
        return False  # the shop's wares (``wares``) leave it out: adds nothing to what is worn
    gold = progress.get("gold")
    return not isinstance(gold, int) or item.price <= gold


def boss_feasible(boss: str, progress: dict[str, Any]) -> bool:
    """A level past the boss's gate, with gear that outlasts it (True when progress cannot tell)."""
    level, area = progress.get("level"), boss_area(boss)
    if not isinstance(level, int) or area is None:
        return True
    items = progress.get("items")
    geared = not isinstance(items, list) or outlasts(c.MONSTERS[area.boss], level, items)
    return level >= ready_level(area) and geared


def outlasts(boss: Any, level: int, items: Collection[str]) -> bool:
    """Whether a hero at full HP, with the best of ``items``, kills ``boss`` by the game's numbers (an average
    roll, no critical hits, no potions) before it kills them."""
    best = best_gear(items)
    hit = max(1, c.base_attack(level) + best["weapon"] + 1 - boss.defense)  # the average roll (0-2)
    taken = max(1, boss.atk - c.base_defense(level) - best["armour"])
    hits_taken = -(-boss.hp // hit) - 1  # the hero strikes first: the last blow ends the fight
    return hits_taken * taken < c.max_hp_for(level)


def best_gear(items: Collection[str]) -> dict[str, int]:
    """The bonus of the best weapon and of the best armour among ``items`` (item names), 0 for none."""
    names = {normal(i) for i in items}
    return {kind: max((i.bonus for i in c.ITEMS.values() if i.kind == kind and normal(i.name) in names), default=0)
            for kind in ("weapon", "armour")}


def wares(hero: dict[str, Any]) -> list[str]:
    """What the shop would sell ``hero`` that adds to what they carry: potions under the limit, and gear better
    than the best of its kind owned, each within the gold (for what the checker read; unread means no limit)."""
    owned, potions, gold = hero.get("items"), hero.get("potions"), hero.get("gold")
    best = best_gear(owned if isinstance(owned, list) else [])
    full = isinstance(potions, int) and potions >= MAX_POTIONS

    def adds(item: c.Item) -> bool:
        return not full if item.kind == "potion" else item.bonus > best[item.kind]

    return [item.name for item in c.ITEMS.values()
            if adds(item) and not (isinstance(gold, int) and item.price > gold)]


def needs(kind: str, target: Any, progress: dict[str, Any]) -> str:
    """What a goal of ``kind`` and ``target`` still takes, in the game's own numbers ("" when unknown)."""
    level, xp, gold = progress.get("level"), progress.get("xp", 0), progress.get("gold")
    if kind == "level" and isinstance(level, int):
        to_go = sum(c.xp_to_next(n) for n in range(level, target)) - xp
        return f"{to_go} more XP from fights" if to_go > 0 else ""
    if kind == "gold" and isinstance(gold, int):
        # "from fights": gold is won, not bought; naming the shop here sends a small model shopping.
        return f"{target - gold} more gold from fights" if target > gold else ""
    if kind == "item" and isinstance(gold, int) and (item := item_named(target)) is not None:
        short = f", {item.price - gold} more than you have" if item.price > gold else ""
        return f"costs {item.price} gold{short}"
    if kind == "boss":
        return _boss_fight_needs(target, level, progress.get("items"))
    return ""


def boss_ready_level(boss: str) -> int | None:
    """The level from which a boss is a fight to take; None for a boss the game does not have."""
    area = boss_area(boss)
    return None if area is None else ready_level(area)


def ready_level(area: Any) -> int:
    return area.boss_level + LEVELS_PAST_GATE


def boss_area(boss: str) -> Any:
    """The area whose boss a goal names ("first" or the boss's name in lower case), or None."""
    return next((a for a in c.AREAS.values()
                 if boss in ("first" if a.key == "forest" else "", c.MONSTERS[a.boss].name.lower())), None)


def _boss_fight_needs(boss: str, level: Any, items: Any) -> str:
    # "the first boss" names neither the boss nor where it is: both are the fight-boss skill's arguments.
    area = boss_area(boss)
    if area is None:
        return ""
    monster = c.MONSTERS[area.boss]
    fight = f"a boss fight: the {monster.name}, in the {area.name}"
    if not isinstance(level, int):
        return f"{fight}, from level {area.boss_level}"
    if isinstance(items, list) and level >= ready_level(area):
        # Past the gate the gate's level is not repeated: a small model reads any level named as one to reach.
        if outlasts(monster, level, items):
            return f"{fight}; your level and gear outlast it: fight it now"
        return f"{fight}; at level {level}, with your gear, it outlasts you: level up or buy gear first"
    return f"{fight}, from level {area.boss_level}; you are level {level}"


def start() -> dict[str, Any]:
    """The hero of a new game, in the checker's terms."""
    hp = c.max_hp_for(1)
    return {"level": 1, "xp": 0, "xp_next": c.xp_to_next(1), "hp": hp, "max_hp": hp,
            "gold": c.START_GOLD, "items": []}
