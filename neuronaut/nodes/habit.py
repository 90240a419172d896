"""Habits: a verified skill learned for this goal, or for one like it, runs first, before the model is asked.

Offering the skill in the menu is not enough for a small model: it may go on
calling tools one by one with the learned skill for this very goal on offer,
spending the run's budget on what one skill call would do. A skill whose goal
is the goal at hand, not demoted, and not yet tried in this run is the plan;
if it fails, its outcome is an observation like any other and the model plans
from there (the skill is not tried again in the run).

"Like it" means the same goal but for its numbers, where those numbers are the
skill's parameters (``neuronaut.skills.matching``).
"""

from __future__ import annotations

from typing import Any

from neuronaut.decision import SKILL_PREFIX
from neuronaut.skills.matching import normalised_goal, skill_for_goal
from neuronaut.state import AgentState, Decision


def habit(skills: list[Any], state: AgentState) -> Decision | None:
    """The skill call to make without asking the model, if a retrieved skill was learned for this goal."""
    goal = state.get("goal", "")
    found = skill_for_goal(skills, goal, skip=_tried(state))
    if found is None:
        return None  # another goal, or a parameter without a recorded value: the model must choose
    skill, args = found
    very = normalised_goal(skill.goal) == normalised_goal(goal)
    why = "this very goal" if very else f"the goal {skill.goal!r}, which differs only in its numbers"
    return Decision(thought=f"The skill {skill.name} reached {why} before; run it.",
                    tool=SKILL_PREFIX + skill.name, args=args)


def _tried(state: AgentState) -> set[str]:
    records = [*state.get("trajectory", []), *state.get("actions", [])]
    tools = (str((record.get("decision") or {}).get("tool", "")) for record in records)
    return {tool.removeprefix(SKILL_PREFIX) for tool in tools if tool.startswith(SKILL_PREFIX)}
