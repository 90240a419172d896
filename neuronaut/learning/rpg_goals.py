"""The RPG's goals for the curriculum: the ladder, the candidates one step beyond the hero, whether a goal holds
or is feasible now, what it still takes, and when a boss is ripe.

Every goal is in a form ``worlds.rpg.parse_goal`` understands, and the names come from the game's own content,
so a ladder can never ask for an item the shop does not sell.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from neuronaut.learning.goals import GoalSpace, Progress, normal

LEVELS_PAST_GATE = 1  # a boss is a fight to take one level past its gate (the odds: rpg_feasible)


def _own(item_key: str) -> str:
    from neuronaut.servers.rpg import content as c

    item = c.ITEMS[item_key]
    if item.kind == "armour":
        return f"own {item.name}"  # mass nouns: "own Leather Armour", "own Chain Mail"
    return f"own {'an' if item.name[0].lower() in 'aeiou' else 'a'} {item.name}"


def _boss_goal(area_key: str) -> str:
    from neuronaut.servers.rpg import content as c

    if area_key == "forest":
        return "defeat the first boss"
    return f"defeat the {c.MONSTERS[c.AREAS[area_key].boss].name}"


def rpg_ladder() -> tuple[str, ...]:
    # Ordered by what the expert policy reaches first (content.py's tuning notes): gear before bosses.
    # No "have N gold": see rpg_candidates.
    return (
        "reach level 2", "reach level 3", _own("iron_sword"), "reach level 4",
        _own("leather"), _boss_goal("forest"), "reach level 5", "reach level 6", _own("steel_sword"),
        "reach level 7", _own("chainmail"), _boss_goal("caves"), "reach level 8", "reach level 10",
        _boss_goal("peak"),
    )


def rpg_candidates(progress: Progress, completed: Collection[str]) -> list[str]:
    """Goals one step beyond the hero's current state: the next levels, affordable gear, a ripe boss.

    Never "have N gold": gold is a means, won by the fights that level the hero, and the 1.5 B model reads a
    gold goal as something to buy. On such goals it bought potions and armour it could not afford through
    whole 30-call games (learning-curve seeds 2 and 3, three sessions running), while the level goals' hunts
    earn the gold that the gear goals then spend. The checker still understands gold goals given by a user."""
    from neuronaut.servers.rpg import content as c

    level, gold = progress.get("level"), progress.get("gold")
    found: list[str] = []
    if isinstance(level, int):
        found += [f"reach level {level + 1}", f"reach level {level + 2}"]
        found += [g for g in map(_boss_goal, c.AREAS) if rpg_feasible(g, progress)]
    if isinstance(gold, int):
        owned = {normal(i) for i in progress.get("items", [])}
        # Potions are owned from the start, so never a goal.
        found += [_own(key) for key, item in c.ITEMS.items()
                  if item.kind != "potion" and normal(item.name) not in owned and rpg_feasible(_own(key), progress)]
    return found


def rpg_holds(goal: str, progress: Progress) -> bool:
    return rpg_goal_holds(goal, progress) is True


def rpg_goal_holds(goal: str, progress: Progress) -> bool | None:
    """Whether ``goal`` holds by ``progress``; None when the goal is not one the checker knows, or when
    ``progress`` cannot tell."""
    from neuronaut.errors import UserError
    from neuronaut.worlds.rpg import parse_goal

    try:
        target = parse_goal(goal)
    except UserError:
        return None
    # The checker's progress only lists bosses and items after a goal that needed them.
    needed = {"level": "level", "gold": "gold", "boss": "bosses", "item": "items"}[target.kind]
    return target.holds(dict(progress)) if needed in progress else None


def rpg_feasible(goal: str, progress: Progress) -> bool:
    """Voyager's "feasible now", for generated goals and the ladder's rungs alike: gear the hero can afford and
    that beats what it wears, a boss a level past its gate that the hero outlasts with its gear, anything else
    (True when progress cannot tell).

    Gear a few fights away is not feasible: offered it, the 1.5 B model chose "own Leather Armour" first and spent
    30 steps failing to buy it. A boss at its gate is not either: a hero without gear who only attacks lost to the
    Goblin King in 40 games of 40; one level on, with potions, won 27 of 40."""
    from neuronaut.errors import UserError
    from neuronaut.servers.rpg import content as c
    from neuronaut.worlds.rpg import parse_goal

    try:
        target = parse_goal(goal)
    except UserError:
        return True
    level, gold = progress.get("level"), progress.get("gold")
    if target.kind == "item":
        item = next((i for i in c.ITEMS.values() if i.name.lower() == target.target), None)
        if item is None:
            return True
        items = progress.get("items")
        if item.kind != "potion" and isinstance(items, list) and item.bonus <= best_gear(items)[item.kind]:
            # Gear no better than what is worn adds nothing, and the buy skill's menu (``wares``) does
            # not offer it: proposed "own an Iron Sword" with a Steel Sword worn (seed 8), the 1.5 B model bought
            # armour and potions for 18 calls and pressed a "Buy Iron Sword" button that is not there.
            return False
        return not isinstance(gold, int) or item.price <= gold
    if target.kind == "boss" and isinstance(level, int):
        area = _boss_area(target.target)
        if area is None:
            return True
        items = progress.get("items")
        geared = not isinstance(items, list) or outlasts(c.MONSTERS[area.boss], level, items)
        return level >= _ready_level(area) and geared
    return True


def outlasts(boss: Any, level: int, items: Collection[str]) -> bool:
    """Whether a hero at full HP, with the best of ``items``, kills ``boss`` by the game's numbers before it
    kills them, potions not counted (a potion heals 15, about what the Red Dragon hits for).

    "A level past the gate" alone offered the Red Dragon at level 11: the 1.5 B model lost it in all 4 games
    at levels 11-12 (steel sword and chain mail), and won it at 13 and 16. This rule asks for 13 with that gear.
    Critical hits are not counted on: with them, it also offered the dragon at level 14 with leather armour,
    where the fight-boss skill won 31-41 % of 300 simulated fights (every case it offers now: 90 % or more)."""
    from neuronaut.servers.rpg import content as c

    best = best_gear(items)
    hit = max(1, c.base_attack(level) + best["weapon"] + 1 - boss.defense)  # the average roll (0-2)
    taken = max(1, boss.atk - c.base_defense(level) - best["armour"])
    hits_taken = -(-boss.hp // hit) - 1  # the hero strikes first: the last blow ends the fight
    return hits_taken * taken < c.max_hp_for(level)


def best_gear(items: Collection[str]) -> dict[str, int]:
    """The bonus of the best weapon and of the best armour among ``items`` (item names), 0 for none."""
    from neuronaut.servers.rpg import content as c

    names = {normal(i) for i in items}
    return {kind: max((i.bonus for i in c.ITEMS.values() if i.kind == kind and normal(i.name) in names), default=0)
            for kind in ("weapon", "armour")}


def wares(hero: dict[str, Any]) -> list[str]:
    """What the shop would sell ``hero`` that adds to what they carry: potions under the limit, and gear better
    than the best of its kind owned, each within the gold (for what the checker read; unread means no limit)."""
    from neuronaut.servers.rpg import content
    from neuronaut.servers.rpg.town import MAX_POTIONS

    owned, potions, gold = hero.get("items"), hero.get("potions"), hero.get("gold")
    best = best_gear(owned if isinstance(owned, list) else [])
    full = isinstance(potions, int) and potions >= MAX_POTIONS

    def adds(item: content.Item) -> bool:
        return not full if item.kind == "potion" else item.bonus > best[item.kind]

    return [item.name for item in content.ITEMS.values()
            if adds(item) and not (isinstance(gold, int) and item.price > gold)]


def rpg_space() -> GoalSpace:
    return GoalSpace("rpg", rpg_ladder(), rpg_candidates, rpg_holds, start=rpg_start(), needs=rpg_needs,
                     feasible=rpg_feasible)


def rpg_needs(goal: str, progress: Progress) -> str:
    """What ``goal`` still takes from ``progress``, in the game's own numbers ("" when progress cannot tell)."""
    from neuronaut.errors import UserError
    from neuronaut.servers.rpg import content as c
    from neuronaut.worlds.rpg import parse_goal

    try:
        target = parse_goal(goal)
    except UserError:
        return ""
    level, xp, gold = progress.get("level"), progress.get("xp", 0), progress.get("gold")
    if target.kind == "level" and isinstance(level, int):
        to_go = sum(c.xp_to_next(n) for n in range(level, target.target)) - xp
        return f"{to_go} more XP from fights" if to_go > 0 else ""
    if target.kind == "gold" and isinstance(gold, int):
        # "from fights": told only "20 more gold", the 1.5 B model tried to buy an item called "Gold" 38 times.
        # Not "buying spends it": naming buying made the model buy Leather Armour for "have 30 gold" on seed 3,
        # 12 steps without the gold; without it, 4 hunts (bench/first_goal.py).
        return f"{target.target - gold} more gold from fights" if target.target > gold else ""
    if target.kind == "item" and isinstance(gold, int):
        item = next((i for i in c.ITEMS.values() if i.name.lower() == target.target), None)
        if item is not None:
            short = f", {item.price - gold} more than you have" if item.price > gold else ""
            return f"costs {item.price} gold{short}"
    if target.kind == "boss":
        return _boss_fight_needs(target.target, level, progress.get("items"))
    return ""


def boss_ready_level(boss: str) -> int | None:
    """The level from which a boss is a fight to take (``LEVELS_PAST_GATE`` past its gate); None for a boss
    the game does not have."""
    area = _boss_area(boss)
    return None if area is None else _ready_level(area)


def _ready_level(area: Any) -> int:
    return area.boss_level + LEVELS_PAST_GATE


def _boss_area(boss: str) -> Any:
    """The area whose boss ``parse_goal`` named ("first" or the boss's name in lower case), or None."""
    from neuronaut.servers.rpg import content as c

    return next((a for a in c.AREAS.values()
                 if boss in ("first" if a.key == "forest" else "", c.MONSTERS[a.boss].name.lower())), None)


def _boss_fight_needs(boss: str, level: Any, items: Any) -> str:
    # "the first boss" names neither the boss nor where it is: both are the fight-boss skill's arguments.
    from neuronaut.servers.rpg import content as c

    area = _boss_area(boss)
    if area is None:
        return ""
    monster = c.MONSTERS[area.boss]
    fight = f"a boss fight: the {monster.name}, in the {area.name}"
    if not isinstance(level, int):
        return f"{fight}, from level {area.boss_level}"
    if isinstance(items, list) and level >= _ready_level(area):
        # Told "from level 10; you are level 13", the 1.5 B model read the gate as a level still to reach: it
        # ran level skills whose goal held and bought armour it owned, 9 calls, and lost the Red Dragon.
        if outlasts(monster, level, items):
            # No number here: told "at level 5, with your gear, you outlast it: fight it now", the 1.5 B model
            # thought "I need to reach level 5" at level 5, 12 times in one run, and checked, bought and rested.
            return f"{fight}; your level and gear outlast it: fight it now"
        return f"{fight}; at level {level}, with your gear, it outlasts you: level up or buy gear first"
    # Told only the gate, the 1.5 B model at level 6 kept levelling "to reach level 5" instead of fighting.
    return f"{fight}, from level {area.boss_level}; you are level {level}"


def rpg_start() -> dict[str, Any]:
    """The hero of a new game, in the checker's terms."""
    from neuronaut.servers.rpg import content

    hp = content.max_hp_for(1)
    return {"level": 1, "xp": 0, "xp_next": content.xp_to_next(1), "hp": hp, "max_hp": hp,
            "gold": content.START_GOLD, "items": []}
