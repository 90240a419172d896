"""plan: retrieve skills and memories, then ask the model for one grammar-constrained decision."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from neuronaut.decision import SKILL_PREFIX, decision_schema, narrow, skill_action, tool_actions, validate_decision
from neuronaut.learning.goals import goal_kind, normal
from neuronaut.llm.base import Completion, ModelOutputError
from neuronaut.memory.step_text import recalled_step
from neuronaut.nodes.draft import draft_argument
from neuronaut.nodes.habit import habit
from neuronaut.nodes.plan_prompt import conversation, system_prompt, turn_budget, user_turn, visible_turns
from neuronaut.nodes.progress import (
    REPEATS_BEFORE_INTERVENING,
    cycle_to_break,
    describe,
    repeated_decision,
    without,
)
from neuronaut.nodes.run_context import current_thread_id
from neuronaut.nodes.setback import idle_note, idle_skills, setback_note, setbacks
from neuronaut.nodes.shape import node
from neuronaut.services import Services
from neuronaut.skills.matching import values_not_reached
from neuronaut.state import AgentState, Decision
from neuronaut.worlds.base import World
from neuronaut.worlds.capabilities import skill_menus

log = logging.getLogger(__name__)

ATTEMPTS = 2  # a malformed answer gets one retry with the error shown, then becomes an observation
MEMORY_CANDIDATES = 4  # steps retrieved per memory shown: similar steps often repeat one action


@node("plan", event=lambda update: {"decision": update["decision"]})
async def plan(state: AgentState, services: Services, record: dict[str, Any]) -> dict[str, Any]:
    options = state.get("options", {})
    started = time.perf_counter()
    # Chroma and the embedding model block: keep them off the event loop.
    skills = await asyncio.to_thread(_skills, services, state) if options.get("use_skills", True) else []
    memories = (await asyncio.to_thread(_memories, services, state, current_thread_id())
                if options.get("use_memory", True) else [])
    record["retrieval_s"] = round(time.perf_counter() - started, 4)
    completions: list[Completion] = []
    decision = habit(skills, state)  # a skill learned for this very goal runs without asking the model
    if decision is None:
        decision, completions = await _ask_model(services, state, skills, memories)
    _add_costs(record, completions)
    return {
        "decision": decision,
        "llm_calls": len(completions),
        "prompt_tokens": sum(c.prompt_tokens for c in completions),
        "completion_tokens": sum(c.completion_tokens for c in completions),
    }


async def _ask_model(services: Services, state: AgentState, skills: list[Any],
                     memories: list[str]) -> tuple[Decision, list[Completion]]:
    """One grammar-constrained decision (a malformed answer retried once), its long argument drafted after."""
    actions = tool_actions(services.tools.catalogue, services.world, state["goal"])
    actions += [skill_action(s.name, s.description, s.parameters) for s in skills]
    system = system_prompt(services.world, state["goal"], actions, skills)
    services.planner_prompt = system  # the critic asks after the same prefix (KV cache)
    offered, note = state.get("choices", {}), ""
    trajectory = state.get("trajectory", [])
    repeated = repeated_decision(trajectory, state.get("observation", ""))
    cycle = cycle_to_break(trajectory) if services.settings.when_stuck == "steer" else []
    stuck = cycle or ([repeated] if repeated else [])
    distance = (state.get("verdict") or {}).get("distance")
    setback = [d for d in setbacks(trajectory, distance) if d not in stuck]
    idle = [d for d in idle_skills(trajectory, distance) if d not in stuck + setback]
    banned = [*stuck, *setback, *idle]
    choices = offered
    for decision in banned:
        choices = without(choices, decision)
    if cycle:
        note = (f"You have been going round in circles ({', '.join(describe(d) for d in cycle)}). "
                "Those actions are off the menu for now: try something new.")
    elif repeated:
        note = f"You did {describe(repeated)} {REPEATS_BEFORE_INTERVENING} times and nothing changed. Do something else."
    if setback:
        note = " ".join(filter(None, [note, setback_note(trajectory, setback)]))
    if idle:
        note = " ".join(filter(None, [note, idle_note(idle)]))
    progress = (state.get("verdict") or {}).get("progress") or {}
    menus = skill_menus(services.world)
    choices, closed = menus.menu(choices, {a.name for a in actions})
    narrowed = narrow(actions, {**choices, **menus.skill_choices(progress),
                                **_values_not_reached(services.world, skills, progress)})
    # A banned action with free-form arguments (a message's text, a skill) has no menu entry to remove:
    # its tool is taken away for this step instead, as are the actions the world says cannot work now.
    gone = closed | {d.get("tool") for d in banned if not offered.get(str(d.get("tool")))}
    if gone:
        kept = [a for a in narrowed if a.name not in gone]
        narrowed = kept or narrowed
    schema = decision_schema(narrowed)

    decision: Decision | None = None
    completions: list[Completion] = []
    needs = services.world.goal(state["goal"]).needs(progress)
    for _ in range(ATTEMPTS):
        bare = user_turn(goal=state["goal"], observation=state.get("observation", ""), history=[],
                         memories=memories, critique=state.get("critique", ""), note=note, needs=needs)
        budget = turn_budget(services.settings.n_ctx, services.settings.max_decision_tokens, system, bare)
        user = user_turn(goal=state["goal"], observation=state.get("observation", ""),
                         history=visible_turns(trajectory, budget), memories=memories,
                         critique=state.get("critique", ""), note=note, needs=needs)
        try:
            completion = await services.model.decide(conversation(system, user), schema)
        except ModelOutputError as exc:
            if exc.completion:
                completions.append(exc.completion)
            note = f"Your previous answer was rejected: {exc}. Answer with one valid JSON object."
            continue
        completions.append(completion)
        problem = validate_decision(completion.data, narrowed)
        if problem is None:
            decision = Decision(thought=str(completion.data.get("thought", ""))[:200],
                                tool=completion.data["tool"], args=completion.data["args"])
            break
        note = f"Your previous answer was rejected: {problem}."
    if decision is None:
        decision = Decision(tool="", args={}, error=note.removeprefix("Your previous answer was rejected: "))
    else:
        decision, drafts = await draft_argument(services, decision)
        completions += drafts
    return decision, completions


def _skills(services: Services, state: AgentState) -> list[Any]:
    if services.skills is None or services.settings.top_k_skills == 0:
        return []
    world, menus, k = services.world, skill_menus(services.world), services.settings.top_k_skills
    # Even demoted: a hand-written primitive fails when it is misused (where its world does not allow it), and
    # its examples are in the prompt.
    primitives = [s for s in (services.skills.get(world.name, name) for name in menus.primitive_skills)
                  if s is not None]
    names = {s.name for s in primitives}
    # Retrieved by the goal, not the observation: the skill list then stays in the stable prompt prefix.
    found = services.skills.search(state["goal"], world=world.name, k=k + len(names))
    progress = (state.get("verdict") or {}).get("progress") or {}
    return primitives + [s for s in found if s.name not in names and menus.offers_skill(s)
                         and not _reached(world, s, progress)][:k]


def _reached(world: World, skill: Any, progress: dict[str, Any]) -> bool:
    """A learned skill whose goal already holds would only replay to "its goal holds": no call is worth that.
    A skill with parameters stays: other values make it another goal ("reach level 5" run with level=9), and
    ``_values_not_reached`` offers only those."""
    if skill.kind == "starter" or skill.parameters or not skill.goal:
        return False
    return world.goal(skill.goal).holds(progress) is True


def _values_not_reached(world: World, skills: list[Any], progress: dict[str, Any]) -> dict[str, dict[str, list[int]]]:
    """The menus of learned skills whose goal holds as learned: only values whose goal does not hold yet."""
    menus = {}
    for skill in skills:
        values = values_not_reached(skill, lambda goal: world.goal(goal).holds(progress))
        if values is not None:
            menus[SKILL_PREFIX + skill.name] = values
    return menus


def _memories(services: Services, state: AgentState, thread_id: str) -> list[str]:
    """What earlier runs did for this goal, one of its kind or one of its family, closest to the situation first,
    and how it went.

    Of its kind ("have 30 gold" for "have 100 gold"): what an action did to the same number carries over.
    Of its family (the parsed goal's ``kind``): facing a target never met, what met a similar one. Not
    other goals: a small model copies what it is shown, and another goal's actions are off the point. From
    another goal of the family, only the step that achieved it, if it ran a tool or a primitive skill: that
    goal's own learned skill would replay that goal, and the steps before it fitted that goal's situation,
    not this one's. Not this run's own
    steps: its history has them. One line per distinct action, so that one habit repeated does not fill
    the list."""
    if services.memory is None or services.settings.top_k_memories == 0:
        return []
    world, k, goal = services.world, services.settings.top_k_memories, state["goal"]
    query = f"goal: {goal} | saw: {state.get('observation', '')}"
    hits = services.memory.search(query, world=world.name, k=k * MEMORY_CANDIDATES, goal_like=goal,
                                  family=world.goal(goal).kind, other_than_thread=thread_id)
    lines: dict[tuple[str, bool], str] = {}
    for hit in hits:
        was_for = str(hit.metadata.get("goal", ""))
        if goal_kind(was_for) != goal_kind(goal) and not _transfers(world, str(hit.metadata.get("tool", ""))):
            continue
        line = recalled_step(hit.metadata)
        lines.setdefault((str(hit.metadata.get("action")), bool(hit.metadata.get("ok"))),
                         line if normal(was_for) == normal(goal) else f"{was_for}: {line}")
    return list(lines.values())[:k]


def _transfers(world: World, tool: str) -> bool:
    return not tool.startswith(SKILL_PREFIX) or tool.removeprefix(SKILL_PREFIX) in skill_menus(world).primitive_skills


def _add_costs(record: dict[str, Any], completions: list[Completion]) -> None:
    record["llm_calls"] = len(completions)
    record["prompt_tokens"] = sum(c.prompt_tokens for c in completions)
    record["prefill_tokens"] = sum(c.prefill_tokens for c in completions)
    record["completion_tokens"] = sum(c.completion_tokens for c in completions)
    record["prefill_s"] = round(sum(c.prefill_s for c in completions), 4)
    record["decode_s"] = round(sum(c.decode_s for c in completions), 4)
    record["llm_s"] = round(sum(c.total_s for c in completions), 4)
