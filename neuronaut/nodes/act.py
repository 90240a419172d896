"""act: carry out the decision — one tool call, or one skill run through the same tools."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from typing import Any

from langgraph.types import interrupt

from neuronaut.decision import SKILL_PREFIX
from neuronaut.errors import UserError
from neuronaut.nodes.run_context import current_thread_id
from neuronaut.nodes.shape import node
from neuronaut.services import Services
from neuronaut.skills.runner import GoalCheck, GoalStatus, SkillArgumentError, resolve_arguments, run_skill, skill_goal
from neuronaut.state import AgentState, Decision, StepRecord
from neuronaut.tools.approvals import AllowList, is_always
from neuronaut.tools.ledger import CallKey
from neuronaut.tools.types import ToolOutcome, ToolSpec
from neuronaut.worlds import joined
from neuronaut.worlds.capabilities import skill_menus

MAX_SKILL_DEPTH = 2  # a skill may run skills; those may not run more


def _event(update: dict[str, Any]) -> dict[str, Any]:
    return {"outcome": ToolOutcome.from_dict(update["outcome"]).summary(200), "ok": update["outcome"]["ok"]}


@node("act", event=_event)
async def act(state: AgentState, services: Services, record: dict[str, Any]) -> dict[str, Any]:
    decision = state.get("decision") or {}
    step = state.get("step", 0)
    skills_used: list[str] = []
    keys = _call_keys(step)
    record["tool"] = decision.get("tool", "")
    if decision.get("error"):
        outcome = ToolOutcome.failure("", {}, f"no action taken: {decision['error']}")
    elif decision.get("tool", "").startswith(SKILL_PREFIX):
        outcome = await _run_skill(services, decision["tool"].removeprefix(SKILL_PREFIX), decision.get("args", {}),
                                   keys)
        skills_used.append(decision["tool"].removeprefix(SKILL_PREFIX))
    else:
        outcome = await call_world_tool(services, decision.get("tool", ""), decision.get("args", {}), next(keys))
    record["ok"] = outcome.ok
    entry = StepRecord(step=step + 1, observation=state.get("observation", "")[-300:], decision=decision,
                       ok=outcome.ok, outcome=services.world.summarize_outcome(outcome))
    final = any(a.get("final") and a["name"] == outcome.tool for a in services.world.extra_actions())
    update = {"outcome": {**outcome.to_dict(), **({"final": True} if final else {})}, "step": step + 1,
              "trajectory": [entry], "skills_used": skills_used}
    if decision.get("tool") and not decision.get("error"):
        update["actions"] = [StepRecord(step=step + 1, decision=Decision(tool=decision["tool"],
                                                                          args=decision.get("args", {})),
                                        ok=outcome.ok)]
    return update


async def call_world_tool(services: Services, tool: str, args: dict[str, Any], key: CallKey | None = None) -> ToolOutcome:
    """Call a tool the way the world allows: only allowed tools, with the world's fixed arguments,
    and side effects recorded in the ledger so a resumed run never repeats them."""
    world = services.world
    if tool in {extra["name"] for extra in world.extra_actions()}:
        return await world.run_extra(tool, args)
    if world.allowed_tools is not None and tool not in world.allowed_tools:
        return ToolOutcome.failure(tool, args, f"tool {tool!r} is not allowed in the {world.name} world")
    spec = services.tools.catalogue.get(tool)
    # Fixed arguments win over the model's: a prompt injection cannot redirect a call to another chat.
    args = {**args, **(joined.fixed_args(world, spec) if spec else world.fixed_args.get(tool, {}))}
    if spec is not None and needs_approval(services, spec) and not approved(services, spec, args):
        return ToolOutcome.failure(tool, args, f"a person did not allow {tool}; choose another action")
    ledger = getattr(services, "ledger", None)
    if ledger is None or key is None or spec is None or spec.read_only:
        return await services.tools.call(tool, args)
    previous = await asyncio.to_thread(ledger.previous, key, tool, args)
    if previous is not None:
        return previous
    await asyncio.to_thread(ledger.started, key, tool, args)
    outcome = await services.tools.call(tool, args)
    await asyncio.to_thread(ledger.done, key, outcome)
    return outcome


def needs_approval(services: Services, spec: ToolSpec) -> bool:
    mode = services.settings.approval
    if spec.name in services.settings.approve_tools or mode == "always":
        return True
    if mode == "never" or allow_list(services).allows(spec.server, spec.name):
        return False
    return joined.needs_approval(services.world, spec)


def approved(services: Services, spec: ToolSpec, args: dict[str, Any]) -> bool:
    """Ask a person through LangGraph's interrupt: the CLI prompts, Studio shows it; the run waits, checkpointed.
    "always" allows the tool for good (``AllowList``)."""
    tool = spec.name
    answer = interrupt({"type": "approval", "tool": tool, "server": spec.server, "args": args,
                        "question": f"Allow {tool}({', '.join(f'{k}={v!r}' for k, v in args.items())})?"})
    if is_always(answer):
        allow_list(services).allow(spec.server, tool)
        return True
    if isinstance(answer, dict):
        answer = answer.get("approve", answer.get("approved"))
    return answer is True or str(answer).strip().lower() in ("y", "yes", "approve", "true")


def allow_list(services: Services) -> AllowList:
    return AllowList(services.settings.checkpoints_dir / "allowed-tools.json")


def _call_keys(step: int) -> Iterator[CallKey]:
    thread_id = current_thread_id()
    return (CallKey(thread_id, step, index) for index in itertools.count())


async def _run_skill(services: Services, name: str, args: dict[str, Any], keys: Iterator[CallKey],
                     depth: int = 1) -> ToolOutcome:
    library = services.skills
    skill = await asyncio.to_thread(library.get, services.world.name, name) if library else None
    if skill is None:
        return ToolOutcome.failure(SKILL_PREFIX + name, args, f"unknown skill {name!r}")

    async def call(tool: str, tool_args: dict[str, Any]) -> ToolOutcome:
        # A learned routine may call the skills its run used (a starter, several times); a skill calling itself,
        # or a deeper chain, is refused rather than followed.
        if tool.startswith(SKILL_PREFIX):
            if depth >= MAX_SKILL_DEPTH:
                return ToolOutcome.failure(tool, tool_args, f"skills may nest {MAX_SKILL_DEPTH} deep at most")
            return await _run_skill(services, tool.removeprefix(SKILL_PREFIX), tool_args, keys, depth + 1)
        return await call_world_tool(services, tool, tool_args, next(keys))

    async def condition(name: str) -> bool:
        return await skill_menus(services.world).condition(name, services.tools)

    run = await run_skill(skill, args, call, goal_check=_goal_check(services, skill, args), condition=condition,
                          summarize=services.world.summarize_outcome)
    await asyncio.to_thread(library.record_result, services.world.name, name, run.ok)
    return ToolOutcome(tool=SKILL_PREFIX + name, args=args, ok=run.ok, text=run.summary,
                       error=None if run.ok else run.summary)


def _goal_check(services: Services, skill: Any, args: dict[str, Any]) -> GoalCheck | None:
    """Whether the skill's own goal holds, for worlds that replay skills adaptively; else None (literal)."""
    # A starter is a hand-written primitive, replayed as written (even when its description parses as a goal).
    if not (skill_menus(services.world).adaptive_skills and skill.goal) or skill.kind == "starter":
        return None
    try:
        text = skill_goal(skill, resolve_arguments(skill, args))
    except SkillArgumentError:
        text = skill.goal  # run_skill reports the bad arguments to the model
    try:
        goal = services.world.parse_goal(text)
    except UserError:
        return None  # a goal the checker cannot judge (a starter that only reads the state): replay literally

    async def goal_status() -> GoalStatus:
        check = await services.world.check(goal, services.tools)
        return GoalStatus(check.achieved, check.distance)

    return goal_status
