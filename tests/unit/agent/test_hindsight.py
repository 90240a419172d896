"""Hindsight: a run that falls short still learns a skill for the part of its goal it reached."""

from __future__ import annotations

import pytest

from neuronaut.api import arun_goal
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.settings import Settings
from neuronaut.worlds.rpg.world import RpgWorld
from tests.helpers import fighter


@pytest.mark.parametrize(("goal", "start", "now", "partial"), [
    ("reach level 4", {"level": 1}, {"level": 3}, "reach level 3"),
    ("have 50 gold", {"gold": 10}, {"gold": 34}, "have 30 gold"),
    ("reach level 4", {"level": 1}, {"level": 1}, None),  # no progress
    ("reach level 4", {"level": 1}, {"level": 4}, None),  # the goal itself: not a partial one
    ("have 50 gold", {"gold": 30}, {"gold": 38}, None),  # not a round number above the start
    ("reach level 4", {}, {"level": 3}, None),  # the start was never read
    ("defeat the first boss", {"level": 1}, {"level": 3}, None),  # another kind of goal
])
def test_the_rpg_names_the_part_of_a_goal_a_run_reached(goal, start, now, partial) -> None:
    assert RpgWorld().goal(goal).partial(start, now) == partial


async def test_a_run_that_reached_level_2_on_its_way_to_level_4_learns_reach_level_2(settings: Settings) -> None:
    result = await arun_goal("reach level 4", settings=settings, decision_model=ScriptedModel(fallback=fighter),
                             max_steps=70, thread_id="short")
    assert result.status == "budget_exhausted"
    assert result.skills_learned == ["reach-level-2"]
    skill = settings.skills_dir / "rpg" / "reach-level-2.json"
    assert skill.exists()

    again = await arun_goal("reach level 2", settings=settings.with_world("rpg", seed=1001),
                            decision_model=ScriptedModel(), max_steps=3, thread_id="again")  # no model call allowed
    assert again.status == "achieved" and again.skills_used == ["reach-level-2"] and again.llm_calls == 0


async def test_without_the_skill_library_nothing_is_learned_in_hindsight(settings: Settings) -> None:
    result = await arun_goal("reach level 4", settings=settings, decision_model=ScriptedModel(fallback=fighter),
                             max_steps=70, thread_id="noskills", use_skills=False)
    assert result.status == "budget_exhausted" and result.skills_learned == []
