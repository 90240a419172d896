"""What a curriculum knows about one world's goals (a ladder, extra candidates, what already holds), and how
goals compare.

Each world says what it knows as a ``GoalSpace`` (``World.goal_space``); every goal in it is in a form the
world's checker understands. A world that knows nothing leaves the model alone to propose goals.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

_NUMBER = re.compile(r"\d+")

Progress = Mapping[str, Any]


@dataclass(frozen=True)
class GoalSpace:
    world: str
    ladder: tuple[str, ...]  # easiest first; the fallback when the model's proposal is unusable
    generate: Callable[[Progress, Collection[str]], list[str]] = lambda progress, completed: []
    holds: Callable[[str, Progress], bool] = lambda goal, progress: False  # False when progress cannot tell
    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # goal → world_options its run needs
    # A new world's progress: what the curriculum sees before anything was recorded, so that its first choice
    # is made knowing where the world starts.
    start: Progress = field(default_factory=dict)
    # What a goal still takes from here ("25 more gold"), shown beside it: a small model does not work out
    # that a goal needs resources it does not have yet, and would choose an out-of-reach goal first.
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
