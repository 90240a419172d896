"""verify: the world's checker decides whether the goal holds; the critic adds a second opinion.

The critic costs a model call (seconds on two cores), so it speaks only when it
can help: the checker says "not yet" and its progress (level, gold, passing
examples…) has not moved for ``CRITIC_EVERY`` steps. A run that is getting
somewhere is left alone, and so are the stalls a rail already acts on, since
there the 1.5 B critic restated the goal and cost calls:
- a decision repeated on an unchanged screen (the planner's menu drops it): in
  the learning-curve bench's first games (seeds 6 to 20, even) the critic spoke
  in 4 of 8, each time after two status checks before a boss. Seed 8's critique
  restated what the goal needs; each of those bosses took 1 to 3 calls more;
- a skill run over and over with the goal no closer (``setback.idle_skills``
  takes it away): asked there, it cost 5 calls on one boss (seed 4: 22 calls
  against 15 without it) and advised "buy more potions". When it does speak, it
  is told of such a streak.
It reuses the planner's prompt prefix so llama.cpp keeps its KV cache, and its
critique feeds the plans that follow until the checker's progress moves: then it
judged a situation that is gone.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from neuronaut.nodes.plan_prompt import conversation
from neuronaut.nodes.progress import progress_change
from neuronaut.nodes.setback import advanced, effects, setback_from
from neuronaut.nodes.timing import timed
from neuronaut.services import Services
from neuronaut.state import AgentState, StepRecord, Verdict
from neuronaut.worlds.base import Check
from neuronaut.worlds.generic import EFFORT_KEYS, FINISH, NEEDS_CRITIC

CRITIC_EVERY = 10
PLANNER_PREFIX = "planner_system_prompt"  # services.extras key set by plan


async def verify(state: AgentState, runtime: Runtime[Services]) -> dict[str, Any]:
    services = runtime.context
    step = state.get("step", 0)
    busy = services.tools.busy_s
    with timed("verify", step) as record:
        check = await services.world.check(state["goal"], services.tools)
        record["tool_s"] = round(services.tools.busy_s - busy, 4)
        previous = state.get("verdict") or {}
        moved = _made(previous.get("progress")) != _made(check.progress)
        since = step if moved or "progress_since" not in state else state["progress_since"]
        update: dict[str, Any] = {"progress_since": since}
        if check.progress and not state.get("start_progress"):
            update["start_progress"] = check.progress
        trajectory = list(state.get("trajectory", []))
        if amended := _step_amendment(state, previous, check):
            update["trajectory"] = [StepRecord(step=step, **amended)]
            trajectory[-1] = StepRecord(**{**trajectory[-1], **amended})
        verdict = checker_verdict(check)
        if check.progress.get(NEEDS_CRITIC):
            # No checker understands this goal: once the model says it is done, the critic judges.
            if _finished(state):
                answer = (state.get("outcome") or {}).get("text", "")
                opinion, asked = await _ask_critic(services, state, record, trajectory, check.distance,
                                                   checker_verdict=None,
                                                   observation=f"The agent's final answer: {answer}")
                update.update(asked)
                reason = opinion.reasoning or ("answer accepted" if opinion.success else "answer not accepted")
                verdict = Verdict(achieved=bool(opinion.success), reason=f"critic: {reason}",
                                  progress=check.progress, source="critic")
        elif _critic_should_speak(state, check, stalled_for=step - since):
            _, asked = await _ask_critic(services, state, record, trajectory, check.distance, checker_verdict=check,
                                         needs=services.world.goal_needs(state["goal"], check.progress))
            update.update(asked)
        elif moved and state.get("critique"):
            # The critique judged a situation the checker now sees changed. Kept, it went on steering every
            # later plan: seed 8's "needs to reach level 6" still led the planner at level 6, ten steps on
            # (the boss fell after 13 calls; 6 without the critic), and was stored as each step's lesson.
            update["critique"] = ""
    services.emit(node="verify", step=step, verdict=verdict, wall_s=record["wall_s"],
                  timing=dict(record))
    return {**update, "verdict": verdict, "timings": [record], "elapsed_s": record["wall_s"]}


def checker_verdict(check: Check) -> Verdict:
    return Verdict(achieved=check.achieved, reason=check.reason, progress=check.progress, source="checker",
                   distance=check.distance)


def _critic_should_speak(state: AgentState, check: Check, stalled_for: int) -> bool:
    if check.achieved or not state.get("options", {}).get("use_critic", True):
        return False
    return stalled_for > 0 and stalled_for % CRITIC_EVERY == 0


def _step_amendment(state: AgentState, previous: Verdict, check: Check) -> dict[str, Any]:
    """What the step just taken did, when act recorded it: its change in the checker's progress, and whether it
    brought the goal closer or took it further away (then from which distance)."""
    trajectory = state.get("trajectory", [])
    if not trajectory or trajectory[-1].get("step") != state.get("step"):
        return {}
    amended: dict[str, Any] = {}
    if change := progress_change(previous.get("progress"), check.progress, ignored=EFFORT_KEYS | {NEEDS_CRITIC}):
        amended["change"] = change
    if (was := setback_from(previous.get("distance"), check.distance)) is not None:
        amended["setback_from"] = was
    if advanced(previous.get("distance"), check.distance):
        amended["advanced"] = True
    return amended


def _made(progress: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if progress is None else {k: v for k, v in progress.items() if k not in EFFORT_KEYS}


def _finished(state: AgentState) -> bool:
    outcome = state.get("outcome") or {}
    return outcome.get("tool") == FINISH and bool(outcome.get("ok"))


async def _ask_critic(services: Services, state: AgentState, record: dict[str, Any], trajectory: list[StepRecord],
                      distance: float | None, checker_verdict: Check | None, observation: str | None = None,
                      needs: str = "") -> tuple[Any, dict[str, Any]]:
    from neuronaut.learning.critic import critique

    system = services.extras.get(PLANNER_PREFIX)
    prefix = conversation(system, "")[:-1] if system else ()
    opinion = await critique(
        services.model, goal=state["goal"], world_description=services.world.description,
        observation=observation or state.get("observation", ""), trajectory_tail=state.get("trajectory", []),
        effects=effects(trajectory, distance), needs=needs,
        checker_verdict=checker_verdict, prefix_messages=prefix,
    )
    record["critic_calls"] = opinion.llm_calls
    completion = opinion.completion
    return opinion, {
        "critique": opinion.critique,
        "llm_calls": opinion.llm_calls,
        "prompt_tokens": completion.prompt_tokens if completion else 0,
        "completion_tokens": completion.completion_tokens if completion else 0,
    }
