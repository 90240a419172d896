"""When a run must stop although its goal is not reached: budgets and lack of progress."""

from __future__ import annotations

from neuronaut.nodes.progress import LOOP_DISTINCT, LOOP_WINDOW, looping
from neuronaut.settings import Settings
from neuronaut.state import AgentState, Status


def stop_reason(state: AgentState, settings: Settings) -> tuple[Status, str] | None:
    options = state.get("options", {})
    step = state.get("step", 0)
    max_steps = options.get("max_steps", settings.max_steps)
    if step >= max_steps:
        return "budget_exhausted", f"step budget of {max_steps} steps used"
    max_wall = options.get("max_wall_s", settings.max_wall_s)
    if max_wall and state.get("elapsed_s", 0.0) >= max_wall:
        return "budget_exhausted", f"time budget of {max_wall:.0f} s used"
    max_tokens = options.get("max_tokens", settings.max_tokens)
    tokens = state.get("prompt_tokens", 0) + state.get("completion_tokens", 0)
    if max_tokens and tokens >= max_tokens:
        return "budget_exhausted", f"token budget of {max_tokens} tokens used"
    if settings.when_stuck == "stop" and looping(state.get("trajectory", [])):
        # A loop the plan-change nudge did not break; under "steer" the planner breaks it instead (plan.py).
        return "failed", (f"no progress: the last {LOOP_WINDOW} steps cycled through at most "
                          f"{LOOP_DISTINCT} situations even after being told to change plan")
    return None
