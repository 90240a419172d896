"""Turn a successful run's trajectory into a reusable skill.

Deliberately literal: the skill replays the acting tool calls that succeeded, in
order, with consecutive identical calls folded into one step with ``repeat``.
The only generalisation is honest and checkable: a number written in the goal
that also appears in the calls' arguments becomes a parameter whose default is
that number, so running the skill without arguments replays exactly what worked.
In worlds that replay skills adaptively (cycling the routine until the skill's
goal holds, see ``runner``), every number of the goal becomes a parameter, even
one no call mentions: "reach level 2" run with ``level=4`` cycles the same
routine until the checker says level 4 holds.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from neuronaut.skills.model import MAX_REPEAT, Skill, SkillParameter, SkillStep, slugify

_NUMBER = re.compile(r"(?<![\w.])\d+(?![\w.])")
_WORD = re.compile(r"[a-z_]+")
_DESCRIPTION_CHARS = 300
_VERBS = frozenset({"have", "get", "collect", "earn", "hold", "own", "buy", "win", "make", "reach", "beat", "defeat"})


def skill_from_trajectory(
    goal: str,
    world: str,
    trajectory: list[dict[str, Any]],
    *,
    read_only_tools: Collection[str] = (),
    goal_parameters: bool = False,
) -> Skill | None:
    """A ``trajectory`` skill from the run, or None when it holds no successful acting call.

    ``read_only_tools`` are observation calls left out of the skill (the world's
    ``observation_tools``): replaying a look changes nothing.
    ``goal_parameters``: the world checks the skill's goal as it replays, so a goal
    number no call mentions is still a parameter (of the goal only).
    """
    observing = frozenset(read_only_tools)
    calls = acting_calls(trajectory, observing)
    if not calls:
        return None
    parameters, steps = parameterise(goal, collapse(calls), goal_parameters=goal_parameters)
    return Skill(
        name=slugify(goal),
        description=_describe(goal, steps),
        world=world,
        goal=goal,
        parameters=parameters,
        steps=steps,
        kind="trajectory",
    )


def acting_calls(trajectory: list[dict[str, Any]], observing: Collection[str]) -> list[tuple[str, dict[str, Any]]]:
    """(tool, args) of each successful, non-observing call, in trajectory order."""
    calls = []
    for entry in trajectory:
        decision = entry.get("decision") or {}
        tool, args = decision.get("tool"), decision.get("args") or {}
        if entry.get("ok") and isinstance(tool, str) and tool and isinstance(args, dict) and tool not in observing:
            calls.append((tool, dict(args)))
    return calls


def collapse(calls: list[tuple[str, dict[str, Any]]]) -> list[SkillStep]:
    """Consecutive identical calls become one step with ``repeat=n``."""
    steps: list[SkillStep] = []
    for tool, args in calls:
        last = steps[-1] if steps else None
        if last is not None and last.tool == tool and last.args == args and last.repeat < MAX_REPEAT:
            last.repeat += 1
        else:
            steps.append(SkillStep(tool=tool, args=args))
    return steps


def parameterise(goal: str, steps: list[SkillStep], *,
                 goal_parameters: bool = False) -> tuple[dict[str, SkillParameter], list[SkillStep]]:
    """Numbers of the goal found in the steps' arguments become ``{param}`` placeholders.

    With ``goal_parameters`` the other numbers of the goal are parameters too, used by the goal alone."""
    parameters: dict[str, SkillParameter] = {}
    for match in _NUMBER.finditer(goal):
        number = match.group()
        if number in (str(p.default) for p in parameters.values()):
            continue
        mentioned = any(_mentions(value, number) for step in steps for value in step.args.values())
        if not (mentioned or goal_parameters):
            continue
        name = _unique(_parameter_name(goal, match), parameters)
        use = "" if mentioned else "; the routine is repeated until the goal with this number holds"
        parameters[name] = SkillParameter(
            type="integer", default=int(number),
            description=f"the number in the goal {goal!r} ({number} when this skill was learned{use})",
        )
        steps = [step.model_copy(update={"args": _replace(step.args, number, name)}) for step in steps]
    return parameters, steps


def _mentions(value: Any, number: str) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value == int(number)
    if isinstance(value, str):
        return _token(number).search(value) is not None
    if isinstance(value, dict):
        return any(_mentions(v, number) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, number) for v in value)
    return False


def _replace(value: Any, number: str, name: str) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        # A whole placeholder: the runner substitutes the typed value, not its text.
        return "{" + name + "}" if value == int(number) else value
    if isinstance(value, str):
        return _token(number).sub("{" + name + "}", value)
    if isinstance(value, dict):
        return {key: _replace(v, number, name) for key, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, number, name) for v in value]
    return value


def _token(number: str) -> re.Pattern[str]:
    # "2" must not match inside "20" or "v2.1".
    return re.compile(rf"(?<![\w.]){re.escape(number)}(?![\w.])")


def _parameter_name(goal: str, match: re.Match[str]) -> str:
    """The word before the number ("level 2" → level), else the word after ("3 keys", "have 30 gold")."""
    before = [w for w in _WORD.findall(goal[: match.start()].lower()) if w not in _VERBS]
    after = _WORD.findall(goal[match.end() :].lower())
    return (before[-1] if before else after[0] if after else "n")[:30]


def _unique(name: str, taken: dict[str, Any]) -> str:
    candidate, i = name, 2
    while candidate in taken:
        candidate, i = f"{name}_{i}", i + 1
    return candidate


def _describe(goal: str, steps: list[SkillStep]) -> str:
    text = f"{goal.strip().rstrip('.')}. Learned from a successful run: " + "; then ".join(s.describe() for s in steps)
    return text if len(text) <= _DESCRIPTION_CHARS else text[: _DESCRIPTION_CHARS - 1] + "…"
