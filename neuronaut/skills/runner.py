"""Run a skill: its steps in order through an injected ``call_tool``, stopping at the first failure;
or, in worlds that can check a skill's goal, as a routine cycled until that goal holds, for as long as
each few rounds bring the goal closer.

``call_tool`` is ``async (tool_name, args) -> ToolOutcome`` (the lead passes the
agent's tool hub, which also injects a world's fixed arguments). A failed call
is an observation, not an exception: the run stops and its summary says where
and why, so the model can decide what to do next. Exceptions ``call_tool``
raises (a crashed server) are not caught here.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from neuronaut.skills.model import Skill, SkillParameter, SkillStep
from neuronaut.tools.types import ToolOutcome

log = logging.getLogger(__name__)

CallTool = Callable[[str, dict[str, Any]], Awaitable[ToolOutcome]]
# How the world reads one call's result, in its own words ("the item costs 25; you have 19.").
Summarize = Callable[[ToolOutcome], str]
# Tool calls cost no model call, so a routine that is getting somewhere may use many; one that is not
# (it sends a message, it was poisoned, it keeps dying) stops after ADAPTIVE_STALL_ROUNDS rounds without
# coming closer to its goal, once it has made ADAPTIVE_MIN_CALLS calls.
ADAPTIVE_MAX_CALLS = 300
ADAPTIVE_STALL_ROUNDS = 4
ADAPTIVE_MIN_CALLS = 20


@dataclass(frozen=True)
class GoalStatus:
    holds: bool
    distance: float | None = None  # how far the goal still is (lower is closer); None: the world cannot tell


GoalCheck = Callable[[], Awaitable[GoalStatus]]
Condition = Callable[[str], Awaitable[bool]]  # whether the world's named condition holds now ("low on resources")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_RESULT_CHARS = 240


class SkillArgumentError(ValueError):
    """The arguments given for a skill don't fit its parameters (the model's mistake)."""


@dataclass
class SkillRun:
    skill: str
    ok: bool
    calls: list[ToolOutcome] = field(default_factory=list)
    summary: str = ""  # short: it becomes the model's next observation
    steps_run: int = 0  # steps completed; a step that failed part-way is not counted


async def run_skill(skill: Skill, args: dict[str, Any], call_tool: CallTool, *,
                    goal_check: GoalCheck | None = None, condition: Condition | None = None,
                    max_calls: int = ADAPTIVE_MAX_CALLS, summarize: Summarize | None = None) -> SkillRun:
    """Replay ``skill`` literally, or adaptively when ``goal_check`` can tell whether its goal was reached.

    ``condition`` answers a step's ``only_if`` (without it, such steps are skipped). ``summarize`` words the
    last result in the run's summary (default: the call's own text, clipped). Clipped raw JSON can hide
    what matters: a refusal that comes after the envelope's fields is cut off, the summary reads as success,
    and the model runs the refused skill again."""
    read = summarize or _clipped
    try:
        values = resolve_arguments(skill, args)
    except SkillArgumentError as exc:
        return SkillRun(skill.name, ok=False, summary=f"skill {skill.name} not run: {exc}")
    applies = _applies(condition)
    if goal_check is not None:
        return await _replay_until(skill, values, call_tool, goal_check, applies, max_calls, read)
    calls: list[ToolOutcome] = []
    for number, step in enumerate(skill.steps, start=1):
        if not await applies(step):
            continue
        step_args = substitute(step.args, values)
        for _ in range(step.repeat):
            result = await call_tool(step.tool, step_args)
            outcome = _refusal(step, result, read)
            calls.append(outcome)
            if outcome.ok and _ends_skill(step, outcome):
                return _done(skill, calls, read)
            if not result.ok and step.while_accepted:  # not on screen; a ``fails_on`` refusal fails below
                break
            if not outcome.ok:
                summary = (f"skill {skill.name} failed at step {number}/{len(skill.steps)} "
                           f"{step.tool}: {read(outcome)}")
                log.info(summary)
                return SkillRun(skill.name, ok=False, calls=calls, summary=summary, steps_run=number - 1)
            if step.until_text and result_contains(outcome, step.until_text):
                break
    return _done(skill, calls, read)


def _refusal(step: SkillStep, outcome: ToolOutcome, read: Summarize) -> ToolOutcome:
    """A call that went through but whose result says the world refused it (``fails_on``) is a failed call."""
    if not outcome.ok or not any(result_contains(outcome, text) for text in step.fails_on):
        return outcome
    words = read(outcome)
    return replace(outcome, ok=False, text=words, error=words)


def _clipped(outcome: ToolOutcome) -> str:
    return outcome.summary(_RESULT_CHARS)


def _applies(condition: Condition | None) -> Callable[[SkillStep], Awaitable[bool]]:
    async def applies(step: SkillStep) -> bool:
        if step.only_if is None:
            return True
        return condition is not None and await condition(step.only_if)

    return applies


def _ends_skill(step: SkillStep, outcome: ToolOutcome) -> bool:
    return any(result_contains(outcome, text) for text in step.done_texts)


def _done(skill: Skill, calls: list[ToolOutcome], read: Summarize) -> SkillRun:
    # A step that repeats while accepted ends on a refusal; what the skill achieved is the last accepted call.
    accepted = [call for call in calls if call.ok]
    last = read(accepted[-1]) if accepted else ""
    summary = f"skill {skill.name} done ({len(skill.steps)} steps, {len(calls)} calls). Last result: {last}"
    return SkillRun(skill.name, ok=True, calls=calls, summary=summary, steps_run=len(skill.steps))


async def _replay_until(skill: Skill, values: dict[str, Any], call_tool: CallTool, goal_check: GoalCheck,
                        applies: Callable[[SkillStep], Awaitable[bool]], max_calls: int,
                        read: Summarize) -> SkillRun:
    """The steps as a routine, cycled until the goal holds: a step the world refuses now is skipped.

    A literal replay breaks on the first difference (another starting state: an action offered then is
    not offered now); this keeps the order that worked and skips what does not apply, for worlds whose refused calls
    change nothing (a button that is not on screen). It fails when no step applies, when the calls run
    out, or when ADAPTIVE_STALL_ROUNDS rounds in a row got no closer to the goal than the best so far (a
    round that lost ground must be won back by the rounds after it, and more).
    """
    calls: list[ToolOutcome] = []
    refused_in_a_row = cycles = stalled = 0
    best: float | None = None
    while len(calls) < max_calls:
        round_done, before = False, len(calls)
        for step in skill.steps:
            if not await applies(step):
                continue
            step_args = substitute(step.args, values)
            for _ in range(step.repeat):
                outcome = _refusal(step, await call_tool(step.tool, step_args), read)
                calls.append(outcome)
                if not outcome.ok:
                    refused_in_a_row += 1
                    break
                refused_in_a_row = 0
                round_done = _ends_skill(step, outcome)
                if round_done or (step.until_text and result_contains(outcome, step.until_text)):
                    break
            if refused_in_a_row >= len(skill.steps):
                last = read(calls[-1])
                return SkillRun(skill.name, ok=False, calls=calls, steps_run=0,
                                summary=f"skill {skill.name} stopped: none of its steps fits now. Last result: {last}")
            if round_done or len(calls) >= max_calls:
                break
        if len(calls) == before:  # every step's condition was false: nothing would ever change
            return SkillRun(skill.name, ok=False, calls=calls, steps_run=0,
                            summary=f"skill {skill.name} stopped: none of its steps applies now")
        cycles += 1
        status = await goal_check()
        if status.holds:
            summary = f"skill {skill.name} done: its goal holds ({cycles} round(s), {len(calls)} calls)"
            return SkillRun(skill.name, ok=True, calls=calls, summary=summary, steps_run=len(skill.steps))
        if status.distance is not None and (best is None or status.distance < best):
            best, stalled = status.distance, 0
        else:
            stalled += 1
        if stalled >= ADAPTIVE_STALL_ROUNDS and len(calls) >= ADAPTIVE_MIN_CALLS:
            summary = (f"skill {skill.name} stopped after {len(calls)} calls ({cycles} rounds): its last "
                       f"{stalled} rounds got no closer to its goal")
            log.info(summary)
            return SkillRun(skill.name, ok=False, calls=calls, summary=summary, steps_run=0)
    summary = f"skill {skill.name} stopped after {len(calls)} calls ({cycles} rounds): its goal does not hold yet"
    log.info(summary)
    return SkillRun(skill.name, ok=False, calls=calls, summary=summary, steps_run=0)


def skill_goal(skill: Skill, values: dict[str, Any]) -> str:
    """The skill's goal for these arguments: "reach level 2" run with level=3 is "reach level 3"."""
    goal = skill.goal
    for name, parameter in skill.parameters.items():
        if parameter.default is not None and name in values and values[name] != parameter.default:
            goal = re.sub(rf"(?<![\w.]){re.escape(str(parameter.default))}(?![\w.])", str(values[name]), goal)
    return goal


def resolve_arguments(skill: Skill, args: dict[str, Any]) -> dict[str, Any]:
    """Defaults overlaid with ``args``, coerced to the declared types; unknown or missing ones raise."""
    unknown = sorted(set(args) - set(skill.parameters))
    if unknown:
        known = ", ".join(skill.parameters) or "none"
        raise SkillArgumentError(f"unknown parameter(s) {', '.join(unknown)}; parameters: {known}")
    values = {}
    for name, parameter in skill.parameters.items():
        value = args.get(name, parameter.default)
        if value is None:
            raise SkillArgumentError(f"missing parameter {name!r} ({parameter.description or parameter.type})")
        values[name] = _coerce(name, value, parameter)
    return values


def _coerce(name: str, value: Any, parameter: SkillParameter) -> Any:
    # Small models often quote numbers ("2"); accept what converts cleanly, reject the rest.
    try:
        if parameter.type == "integer":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            return int(value)
        if parameter.type == "number":
            return float(value)
        if parameter.type == "boolean":
            if isinstance(value, str):
                if value.lower() not in ("true", "false"):
                    raise ValueError
                return value.lower() == "true"
            return bool(value)
        return str(value)
    except (TypeError, ValueError):
        raise SkillArgumentError(f"parameter {name!r} must be {parameter.type}, not {value!r}") from None


def substitute(value: Any, values: dict[str, Any]) -> Any:
    """Fill ``{param}`` placeholders; a value that is exactly one placeholder keeps the parameter's type."""
    if isinstance(value, str):
        whole = _PLACEHOLDER.fullmatch(value)
        if whole and whole.group(1) in values:
            return values[whole.group(1)]
        return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), value)
    if isinstance(value, dict):
        return {key: substitute(v, values) for key, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, values) for v in value]
    return value


def result_contains(outcome: ToolOutcome, needle: str) -> bool:
    """Case-insensitive search of the result's text and structured content."""
    haystack = outcome.text
    if outcome.structured:
        haystack += " " + json.dumps(outcome.structured, ensure_ascii=False)
    return needle.lower() in haystack.lower()
