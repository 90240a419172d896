"""The RPG's goal language: "reach level N", "have N gold", "defeat the first boss", "defeat <boss>",
"own <item>", parsed once into an ``RpgGoal``; and its goal space for the curriculum."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from neuronaut.errors import UserError
from neuronaut.learning.goals import GoalSpace, Progress, normal
from neuronaut.servers.rpg import content as c
from neuronaut.worlds.base import Goal
from neuronaut.worlds.rpg import rules

_GOAL_FORMS = (
    (re.compile(r"\b(?:reach|get to|hit) level (\d+)\b"), "level", int),
    (re.compile(r"\b(?:have|collect|earn|get|hold) (?:at least |>= ?|≥ ?)?(\d+) gold\b"), "gold", int),
    (re.compile(r"\b(?:defeat|beat|kill|slay) (?:the )?first boss\b"), "boss", lambda _: "first"),
    (re.compile(r"\b(?:defeat|beat|kill|slay) (?:the )?(?:boss )?(.+)$"), "boss", str.strip),
    (re.compile(r"\b(?:own|buy|have|get|obtain) (?:a |an |the )?(.+)$"), "item", str.strip),
)

GOAL_HELP = "reach level N, have N gold, defeat the first boss, defeat <boss>, own <item>"
_READS = {"level": "level", "gold": "gold", "boss": "bosses", "item": "items"}  # what a reading must list


@dataclass(frozen=True)
class RpgGoal(Goal):
    target: Any = None  # a level, an amount of gold, "first" or a boss's name, an item's name (lower case)

    def satisfied_by(self, hero: dict[str, Any]) -> bool:
        if self.kind == "level":
            return hero.get("level", 0) >= self.target
        if self.kind == "gold":
            return hero.get("gold", 0) >= self.target
        if self.kind == "boss":
            beaten = [b.lower() for b in hero.get("bosses", [])]
            return bool(beaten) if self.target == "first" else any(self.target in b for b in beaten)
        return any(self.target in item.lower() for item in hero.get("items", []))

    def holds(self, progress: dict[str, Any]) -> bool | None:
        # A level goal's reading lists no bosses or items: it cannot tell a boss or an item goal.
        return self.satisfied_by(dict(progress)) if _READS[self.kind] in progress else None

    def needs(self, progress: dict[str, Any]) -> str:
        return rules.needs(self.kind, self.target, dict(progress))

    def feasible(self, progress: Progress) -> bool:
        """Voyager's "feasible now": gear that is affordable and better than what is worn, a ripe boss."""
        if self.kind == "item":
            return rules.item_feasible(self.target, dict(progress))
        if self.kind == "boss":
            return rules.boss_feasible(self.target, dict(progress))
        return True

    def distance(self, hero: dict[str, Any]) -> float | None:
        """Levels still to go (XP towards the next one counted as a fraction), gold still to earn, or, for a
        boss, the levels to the one it is fought from plus one for the fight itself; an item is there or not."""
        if self.kind == "gold" and isinstance(hero.get("gold"), int):
            return float(max(0, self.target - hero["gold"]))
        if self.kind not in ("level", "boss") or not isinstance(hero.get("level"), int):
            return None
        fraction = hero.get("xp", 0) / hero["xp_next"] if hero.get("xp_next") else 0.0
        if self.kind == "level":
            return max(0.0, self.target - hero["level"] - fraction)
        ready = rules.boss_ready_level(self.target)
        return None if ready is None else 1.0 + max(0.0, ready - hero["level"] - fraction)

    def partial(self, start: dict[str, Any], now: dict[str, Any]) -> str | None:
        before, reached = start.get(self.kind), now.get(self.kind)
        if self.kind not in ("level", "gold") or not isinstance(before, int) or not isinstance(reached, int):
            return None
        if self.kind == "gold":
            reached -= reached % 10  # round numbers, like the curriculum's: "have 30 gold" at 34
        if not before < reached < self.target:
            return None
        return f"reach level {reached}" if self.kind == "level" else f"have {reached} gold"


def parse_goal(goal: str) -> RpgGoal:
    text = " ".join(goal.lower().split())
    for pattern, kind, convert in _GOAL_FORMS:
        match = pattern.search(text)
        if match:
            return RpgGoal(" ".join(goal.split()), kind, convert(match.group(1) if match.groups() else match.group(0)))
    raise UserError(f"the rpg world cannot check the goal {goal!r}; goals it checks: {GOAL_HELP}")


def _parsed(goal: str) -> RpgGoal | None:
    try:
        return parse_goal(goal)
    except UserError:
        return None


def candidates(progress: Progress, completed: Collection[str]) -> list[str]:
    """Goals one step beyond the hero's current state: the next levels, affordable gear, a ripe boss.

    Never "have N gold": gold is a means, won by the fights that level the hero, and a small model reads a
    gold goal as something to buy. The checker still understands gold goals given by a user."""
    level, gold = progress.get("level"), progress.get("gold")
    found: list[str] = []
    if isinstance(level, int):
        found += [f"reach level {level + 1}", f"reach level {level + 2}"]
        found += [g for g in map(rules.boss_goal, c.AREAS) if feasible(g, progress)]
    if isinstance(gold, int):
        owned = {normal(i) for i in progress.get("items", [])}
        # Potions are owned from the start, so never a goal.
        found += [rules.own(key) for key, item in c.ITEMS.items()
                  if item.kind != "potion" and normal(item.name) not in owned and feasible(rules.own(key), progress)]
    return found


def holds(goal: str, progress: Progress) -> bool:
    return (target := _parsed(goal)) is not None and target.holds(dict(progress)) is True


def feasible(goal: str, progress: Progress) -> bool:
    return (target := _parsed(goal)) is None or target.feasible(progress)


def needs(goal: str, progress: Progress) -> str:
    return "" if (target := _parsed(goal)) is None else target.needs(dict(progress))


def rpg_space() -> GoalSpace:
    return GoalSpace("rpg", rules.ladder(), candidates, holds, start=rules.start(), needs=needs, feasible=feasible)
