"""The Swift world's goals: one per README spec, "build the package so that every example passes"; and its
goal space for the curriculum, the bundled specs ranked easiest first."""

from __future__ import annotations

import logging

from neuronaut.errors import UserError
from neuronaut.learning.goals import GoalSpace, normal
from neuronaut.settings import PROJECT_ROOT
from neuronaut.worlds.swift.spec import parse_spec

log = logging.getLogger(__name__)

EXAMPLES_DIR = PROJECT_ROOT / "examples" / "swift"
_DIFFICULTY = {"easy": 0, "medium": 1, "hard": 2}


def default_goal(package: str) -> str:
    return f"build the Swift package `{package}` from its README so that every example passes"


def swift_space() -> GoalSpace:
    """The bundled specs, easiest first; each goal is the spec's default goal, run with ``{"spec": name}``."""
    ranked = []
    for readme in sorted(EXAMPLES_DIR.glob("*/README.md")):
        try:
            spec = parse_spec(readme.read_text(encoding="utf-8"))
        except (UserError, OSError, UnicodeDecodeError) as exc:
            log.warning("skipping the Swift spec %s: %s", readme, exc)
            continue
        rank = _DIFFICULTY.get((spec.difficulty or "").lower(), len(_DIFFICULTY))
        ranked.append((rank, len(spec.checks), readme.parent.name, default_goal(spec.package)))
    ranked.sort()
    options = {normal(goal): {"spec": name} for _, _, name, goal in ranked}
    return GoalSpace("swift", tuple(goal for *_, goal in ranked), options=options)
