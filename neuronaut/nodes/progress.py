"""No-progress detection: the same action on the same screen, again and again.

A small model easily loops (repeating an action that changes nothing). The first
remedy is to change the plan: the repeated action is taken off the menu for one
step and the model is told why. A model that still cycles (at most
``LOOP_DISTINCT`` screen/action pairs over ``LOOP_WINDOW`` steps, such as
reading the same three views in turn without acting) is stopped with
a reason, or, under the ``when_stuck = "steer"`` policy of unattended runs,
kept going with every action of the cycle off the menu for ``STEER_STEPS`` steps.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from neuronaut.state import Decision, StepRecord

REPEATS_BEFORE_INTERVENING = 2
LOOP_WINDOW = 12  # steps
LOOP_DISTINCT = 4  # at most this many distinct (screen, action) pairs in the window: cycles of up to 4 actions
STEER_STEPS = 6  # how long the actions of a detected cycle stay off the menu


def repeated_decision(trajectory: list[StepRecord], observation: str) -> Decision | None:
    """The decision that was just repeated on an unchanged screen, if any."""
    recent = trajectory[-REPEATS_BEFORE_INTERVENING:]
    if len(recent) < REPEATS_BEFORE_INTERVENING:
        return None
    decisions = [decision_key(r.get("decision") or {}) for r in recent]
    screens = {_screen(r.get("observation", "")) for r in recent} | {_screen(observation)}
    if len(set(decisions)) == 1 and len(screens) == 1 and decisions[0][0]:
        return recent[-1]["decision"]
    return None


def looping(trajectory: list[StepRecord]) -> bool:
    """The last ``LOOP_WINDOW`` steps went through at most ``LOOP_DISTINCT`` (screen, action) pairs."""
    recent = trajectory[-LOOP_WINDOW:]
    if len(recent) < LOOP_WINDOW:
        return False
    pairs = {(_screen(r.get("observation", "")), decision_key(r.get("decision") or {})) for r in recent}
    return len(pairs) <= LOOP_DISTINCT


def cycle_to_break(trajectory: list[StepRecord]) -> list[Decision]:
    """The decisions of a cycle detected within the last ``STEER_STEPS`` steps (empty if none)."""
    for back in range(min(STEER_STEPS, len(trajectory))):
        end = len(trajectory) - back
        if looping(trajectory[:end]):
            return distinct_decisions(record.get("decision") or {} for record in trajectory[end - LOOP_WINDOW:end])
    return []


def distinct_decisions(decisions: Iterable[Decision]) -> list[Decision]:
    """Each decision once (same tool and arguments), in first-seen order; steps without a tool are left out."""
    found: dict[tuple[str, str], Decision] = {}
    for decision in decisions:
        if decision.get("tool"):
            found.setdefault(decision_key(decision), decision)
    return list(found.values())


def without(choices: dict[str, dict[str, list[str]]], decision: Decision) -> dict[str, dict[str, list[str]]]:
    """The world's choices minus the repeated one (unchanged if that would leave nothing)."""
    tool, args = decision.get("tool", ""), decision.get("args", {})
    offered = choices.get(tool)
    if not offered:
        return choices
    narrowed = {arg: [v for v in values if v != args.get(arg)] for arg, values in offered.items()}
    if any(not values for values in narrowed.values()):
        return choices
    return {**choices, tool: narrowed}


def decision_key(decision: Decision) -> tuple[str, str]:
    return decision.get("tool", ""), repr(sorted((decision.get("args") or {}).items()))


def _screen(observation: str) -> str:
    # Only the tail is recorded in the trajectory; compare like with like.
    return " ".join(observation.split())[-200:]


def progress_change(before: dict[str, Any] | None, after: dict[str, Any] | None,
                    ignored: frozenset[str] = frozenset()) -> str:
    """What changed between two readings of the checker's progress: "xp 3→8, gold 10→15, items +key".

    An action's result text says what happened ("you bought an item"), not what it did to the goal: a model
    shown only "ok" reads it as progress even when the number its goal asks for went down."""
    if not before or not after:
        return ""
    parts = []
    for key, now in after.items():
        was = before.get(key)
        if key in ignored or was is None or was == now:
            continue
        if isinstance(now, list) and isinstance(was, list):
            parts += [f"{key} +{item}" for item in now if item not in was]
            parts += [f"{key} -{item}" for item in was if item not in now]
        elif not isinstance(now, list | dict):
            parts.append(f"{key} {was}→{now}")
    return ", ".join(parts)


def describe(decision: Decision) -> str:
    args: dict[str, Any] = decision.get("args") or {}
    shown = ", ".join(f"{k}={v!r}" for k, v in args.items())
    return f"{decision.get('tool')}({shown})"
