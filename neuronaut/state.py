"""The graph's typed state, its reducers, and the small records it carries.

Values are plain JSON-able dicts and lists, so checkpoints stay readable by
Studio and by a second process, and resume needs no custom serializer.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, TypedDict

Status = Literal["running", "achieved", "failed", "budget_exhausted", "interrupted"]

# Every node writes a checkpoint of the whole state, so what the state carries is paid for five times a step.
# The full story is kept elsewhere: every step in episodic memory, every side effect in the tool ledger.
TRAJECTORY_WINDOW = 24  # full step records: the planner lists at most 17 past steps (MIN_TURNS + TURN_CHUNK - 1),
#                         no-progress detection looks at 12, the critic at 5
TIMINGS_WINDOW = 5 * TRAJECTORY_WINDOW  # one record per node and step, for the CLI and the benchmarks
ACTIONS_WINDOW = 200  # the goal's actions alone (tool, arguments, ok), what a learned skill replays


def keep_recent(window: int):
    """A reducer that appends but keeps only the last ``window`` items (bounded checkpoints)."""

    def reduce(left: list[Any] | None, right: list[Any] | None) -> list[Any]:
        merged = (left or []) + (right or [])
        return merged[-window:]

    reduce.__name__ = f"keep_recent_{window}"
    return reduce


def steps_amended(window: int):
    """Like ``keep_recent``, but a record for a step already listed completes that step's record.

    act writes a step's record; verify then adds what the step changed, which only the checker can read."""

    def reduce(left: list[Any] | None, right: list[Any] | None) -> list[Any]:
        merged = list(left or [])
        for record in right or []:
            if merged and "step" in record and merged[-1].get("step") == record["step"]:
                merged[-1] = {**merged[-1], **record}
            else:
                merged.append(record)
        return merged[-window:]

    reduce.__name__ = f"steps_amended_{window}"
    return reduce


class Decision(TypedDict, total=False):
    thought: str
    tool: str
    args: dict[str, Any]
    error: str  # set when the model failed to produce a usable decision


class Verdict(TypedDict, total=False):
    achieved: bool
    reason: str
    progress: dict[str, Any]
    source: str  # "checker" or "critic"
    distance: float | None  # how far the goal still is, by the checker (None: it cannot tell)


class StepRecord(TypedDict, total=False):
    step: int
    observation: str
    decision: Decision
    ok: bool
    outcome: str
    change: str  # what the step changed in the checker's progress ("gold 40→30"), added by verify
    setback_from: float  # the goal's distance before the step, when the step took the goal further away
    advanced: bool  # the step brought the goal closer, by the checker's distance


class RunOptions(TypedDict, total=False):
    max_steps: int
    max_wall_s: float | None  # budget of time spent in nodes (None: no limit)
    max_tokens: int | None  # budget of prompt + completion tokens (None: no limit)
    use_skills: bool
    use_memory: bool
    use_critic: bool


class AgentState(TypedDict, total=False):
    goal: str
    world: str
    world_options: dict[str, Any]  # the world's constructor arguments, so a resume rebuilds the same world
    options: RunOptions
    status: Status
    step: int
    observation: str
    choices: dict[str, dict[str, list[str]]]  # tool → argument → allowed values, from perceive
    decision: Decision | None
    outcome: dict[str, Any] | None
    verdict: Verdict | None
    critique: str
    progress_since: int  # the step at which the checker's progress last changed (the critic's cue)
    start_progress: dict[str, Any]  # the checker's first readable progress in this run (for hindsight)
    trajectory: Annotated[list[StepRecord], steps_amended(TRAJECTORY_WINDOW)]
    actions: Annotated[list[StepRecord], keep_recent(ACTIONS_WINDOW)]  # step, decision (tool, args), ok
    timings: Annotated[list[dict[str, Any]], keep_recent(TIMINGS_WINDOW)]
    elapsed_s: Annotated[float, operator.add]  # time inside nodes, summed across resumes
    llm_calls: Annotated[int, operator.add]
    prompt_tokens: Annotated[int, operator.add]
    completion_tokens: Annotated[int, operator.add]
    skills_learned: Annotated[list[str], operator.add]
    skills_used: Annotated[list[str], operator.add]
    stop_reason: str


def initial_state(goal: str, world: str, options: RunOptions, world_options: dict[str, Any] | None = None) -> AgentState:
    return AgentState(
        goal=goal, world=world, world_options=dict(world_options or {}), options=options, status="running", step=0,
        observation="", choices={}, decision=None, outcome=None, verdict=None, critique="",
    )
