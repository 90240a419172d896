"""What a curriculum knows about one world's goals (a ladder, extra candidates, what already holds), and how
goals compare.

Each world's knowledge is a ``GoalSpace``: the RPG's is in ``rpg_goals``; the Swift world's, its bundled specs
ranked easiest first, is here. Every goal is in a form the world's checker understands.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)
_NUMBER = re.compile(r"\d+")

Progress = Mapping[str, Any]


@dataclass(frozen=True)
class GoalSpace:
    world: str
    ladder: tuple[str, ...]  # easiest first; the fallback when the model's proposal is unusable
    generate: Callable[[Progress, Collection[str]], list[str]] = lambda progress, completed: []
    holds: Callable[[str, Progress], bool] = lambda goal, progress: False  # False when progress cannot tell
    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # goal → world_options its run needs
    # A new game's progress: what the curriculum sees before anything was recorded. Unknown progress made
    # the 1.5 B model pick "have 30 gold" over "reach level 2" 3 times in 8; knowing level 1 and 10 gold, once.
    start: Progress = field(default_factory=dict)
    # What a goal still takes from here ("25 more gold"), shown beside it: a 1.5 B model cannot work out
    # that "own Leather Armour" costs 25 gold it does not have, and chose it first in 2 of 4 new games.
    needs: Callable[[str, Progress], str] = lambda goal, progress: ""
    # Whether a ladder rung may be offered now (Voyager's "feasible now"); True when progress cannot tell.
    feasible: Callable[[str, Progress], bool] = lambda goal, progress: True

    def world_options(self, goal: str) -> dict[str, Any]:
        return dict(self.options.get(normal(goal), {}))


def normal(goal: str) -> str:
    """Goals compare without case or extra spaces: "Reach  Level 2" is "reach level 2"."""
    return " ".join(str(goal).lower().split())


def goal_kind(goal: str) -> str:
    """Goals that differ only in their numbers are of one kind: "have 30 gold" and "have 100 gold"."""
    return _NUMBER.sub("#", normal(goal))


def goal_space(world: str) -> GoalSpace:
    if world == "rpg":
        from neuronaut.learning.rpg_goals import rpg_space  # it builds on GoalSpace: imported when asked for

        return rpg_space()
    if world == "swift":
        return swift_space()
    log.info("no curriculum knowledge for world %r: the model alone proposes goals", world)
    return GoalSpace(world, ())


# --- Swift -----------------------------------------------------------------------------

_DIFFICULTY = {"easy": 0, "medium": 1, "hard": 2}


def swift_space() -> GoalSpace:
    """The bundled specs, easiest first; each goal is the spec's default goal, run with ``{"spec": name}``."""
    from neuronaut.errors import UserError
    from neuronaut.worlds.swift.world import EXAMPLES_DIR, SwiftWorld

    ranked = []
    for readme in sorted(EXAMPLES_DIR.glob("*/README.md")):
        try:
            world = SwiftWorld(readme.parent.name)
        except UserError as exc:
            log.warning("skipping the Swift spec %s: %s", readme, exc)
            continue
        rank = _DIFFICULTY.get((world.spec.difficulty or "").lower(), len(_DIFFICULTY))
        ranked.append((rank, len(world.spec.checks), readme.parent.name, world.default_goal()))
    ranked.sort()
    options = {normal(goal): {"spec": name} for _, _, name, goal in ranked}
    return GoalSpace("swift", tuple(goal for *_, goal in ranked), options=options)
