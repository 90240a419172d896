"""verify: the world's checker decides whether the goal holds; the critic adds a second opinion.

The critic costs a model call (seconds on two cores), so it speaks only when it can help: the checker says
"not yet" and its progress has not moved for ``CRITIC_EVERY`` steps. A run that is getting somewhere is left
alone, and so are the stalls a rail already acts on (a decision repeated on an unchanged screen: the planner's
menu drops it; a skill run over and over with the goal no closer: ``setback.idle_skills`` takes it away); when
it does speak, it is told of such a streak. Where no checker understands the goal (``Check.critic_judges``),
the critic judges the agent's final answer. It reuses the planner's prompt prefix so llama.cpp keeps its KV
cache, and its critique feeds the plans that follow until the checker's progress moves: then it judged a
situation that is gone.
"""

from __future__ import annotations

from typing import Any

from neuronaut.learning.critic import critique
from neuronaut.nodes.plan_prompt import conversation
from neuronaut.nodes.progress import progress_change
from neuronaut.nodes.setback import advanced, effects, setback_from
from neuronaut.nodes.shape import node
from neuronaut.services import Services
from neuronaut.state import AgentState, StepRecord, Verdict
from neuronaut.worlds.base import Check

CRITIC_EVERY = 10


@node("verify", event=lambda update: {"verdict": update["verdict"]})
async def verify(state: AgentState, services: Services, record: dict[str, Any]) -> dict[str, Any]:
    step = state.get("step", 0)
    goal = services.world.goal(state["goal"])
    check = await services.world.check(goal, services.tools)
    effort = services.world.effort_keys
    previous = state.get("verdict") or {}
    moved = _made(previous.get("progress"), effort) != _made(check.progress, effort)
    since = step if moved or "progress_since" not in state else state["progress_since"]
    update: dict[str, Any] = {"progress_since": since}
    if check.progress and not state.get("start_progress"):
        update["start_progress"] = check.progress
    trajectory = list(state.get("trajectory", []))
    if amended := _step_amendment(state, previous, check, effort):
        update["trajectory"] = [StepRecord(step=step, **amended)]
        trajectory[-1] = StepRecord(**{**trajectory[-1], **amended})
    verdict = checker_verdict(check)
    if check.critic_judges:
        # No checker understands this goal: once the model gives its final answer, the critic judges it.
        if _finished(state):
            answer = (state.get("outcome") or {}).get("text", "")
            opinion, asked = await _ask_critic(services, state, record, trajectory, check.distance,
                                               checker_verdict=None, observation=f"The agent's final answer: {answer}")
            update.update(asked)
            reason = opinion.reasoning or ("answer accepted" if opinion.success else "answer not accepted")
            verdict = Verdict(achieved=bool(opinion.success), reason=f"critic: {reason}",
                              progress=check.progress, source="critic")
    elif _critic_should_speak(state, check, stalled_for=step - since):
        _, asked = await _ask_critic(services, state, record, trajectory, check.distance, checker_verdict=check,
                                     needs=goal.needs(check.progress))
        update.update(asked)
    elif moved and state.get("critique"):
        # The critique judged a situation the checker now sees changed: kept, it would go on steering every
        # later plan (and be stored as each step's lesson) after the situation it judged is gone.
        update["critique"] = ""
    return {**update, "verdict": verdict}


def checker_verdict(check: Check) -> Verdict:
    return Verdict(achieved=check.achieved, reason=check.reason, progress=check.progress, source="checker",
                   distance=check.distance)


def _critic_should_speak(state: AgentState, check: Check, stalled_for: int) -> bool:
    if check.achieved or not state.get("options", {}).get("use_critic", True):
        return False
    return stalled_for > 0 and stalled_for % CRITIC_EVERY == 0


def _step_amendment(state: AgentState, previous: Verdict, check: Check, effort: frozenset[str]) -> dict[str, Any]:
    """What the step just taken did, when act recorded it: its change in the checker's progress, and whether it
    brought the goal closer or took it further away (then from which distance)."""
    trajectory = state.get("trajectory", [])
    if not trajectory or trajectory[-1].get("step") != state.get("step"):
        return {}
    amended: dict[str, Any] = {}
    if change := progress_change(previous.get("progress"), check.progress, ignored=effort):
        amended["change"] = change
    if (was := setback_from(previous.get("distance"), check.distance)) is not None:
        amended["setback_from"] = was
    if advanced(previous.get("distance"), check.distance):
        amended["advanced"] = True
    return amended


def _made(progress: dict[str, Any] | None, effort: frozenset[str]) -> dict[str, Any] | None:
    return None if progress is None else {k: v for k, v in progress.items() if k not in effort}


def _finished(state: AgentState) -> bool:
    """The step just taken gave a final answer (an action the world marks ``final``)."""
    outcome = state.get("outcome") or {}
    return bool(outcome.get("final")) and bool(outcome.get("ok"))


async def _ask_critic(services: Services, state: AgentState, record: dict[str, Any], trajectory: list[StepRecord],
                      distance: float | None, checker_verdict: Check | None, observation: str | None = None,
                      needs: str = "") -> tuple[Any, dict[str, Any]]:
    system = services.planner_prompt
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
