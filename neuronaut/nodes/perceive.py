"""perceive: ask the world what the agent sees now; before the first step, also how far the goal is.

That first reading is what the first plan knows of the goal: what it still takes ("costs 30 gold, 5 more
than you have"), which learned skills have nothing left to do, and the distance a first step that sets the
goal back is measured from. Without it, the 1.5 B model opened "own an Iron Sword" with 67 gold by resting
and checking its status. Only worlds whose checker merely reads the world do this (not a build).
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from neuronaut.nodes.timing import timed
from neuronaut.nodes.verify import checker_verdict
from neuronaut.services import Services
from neuronaut.state import AgentState


async def perceive(state: AgentState, runtime: Runtime[Services]) -> dict[str, Any]:
    services = runtime.context
    step = state.get("step", 0)
    busy = services.tools.busy_s
    with timed("perceive", step) as record:
        update: dict[str, Any] = {}
        if step == 0:
            await services.world.prepare(services.tools)
            if services.world.reads_goal_first:
                update = await _first_reading(services, state["goal"])
        observation = await services.world.observe(services.tools)
        record["tool_s"] = round(services.tools.busy_s - busy, 4)
    services.emit(node="perceive", step=step, observation=observation.text, wall_s=record["wall_s"],
                  timing=dict(record))
    return {**update, "observation": observation.text, "choices": observation.choices, "timings": [record],
            "elapsed_s": record["wall_s"]}


async def _first_reading(services: Services, goal: str) -> dict[str, Any]:
    check = await services.world.check(goal, services.tools)
    return {"verdict": checker_verdict(check), **({"start_progress": check.progress} if check.progress else {})}
