"""Which learned skill reaches a goal: its own goal, or the same goal but for numbers that are its parameters.

"reach level 2" learned with the parameter ``level`` reaches "reach level 4" run with
``level=4``; whether that generalisation holds is the world's checker's call as the
skill runs. The habit (run such a skill before asking the model) and the curriculum
(prefer a goal a skill already reaches) ask the same question here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import islice
from typing import Any

from neuronaut.skills.model import Skill
from neuronaut.skills.runner import skill_goal

VALUES_OFFERED = 5  # values beyond the reached ones, per parameter: the next few levels, not a thousand
_SCAN = 1000  # values tried above a default before the goal is taken to hold for every one


def arguments_for_goal(skill: Skill, goal: str) -> dict[str, Any] | None:
    """The arguments that make the skill's goal read as ``goal`` (its defaults for its own goal), or None."""
    args = {name: parameter.default for name, parameter in skill.parameters.items()}
    by_default = {str(p.default): name for name, p in skill.parameters.items() if p.type == "integer"}
    learned, wanted = normalised_goal(skill.goal).split(), normalised_goal(goal).split()
    if len(learned) != len(wanted):
        return None
    chosen: dict[str, int] = {}
    for was, now in zip(learned, wanted, strict=True):
        if was == now:
            continue
        name = by_default.get(was)
        if name is None or not now.isdigit() or chosen.setdefault(name, int(now)) != int(now):
            return None
    return {**args, **chosen}


def skill_for_goal(skills: Iterable[Skill], goal: str, *,
                   skip: Iterable[str] = ()) -> tuple[Skill, dict[str, Any]] | None:
    """The first usable skill that reaches ``goal`` with every argument known, and those arguments.

    Usable: learned for a goal (not a starter), not demoted, not named in ``skip``."""
    skipped = set(skip)
    for skill in skills:
        if skill.demoted or not skill.goal or skill.name in skipped:
            continue
        args = arguments_for_goal(skill, goal)
        if args is not None and all(value is not None for value in args.values()):
            return skill, args
    return None


def normalised_goal(goal: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", goal.lower()).split())


def values_not_reached(skill: Skill, holds: Callable[[str], bool | None]) -> dict[str, list[int]] | None:
    """For a learned skill whose goal already holds as learned: per integer parameter, the first few values above
    its default whose goal does not hold yet (the other parameters at their defaults). None when the goal as
    learned does not hold, or ``holds`` cannot tell: any value may be worth running.

    A skill named for a number already reached (``reach-level-14`` at level 14) is run with that number again and
    again, since its name says it fits, and each run stops at once because "its goal holds". Offered the next
    values instead, the model can use the skill to go further."""
    defaults = {name: p.default for name, p in skill.parameters.items()}
    numbers = {name: p.default for name, p in skill.parameters.items()
               if p.type == "integer" and isinstance(p.default, int)}
    if skill.kind == "starter" or not skill.goal or not numbers or holds(skill.goal) is not True:
        return None
    menus: dict[str, list[int]] = {}
    for name, default in numbers.items():
        beyond = (value for value in range(default + 1, default + _SCAN + 1)
                  if holds(skill_goal(skill, {**defaults, name: value})) is False)
        menus[name] = list(islice(beyond, VALUES_OFFERED))
    return menus
