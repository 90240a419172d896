"""learn: remember the step, turn a verified success into a skill, and decide whether to go on."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Literal

from neuronaut.decision import SKILL_PREFIX
from neuronaut.nodes.budget import stop_reason
from neuronaut.storage import prune_checkpoints
from neuronaut.nodes.run_context import current_thread_id
from neuronaut.nodes.shape import node
from neuronaut.services import Services
from neuronaut.skills.consolidate import skill_from_trajectory
from neuronaut.skills.matching import arguments_for_goal
from neuronaut.skills.model import slugify
from neuronaut.state import AgentState
from neuronaut.worlds.capabilities import skill_menus

log = logging.getLogger(__name__)

PRUNE_EVERY_STEPS = 10  # checkpoints between prunes: 5 per step, on top of checkpoints_kept


@node("learn", event=lambda update: {"status": update.get("status", "running")})
async def learn(state: AgentState, services: Services, record: dict[str, Any]) -> dict[str, Any]:
    options = state.get("options", {})
    verdict = state.get("verdict") or {}
    update: dict[str, Any] = {}
    started = time.perf_counter()
    if services.memory is not None and options.get("use_memory", True):
        await asyncio.to_thread(_remember, services, state, current_thread_id())
    record["memory_s"] = round(time.perf_counter() - started, 4)
    if verdict.get("achieved"):
        update["status"] = "achieved"
        update["stop_reason"] = verdict.get("reason", "goal achieved")
        if services.skills is not None and options.get("use_skills", True):
            update["skills_learned"] = await asyncio.to_thread(_consolidate, services, state)
    elif stop := stop_reason(state, services.settings):
        update["status"], update["stop_reason"] = stop
        if services.skills is not None and options.get("use_skills", True):
            update["skills_learned"] = await _hindsight(services, state)
    ended = "status" in update
    if ended or state.get("step", 0) % PRUNE_EVERY_STEPS == 0:
        await _prune(services, ended)
    return update


def route_after_learn(state: AgentState) -> Literal["perceive", "__end__"]:
    return "perceive" if state.get("status", "running") == "running" else "__end__"


async def _prune(services: Services, ended: bool) -> None:
    """Retention. A thread that has ended keeps only its final checkpoints, and its ledger only the audit trail
    of its older steps (nothing of it is in flight), so an exploration that starts a thread per goal stays
    small too."""
    settings, thread = services.settings, current_thread_id()
    keep = settings.finished_checkpoints_kept if ended else settings.checkpoints_kept
    await asyncio.to_thread(prune_checkpoints, settings.checkpoint_db, thread, keep)
    if services.ledger is not None:
        await asyncio.to_thread(services.ledger.prune, thread, settings.ledger_steps_kept)
        if ended:
            await asyncio.to_thread(services.ledger.compact, thread)
    if services.memory is not None:
        await asyncio.to_thread(services.memory.prune_steps, services.world.name, settings.memory_steps_kept)


def _remember(services: Services, state: AgentState, thread_id: str) -> None:
    outcome = state.get("outcome") or {}
    step = state.get("step", 0)
    record = (state.get("trajectory") or [{}])[-1]
    this_step = record.get("step") == step
    services.memory.add_step(
        thread_id=thread_id, step=step, world=services.world.name, goal=state["goal"],
        observation=state.get("observation", ""), action=dict(state.get("decision") or {}),
        outcome=" ".join(str(outcome.get("text", "")).split())[:500], ok=bool(outcome.get("ok")),
        critique=state.get("critique", ""), change=record.get("change", "") if this_step else "",
        setback=this_step and record.get("setback_from") is not None,
        family=services.world.goal(state["goal"]).kind,
        achieved=bool((state.get("verdict") or {}).get("achieved")),
    )


async def _hindsight(services: Services, state: AgentState) -> list[str]:
    """A run that fell short still teaches the part of its goal it reached (``Goal.partial``), once the
    checker confirms it holds, unless a skill for that part exists already."""
    progress = (state.get("verdict") or {}).get("progress") or {}
    goal = services.world.goal(state["goal"]).partial(state.get("start_progress") or {}, progress)
    if goal is None:
        return []
    known = await asyncio.to_thread(services.skills.get, services.world.name, slugify(goal))
    if known is not None and not known.demoted:
        return []  # learned from a run that set out for it: keep that one
    if not (await services.world.check(services.world.goal(goal), services.tools)).achieved:
        return []
    learned = await asyncio.to_thread(_consolidate, services, state, goal)
    log.info("hindsight: %r fell short, but the run reached %r: learned %s", state["goal"], goal, learned)
    return learned


def _consolidate(services: Services, state: AgentState, goal: str | None = None) -> list[str]:
    """A skill for ``goal`` (default: the run's) from this goal's own steps."""
    goal = goal or state["goal"]
    # Only this goal's own steps: a skill replays what reached *this* goal. The compact action list reaches
    # further back than the trajectory window (a checkpoint from before it existed has only the trajectory).
    actions = state.get("actions", [])
    first = actions[0].get("step", 0) if actions else float("inf")
    records = [r for r in state.get("trajectory", []) if r.get("step", 0) < first] + list(actions)
    records = [r for r in records if r.get("decision")]
    if records and _reached_by_its_own_skill(services, records[-1]["decision"], goal):
        return []  # its success is already recorded on that skill
    # Other skills run along the way (a starter, say) stay in the routine as single steps; the skill
    # being learned is left out of its own steps.
    own = SKILL_PREFIX + slugify(goal)
    records = [r for r in records if r["decision"].get("tool") != own]
    skill = skill_from_trajectory(goal, services.world.name, list(records),
                                  read_only_tools=services.world.observation_tools,
                                  goal_parameters=skill_menus(services.world).adaptive_skills)
    if skill is None:
        return []
    saved = services.skills.save(skill)
    log.info("learned skill %s (v%s)", saved.name, saved.version)
    return [saved.name]


def _reached_by_its_own_skill(services: Services, decision: dict[str, Any], goal: str) -> bool:
    """The last step ran a skill learned for this goal (or for one like it): nothing new to learn."""
    tool = str(decision.get("tool", ""))
    if not tool.startswith(SKILL_PREFIX):
        return False
    skill = services.skills.get(services.world.name, tool.removeprefix(SKILL_PREFIX))
    return skill is not None and skill.kind != "starter" and arguments_for_goal(skill, goal) is not None
