"""Habits: a verified skill learned for this very goal runs first, before the model is asked.

Offering the skill in the menu is not enough for a 1.5 B model: in the RPG it
went on pressing buttons one by one (44 calls) with `skill:reach-level-2` on
offer. A skill whose goal is the goal at hand, not demoted, and not yet tried in
this run is the plan; if it fails, its outcome is an observation like any other
and the model plans from there (the skill is not tried again in the run).
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
        if skill.demoted or not skill.goal or _normalised(skill.goal) != goal or skill.name in tried:
            continue
        args = {name: parameter.default for name, parameter in skill.parameters.items()}
        if any(value is None for value in args.values()):
            continue  # a parameter without a recorded value: the model must choose it
        return Decision(thought=f"The skill {skill.name} reached this very goal before; run it.",
                        tool=SKILL_PREFIX + skill.name, args=args)
    return None


def _tried(state: AgentState) -> set[str]:
    records = [*state.get("trajectory", []), *state.get("actions", [])]
    tools = (str((record.get("decision") or {}).get("tool", "")) for record in records)
    return {tool.removeprefix(SKILL_PREFIX) for tool in tools if tool.startswith(SKILL_PREFIX)}


def _normalised(goal: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", goal.lower()).split())
