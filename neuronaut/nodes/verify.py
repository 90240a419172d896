"""verify: ask the world's checker whether the goal holds now."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from neuronaut.nodes.timing import timed
from neuronaut.services import Services
from neuronaut.state import AgentState, Verdict


async def verify(state: AgentState, runtime: Runtime[Services]) -> dict[str, Any]:
    services = runtime.context
    step = state.get("step", 0)
    busy = services.tools.busy_s
    with timed("verify", step) as record:
        check = await services.world.check(state["goal"], services.tools)
        record["tool_s"] = round(services.tools.busy_s - busy, 4)
    verdict = Verdict(achieved=check.achieved, reason=check.reason, progress=check.progress, source="checker")
    services.emit(node="verify", step=step, verdict=verdict, wall_s=record["wall_s"])
    return {"verdict": verdict, "timings": [record], "elapsed_s": record["wall_s"]}
