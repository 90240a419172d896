"""Which values of a learned skill's parameters are still worth running, judged by the world's own goal rules."""

from __future__ import annotations

from neuronaut.worlds.rpg.world import RpgWorld
from neuronaut.skills.matching import values_not_reached
from neuronaut.skills.model import Skill, SkillParameter, SkillStep

EXPLORE = SkillStep(tool="press_inline_button", args={"button_text": "🔍 Explore"})


def learned(goal: str, **defaults: int) -> Skill:
    parameters = {name: SkillParameter(type="integer", default=value) for name, value in defaults.items()}
    return Skill(name=goal.replace(" ", "-"), world="rpg", goal=goal, description=goal, parameters=parameters,
                 steps=[EXPLORE])


def judged_at(**progress: object):
    return lambda goal: RpgWorld().goal(goal).holds(progress)


def test_a_level_skill_at_its_own_level_is_offered_the_next_levels() -> None:
    menus = values_not_reached(learned("reach level 14", level=14), judged_at(level=14))

    assert menus == {"level": [15, 16, 17, 18, 19]}


def test_a_level_skill_below_the_hero_starts_above_the_hero() -> None:
    menus = values_not_reached(learned("reach level 2", level=2), judged_at(level=6))

    assert menus == {"level": [7, 8, 9, 10, 11]}


def test_a_gold_skill_starts_above_the_gold_held() -> None:
    menus = values_not_reached(learned("have 30 gold", gold=30), judged_at(gold=57))

    assert menus == {"gold": [58, 59, 60, 61, 62]}


def test_a_skill_whose_goal_does_not_hold_yet_keeps_every_value() -> None:
    assert values_not_reached(learned("reach level 9", level=9), judged_at(level=6)) is None


def test_a_goal_the_progress_cannot_judge_keeps_every_value() -> None:
    assert values_not_reached(learned("reach level 9", level=9), judged_at(gold=10)) is None


def test_a_skill_without_numbers_is_left_to_the_reached_rule() -> None:
    assert values_not_reached(learned("defeat the first boss"), judged_at(level=6)) is None


def test_a_starter_is_never_narrowed() -> None:
    starter = learned("reach level 2", level=2).model_copy(update={"kind": "starter"})

    assert values_not_reached(starter, judged_at(level=6)) is None
