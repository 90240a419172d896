"""No-progress detection: the same action on the same screen, again and again.

A small model easily loops (resting at a full-health inn, say). The first
remedy is to change the plan: the repeated action is taken off the menu for one
step and the model is told why.
"""

from __future__ import annotations

from typing import Any

from neuronaut.state import Decision, StepRecord

REPEATS_BEFORE_INTERVENING = 2


def repeated_decision(trajectory: list[StepRecord], observation: str) -> Decision | None:
    """The decision that was just repeated on an unchanged screen, if any."""
    recent = trajectory[-REPEATS_BEFORE_INTERVENING:]
    if len(recent) < REPEATS_BEFORE_INTERVENING:
        return None
    decisions = [_key(r.get("decision") or {}) for r in recent]
    screens = {_screen(r.get("observation", "")) for r in recent} | {_screen(observation)}
    if len(set(decisions)) == 1 and len(screens) == 1 and decisions[0][0]:
        return recent[-1]["decision"]
    return None


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


def _key(decision: Decision) -> tuple[str, str]:
    return decision.get("tool", ""), repr(sorted((decision.get("args") or {}).items()))


def _screen(observation: str) -> str:
    # Only the tail is recorded in the trajectory; compare like with like.
    return " ".join(observation.split())[-200:]


def describe(decision: Decision) -> str:
    args: dict[str, Any] = decision.get("args") or {}
    shown = ", ".join(f"{k}={v!r}" for k, v in args.items())
    return f"{decision.get('tool')}({shown})"
