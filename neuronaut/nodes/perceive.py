"""perceive: ask the world what the agent sees now; before the first step, also how far the goal is.

That first reading is what the first plan knows of the goal: what it still takes, which learned skills have
nothing left to do, and the distance a first step that sets the goal back is measured from. Only worlds whose
checker merely reads the world do this (``World.reads_goal_first``; not a build).
"""

from __future__ import annotations

from typing import Any

from neuronaut.nodes.shape import node
from neuronaut.nodes.verify import checker_verdict
from neuronaut.services import Services
from neuronaut.state import AgentState
from neuronaut.tools.types import ToolOutcome


@node("perceive", event=lambda update: {"observation": update["observation"]})
async def perceive(state: AgentState, services: Services, record: dict[str, Any]) -> dict[str, Any]:
    update: dict[str, Any] = {}
    if state.get("step", 0) == 0:
        await services.world.prepare(services.tools)
        if services.world.reads_goal_first:
            update = await _first_reading(services, state["goal"])
    last = state.get("outcome")
    services.world.attend(state["goal"], ToolOutcome.from_dict(last) if last else None)
    observation = await services.world.observe(services.tools)
    return {**update, "observation": observation.text, "choices": observation.choices}


async def _first_reading(services: Services, goal: str) -> dict[str, Any]:
    check = await services.world.check(services.world.goal(goal), services.tools)
    return {"verdict": checker_verdict(check), **({"start_progress": check.progress} if check.progress else {})}
