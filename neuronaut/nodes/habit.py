"""Habits: a verified skill learned for this goal, or for one like it, runs first, before the model is asked.

Offering the skill in the menu is not enough for a 1.5 B model: in the RPG it
went on pressing buttons one by one (44 calls) with `skill:reach-level-2` on
offer. A skill whose goal is the goal at hand, not demoted, and not yet tried in
this run is the plan; if it fails, its outcome is an observation like any other
and the model plans from there (the skill is not tried again in the run).

"Like it" means the same goal but for its numbers, where those numbers are the
skill's parameters: `reach-level-2` (parameter ``level``) is the habit for
"reach level 4", run with ``level=4``. Whether that generalisation holds is the
world's checker's call as the skill runs, not ours.
"""

from __future__ import annotations

import re
from typing import Any

from neuronaut.decision import SKILL_PREFIX
from neuronaut.state import AgentState, Decision


def habit(skills: list[Any], state: AgentState) -> Decision | None:
    """The skill call to make without asking the model, if a retrieved skill was learned for this goal."""
    goal = _normalised(state.get("goal", ""))
    tried = _tried(state)
    for skill in skills:
        if skill.demoted or not skill.goal or skill.name in tried:
            continue
        args = arguments_for_goal(skill, goal)
        if args is None or any(value is None for value in args.values()):
            continue  # another goal, or a parameter without a recorded value: the model must choose
        very = _normalised(skill.goal) == goal
        why = "this very goal" if very else f"the goal {skill.goal!r}, which differs only in its numbers"
        return Decision(thought=f"The skill {skill.name} reached {why} before; run it.",
                        tool=SKILL_PREFIX + skill.name, args=args)
    return None


def arguments_for_goal(skill: Any, goal: str) -> dict[str, Any] | None:
    """The arguments that make the skill's goal read as ``goal`` (its defaults for its own goal), or None."""
    args = {name: parameter.default for name, parameter in skill.parameters.items()}
    by_default = {str(p.default): name for name, p in skill.parameters.items() if p.type == "integer"}
    learned, wanted = _normalised(skill.goal).split(), _normalised(goal).split()
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


def _tried(state: AgentState) -> set[str]:
    records = [*state.get("trajectory", []), *state.get("actions", [])]
    tools = (str((record.get("decision") or {}).get("tool", "")) for record in records)
    return {tool.removeprefix(SKILL_PREFIX) for tool in tools if tool.startswith(SKILL_PREFIX)}


def _normalised(goal: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", goal.lower()).split())
