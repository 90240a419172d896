"""The Skill model's guards and the starter skills."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from neuronaut.skills.model import Skill, SkillStep, slugify
from neuronaut.worlds.base import Check, Observation, World
from neuronaut.worlds.rpg.world import RpgWorld


def test_a_skill_name_must_be_a_slug() -> None:
    with pytest.raises(ValidationError, match="slug"):
        Skill(name="../escape", world="rpg", steps=[SkillStep(tool="t")])


def test_a_skill_needs_at_least_one_step() -> None:
    with pytest.raises(ValidationError):
        Skill(name="empty", world="rpg", steps=[])


def test_repeat_is_bounded() -> None:
    with pytest.raises(ValidationError):
        SkillStep(tool="t", repeat=0)
    with pytest.raises(ValidationError):
        SkillStep(tool="t", repeat=1000)


@pytest.mark.parametrize(
    ("text", "slug"),
    [("Reach level 2!", "reach-level-2"), ("⚔️", "skill"), ("a " * 40, "a-" * 23 + "a")],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_rpg_starts_with_a_status_check_and_its_primitives() -> None:
    status, *primitives = RpgWorld().starter_skills()
    assert [s.name for s in primitives] == ["hunt", "rest", "buy", "fight-boss"]  # what they do: test_starter_rpg.py

    assert status.name == "check-status" and status.kind == "starter"
    assert [(s.tool, s.args) for s in status.steps] == [("send_message", {"text": "/status"})]


def test_a_world_that_names_no_starters_has_none() -> None:
    class Bare(World):
        def servers(self, settings, run_id):  # noqa: ANN001, ANN202
            return []

        async def observe(self, tools):  # noqa: ANN001, ANN202
            return Observation("")

        async def check(self, goal, tools):  # noqa: ANN001, ANN202
            return Check(False, "")

    assert Bare().starter_skills() == []


def test_starters_are_fresh_copies() -> None:
    first = RpgWorld().starter_skills()[0]
    first.steps[0].args["text"] = "changed"

    assert RpgWorld().starter_skills()[0].steps[0].args == {"text": "/status"}
