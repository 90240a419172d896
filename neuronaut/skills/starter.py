"""Hand-written primitive skills a world starts with, before anything is learned.

Kept minimal and generic; the world owners add their own. Arguments a world
fixes for every call (such as the RPG's ``chat_id``) are left out: the tool hub
injects them.
"""

from __future__ import annotations

from collections.abc import Callable

from neuronaut.servers.chat_contract import SEND_MESSAGE
from neuronaut.skills.starter_swift import SWIFT_STARTERS
from neuronaut.skills.model import Skill, SkillStep


def _rpg_check_status() -> Skill:
    return Skill(
        name="check-status",
        description="Ask the game bot for the hero's status (level, HP, XP, gold) by sending /status.",
        world="rpg",
        goal="check the hero's status",
        steps=[SkillStep(tool=SEND_MESSAGE, args={"text": "/status"})],
        kind="starter",
    )


_STARTERS: dict[str, list[Callable[[], Skill]]] = {
    "rpg": [_rpg_check_status],
    "swift": SWIFT_STARTERS,
}


def starter_skills(world: str) -> list[Skill]:
    """Fresh copies of the starter skills of ``world`` (none for an unknown world)."""
    return [make() for make in _STARTERS.get(world, [])]
