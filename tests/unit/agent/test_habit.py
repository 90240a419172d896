"""Habits: a skill learned for the goal at hand, or for one that differs only in its numbers, runs first."""

from __future__ import annotations

import pytest

from neuronaut.api import arun_goal
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.nodes.habit import habit
from neuronaut.settings import Settings
from neuronaut.skills.model import Skill, SkillParameter, SkillStep
from neuronaut.worlds.rpg.settings import rpg_settings
from tests.helpers import fighter, hunter


def skill(goal: str = "reach level 2", **fields) -> Skill:
    fields.setdefault("parameters", {"level": SkillParameter(type="integer", default=2)})
    return Skill(name="reach-level-2", world="rpg", goal=goal, steps=[SkillStep(tool="press_inline_button")],
                 **fields)


def state(goal: str = "Reach level 2!", tried: str | None = None) -> dict:
    trajectory = [{"step": 1, "decision": {"tool": f"skill:{tried}", "args": {}}}] if tried else []
    return {"goal": goal, "trajectory": trajectory}


def test_a_skill_learned_for_this_goal_is_run_with_its_recorded_arguments() -> None:
    decision = habit([skill()], state())
    assert decision is not None
    assert (decision["tool"], decision["args"]) == ("skill:reach-level-2", {"level": 2})


def test_a_skill_learned_for_a_goal_like_this_one_runs_with_this_goals_number() -> None:
    decision = habit([skill()], state("reach level 4"))
    assert decision is not None
    assert (decision["tool"], decision["args"]) == ("skill:reach-level-2", {"level": 4})


@pytest.mark.parametrize(("candidate", "goal", "tried"), [
    (skill().model_copy(update={"parameters": {}}), "reach level 4", None),  # its number is not a parameter
    (skill(), "reach level 4 twice", None),  # more than the numbers differ
    (skill(), "have 4 gold", None),
    (skill(goal="have 2 gold and 2 potions", parameters={"gold": SkillParameter(type="integer", default=2)}),
     "have 3 gold and 4 potions", None),  # one parameter cannot be both 3 and 4
    (skill(goal="reach level 3"), "reach level 2", None),  # learned for another goal
    (skill(demoted=True), "reach level 2", None),  # kept failing
    (skill(), "reach level 2", "reach-level-2"),  # already tried in this run: the model plans now
    (skill().model_copy(update={"parameters": {"level": SkillParameter(type="integer")}}), "reach level 2", None),
])
def test_no_habit_when_the_skill_does_not_fit(candidate: Skill, goal: str, tried: str | None) -> None:
    assert habit([candidate], state(goal, tried)) is None


async def test_solving_a_goal_again_runs_its_skill_without_a_single_model_call(settings: Settings) -> None:
    first = await arun_goal("reach level 2", settings=settings, decision_model=ScriptedModel(fallback=fighter),
                            max_steps=60, thread_id="first")
    assert first.status == "achieved" and first.skills_learned == ["reach-level-2"] and first.llm_calls > 5

    model = ScriptedModel()  # any call would fail the test: nothing is queued
    again = await arun_goal("reach level 2", settings=settings, decision_model=model, max_steps=5, thread_id="again")
    assert again.status == "achieved", again.stop_reason
    assert again.skills_used == ["reach-level-2"] and again.llm_calls == 0 and model.calls == []


async def test_the_skill_also_solves_the_goal_in_another_game(settings: Settings) -> None:
    first = await arun_goal("reach level 2", settings=settings, decision_model=ScriptedModel(fallback=fighter),
                            max_steps=60, thread_id="seed-1")
    assert first.status == "achieved"

    other_game = settings.with_world("rpg", seed=rpg_settings(settings).seed + 1000)  # other monsters and rolls
    model = ScriptedModel()
    again = await arun_goal("reach level 2", settings=other_game, decision_model=model, max_steps=5,
                            thread_id="seed-1001")
    assert again.status == "achieved", again.stop_reason
    assert again.llm_calls == 0 and again.skills_used == ["reach-level-2"]


async def test_a_skill_whose_goal_the_world_cannot_check_is_replayed_literally(settings: Settings) -> None:
    model = ScriptedModel({"thought": "look", "tool": "skill:check-status", "args": {}}, fallback=fighter)
    result = await arun_goal("reach level 5", settings=settings, decision_model=model, max_steps=1, thread_id="st")
    assert result.steps == 1 and result.skills_used == ["check-status"]  # "check the hero's status": no checker


async def test_a_skill_learned_for_level_2_is_the_habit_for_level_3(settings: Settings) -> None:
    first = await arun_goal("reach level 2", settings=settings, decision_model=ScriptedModel(fallback=fighter),
                            max_steps=60, thread_id="to-2")
    assert first.status == "achieved" and first.skills_learned == ["reach-level-2"]

    model = ScriptedModel(fallback=fighter)
    higher = await arun_goal("reach level 3", settings=settings, decision_model=model, max_steps=60, thread_id="to-3")
    assert higher.status == "achieved", higher.stop_reason
    assert higher.skills_used[0] == "reach-level-2"
    assert higher.llm_calls <= first.llm_calls // 5  # the routine, run for level 3, did most of the climb


async def test_a_routine_of_starter_skills_is_learned_and_solves_the_goal_in_another_game(settings: Settings) -> None:
    first = await arun_goal("reach level 2", settings=settings, decision_model=ScriptedModel(fallback=hunter),
                            max_steps=30, thread_id="first")
    assert first.status == "achieved" and first.skills_learned == ["reach-level-2"], first.stop_reason
    learned = Skill.model_validate_json((settings.skills_dir / "rpg" / "reach-level-2.json").read_text())
    assert {step.tool for step in learned.steps} <= {"skill:hunt", "skill:rest"}  # fights, not single presses

    other = settings.with_world("rpg", seed=rpg_settings(settings).seed + 7)
    again = await arun_goal("reach level 2", settings=other, decision_model=ScriptedModel(), max_steps=3,
                            thread_id="again")
    assert again.status == "achieved" and again.llm_calls == 0, again.stop_reason
    assert again.skills_used == ["reach-level-2"]
