"""Setbacks: an action that took the goal further away stays off the menu until the goal is back where it was.

The world's checker measures how far the goal still is (an amount still to earn, levels still to climb). What
a step did to that number is a fact, whatever the model believes: a small model can keep choosing an action
that lowers the very amount its goal asks for, reading its result text as progress, however clearly its
history shows the opposite. The rail does not argue with the model's reading; it takes the action away, as the
repeat ban does, for at most ``SETBACK_STEPS`` steps, and never one that has also brought the goal closer.

Skills run over and over with the goal no closer are taken away the same way: each run changes something on
screen and in the progress, so neither the repeat ban nor the cycle detector sees such a stretch.
"""

from __future__ import annotations

from neuronaut.decision import SKILL_PREFIX
from neuronaut.nodes.progress import decision_key, describe, distinct_decisions
from neuronaut.state import Decision, StepRecord

SETBACK_STEPS = 6  # as long as a detected cycle stays off the menu
IDLE_REPEATS = 3  # this many skill runs in a row with the goal no closer: a run busy going nowhere


def advanced(before: float | None, after: float | None) -> bool:
    """The step brought the goal closer, by the checker's distance."""
    return before is not None and after is not None and after < before


def setback_from(before: float | None, after: float | None) -> float | None:
    """The distance before the step, when the step took the goal further away (else None)."""
    if before is None or after is None or after <= before:
        return None
    return before


def setbacks(trajectory: list[StepRecord], distance_now: float | None) -> list[Decision]:
    """Decisions of the last ``SETBACK_STEPS`` steps that set the goal back, while the loss is not made up.

    Not one that has also brought the goal closer in this run: an action that usually advances the goal and
    once set it back is a risk of the way forward, not a wrong turn; banning it would block the only way on."""
    helped = {decision_key(d) for d in _brought_closer(trajectory)}
    return distinct_decisions(
        r.get("decision") or {} for r in trajectory[-SETBACK_STEPS:]
        if r.get("setback_from") is not None and decision_key(r.get("decision") or {}) not in helped
        and (distance_now is None or distance_now > r["setback_from"]))


def setback_note(trajectory: list[StepRecord], banned: list[Decision]) -> str:
    """Tells the model which actions set the goal back, and which ones of this run brought it closer.

    Naming what brought the goal closer matters: told only "do something that brings the goal closer", a
    small model turns to whatever else is on the menu rather than to what its history shows working."""
    note = (f"{_listed(trajectory, banned, setback=True)} took you further from the goal. "
            "Off the menu until you have made that up.")
    if closer := _brought_closer(trajectory):
        note += f" What brought it closer: {_listed(trajectory, closer, setback=False)}."
    return note


def idle_stretch(trajectory: list[StepRecord], distance_now: float | None) -> tuple[list[Decision], int] | None:
    """The skills the latest steps ran, at least ``IDLE_REPEATS`` steps in a row, none of which brought the goal
    closer, and how many steps; None otherwise, or when the checker cannot measure the distance.

    Each run changed something (a purchase spends one amount and adds to another), so neither an unchanged screen
    nor unchanged progress shows it: only the goal's distance does. Any mix of skills: two skills alternated
    (acting, then reading the state) never form a streak of one skill. Skills only: a skill is a whole piece of
    work, while one tool call may be one part of a piece whose effect shows only at its end. A step that set the
    goal back counts towards the stretch, but its skill is left to the setback rail, which spares an action that
    has also brought the goal closer."""
    if distance_now is None:
        return None
    stretch: list[StepRecord] = []
    for record in reversed(trajectory):
        if record.get("advanced") or not str((record.get("decision") or {}).get("tool", "")).startswith(SKILL_PREFIX):
            break
        stretch.append(record)
    idle = distinct_decisions(r.get("decision") or {} for r in reversed(stretch) if r.get("setback_from") is None)
    return (idle, len(stretch)) if len(stretch) >= IDLE_REPEATS and idle else None


def idle_skills(trajectory: list[StepRecord], distance_now: float | None) -> list[Decision]:
    """Skills of an idle stretch that ended within the last ``SETBACK_STEPS`` steps, while the goal has come no
    closer since: off the menu for that long, so that a ban of one step does not become three more purchases."""
    found: list[Decision] = []
    for back in range(min(SETBACK_STEPS, len(trajectory))):
        end = len(trajectory) - back
        if any(r.get("advanced") for r in trajectory[end:]):
            break
        idle, _ = idle_stretch(trajectory[:end], distance_now) or ([], 0)
        found += [decision for decision in idle if decision not in found]
    return found


def idle_note(banned: list[Decision]) -> str:
    return (f"{'; '.join(describe(d) for d in banned)}: the last {IDLE_REPEATS} or more steps ran only these, and "
            "the goal came no closer. Off the menu for a few steps: do what the goal needs.")


def effects(trajectory: list[StepRecord], distance_now: float | None = None) -> str:
    """What the checker saw this run's actions do to the goal, for the critic: closer, further away, or, over
    and over, nothing."""
    closer = _brought_closer(trajectory)
    further = distinct_decisions(r.get("decision") or {} for r in trajectory if r.get("setback_from") is not None)
    parts = ([f"brought the goal closer: {_listed(trajectory, closer, setback=False)}"] if closer else []) + (
        [f"took it further away: {_listed(trajectory, further, setback=True)}"] if further else [])
    if idle := idle_stretch(trajectory, distance_now):
        parts.append(f"the last {idle[1]} steps ({'; '.join(describe(d) for d in idle[0])}) did not bring it closer")
    return "; ".join(parts)


def _listed(trajectory: list[StepRecord], decisions: list[Decision], *, setback: bool) -> str:
    """Each decision with the change its latest step of that kind made: ``skill:earn() [gold 19→23]``."""
    said = []
    for decision in decisions:
        change = next((r.get("change", "") for r in reversed(trajectory)
                       if (r.get("setback_from") is not None if setback else r.get("advanced"))
                       and decision_key(r.get("decision") or {}) == decision_key(decision)), "")
        said.append(describe(decision) + (f" [{change}]" if change else ""))
    return "; ".join(said)


def _brought_closer(trajectory: list[StepRecord]) -> list[Decision]:
    return distinct_decisions(r.get("decision") or {} for r in trajectory if r.get("advanced"))
