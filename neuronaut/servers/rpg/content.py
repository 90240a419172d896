"""The game's data: monsters, areas, items, quests and the XP curve.

Kept apart from the rules so balancing means editing numbers here only.
The numbers were tuned with the policies in ``policies.py`` over 40 seeds: the
expert reaches level 2 in ~16 presses (max 29), level 5 in ~90 and beats the
Goblin King by ~100 (max ~125); a random button-presser reaches level 3 on only
~1 seed in 8 within 600 presses; and a player who only ever attacks and never
rests dies again and again around level 2-3 (resting is the lesson to learn).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Monster:
    key: str
    name: str
    emoji: str
    hp: int
    atk: int
    defense: int
    xp: int
    gold: tuple[int, int]
    boss: bool = False

    @property
    def label(self) -> str:
        return f"{self.emoji} {self.name}"


@dataclass(frozen=True)
class Area:
    key: str
    name: str
    emoji: str
    min_level: int
    # (monster key, weight): weights shift towards tougher monsters as the hero levels.
    monsters: tuple[tuple[str, int], ...]
    boss: str
    boss_level: int


@dataclass(frozen=True)
class Item:
    key: str
    name: str
    emoji: str
    kind: str  # "potion", "weapon" or "armour"
    price: int
    bonus: int  # healing for potions, attack for weapons, defence for armour

    @property
    def sell_price(self) -> int:
        return self.price // 2


@dataclass(frozen=True)
class Quest:
    key: str
    title: str
    target: str  # monster key
    count: int
    reward_gold: int
    reward_xp: int


MONSTERS: dict[str, Monster] = {
    m.key: m
    for m in (
        Monster("slime", "Slime", "🟢", hp=6, atk=3, defense=0, xp=4, gold=(2, 4)),
        Monster("wolf", "Wolf", "🐺", hp=10, atk=5, defense=1, xp=6, gold=(3, 6)),
        Monster("goblin", "Goblin", "👺", hp=13, atk=6, defense=1, xp=8, gold=(5, 9)),
        Monster("bat", "Giant Bat", "🦇", hp=14, atk=7, defense=1, xp=10, gold=(6, 10)),
        Monster("skeleton", "Skeleton", "💀", hp=18, atk=8, defense=2, xp=13, gold=(8, 13)),
        Monster("troll", "Cave Troll", "🧌", hp=26, atk=10, defense=3, xp=18, gold=(10, 16)),
        Monster("harpy", "Harpy", "🦅", hp=34, atk=13, defense=5, xp=26, gold=(10, 16)),
        Monster("ogre", "Ogre", "👹", hp=46, atk=15, defense=6, xp=34, gold=(14, 22)),
        Monster("wyvern", "Wyvern", "🐲", hp=58, atk=18, defense=7, xp=45, gold=(18, 28)),
        Monster("goblin_king", "Goblin King", "👑", 55, 11, 4, xp=70, gold=(50, 60), boss=True),
        Monster("golem", "Crystal Golem", "💎", 110, 17, 8, xp=160, gold=(90, 110), boss=True),
        Monster("dragon", "Red Dragon", "🐉", 200, 24, 10, xp=400, gold=(250, 300), boss=True),
    )
}

AREAS: dict[str, Area] = {
    a.key: a
    for a in (
        Area("forest", "Forest", "🌲", 1, (("slime", 6), ("wolf", 3), ("goblin", 2)), "goblin_king", 4),
        Area("caves", "Caves", "🦇", 3, (("bat", 5), ("skeleton", 3), ("troll", 2)), "golem", 7),
        Area("peak", "Peak", "🏔️", 6, (("harpy", 5), ("ogre", 3), ("wyvern", 2)), "dragon", 10),
    )
}
BOSS_NAMES = tuple(MONSTERS[area.boss].name for area in AREAS.values())  # in the order they are fought

ITEMS: dict[str, Item] = {
    i.key: i
    for i in (
        Item("potion", "Potion", "🧪", "potion", price=8, bonus=15),
        Item("iron_sword", "Iron Sword", "🗡️", "weapon", price=30, bonus=3),
        Item("steel_sword", "Steel Sword", "⚔️", "weapon", price=90, bonus=7),
        Item("leather", "Leather Armour", "🦺", "armour", price=25, bonus=2),
        Item("chainmail", "Chain Mail", "🛡️", "armour", price=80, bonus=5),
    )
}

QUESTS: dict[str, Quest] = {
    q.key: q
    for q in (
        Quest("slimes", "Slime Trouble", "slime", 3, reward_gold=12, reward_xp=4),
        Quest("wolves", "Wolf Pack", "wolf", 4, reward_gold=25, reward_xp=10),
        Quest("king", "Dethrone the Goblin King", "goblin_king", 1, reward_gold=60, reward_xp=30),
    )
}

START_GOLD = 10
START_POTIONS = 1
FLEE_CHANCE = 0.6
BOSS_FLEE_CHANCE = 0.35
CRIT_CHANCE = 0.1
# Exploring does not always mean a fight; the rest are small finds.
ENCOUNTER_CHANCE = 0.72
GOLD_FIND_CHANCE = 0.12
POTION_FIND_CHANCE = 0.06


def xp_to_next(level: int) -> int:
    """XP needed to go from ``level`` to ``level + 1`` (a rising curve)."""
    table = (10, 35, 50, 70, 100)
    if level <= len(table):
        return table[level - 1]
    return table[-1] + 40 * (level - len(table))


def max_hp_for(level: int) -> int:
    return 20 + 6 * (level - 1)


def base_attack(level: int) -> int:
    return 2 + 2 * level


def base_defense(level: int) -> int:
    return (level - 1) // 2


def inn_cost(level: int) -> int:
    return 3 + 2 * level
