"""perceive: ask the world what the agent sees now."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from neuronaut.nodes.timing import timed
from neuronaut.services import Services
from neuronaut.state import AgentState


async def perceive(state: AgentState, runtime: Runtime[Services]) -> dict[str, Any]:
    services = runtime.context
    step = state.get("step", 0)
    busy = services.tools.busy_s
    with timed("perceive", step) as record:
        if step == 0:
            await services.world.prepare(services.tools)
        observation = await services.world.observe(services.tools)
        record["tool_s"] = round(services.tools.busy_s - busy, 4)
    services.emit(node="perceive", step=step, observation=observation.text, wall_s=record["wall_s"],
                  timing=dict(record))
    return {"observation": observation.text, "choices": observation.choices, "timings": [record],
            "elapsed_s": record["wall_s"]}
