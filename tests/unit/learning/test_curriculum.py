"""The curriculum: novel, feasible, checkable goals; the ladder when the model's choice is unusable."""

from __future__ import annotations

import pytest

from neuronaut.learning.curriculum import Curriculum, CurriculumExhausted
from neuronaut.learning.goals import GoalSpace
from neuronaut.worlds.rpg.goals import candidates as rpg_candidates
from neuronaut.worlds.rpg.goals import feasible as rpg_feasible
from neuronaut.worlds.rpg.goals import needs as rpg_needs
from neuronaut.worlds.rpg.goals import parse_goal
from neuronaut.worlds.rpg.rules import ladder as rpg_ladder
from neuronaut.worlds.rpg.rules import start as rpg_start
from neuronaut.worlds.swift.goals import swift_space
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.skills.model import Skill, SkillParameter, SkillStep, slugify
from neuronaut.worlds.rpg.world import RpgWorld

WORLD = RpgWorld()
START = {"level": 1, "gold": 10, "items": ["Potion"]}
RICH = {**START, "gold": 25}  # Leather Armour is affordable: two candidates, so the model is asked


def choose(goal: str, reasoning: str = "next step") -> dict:
    return {"reasoning": reasoning, "goal": goal}


async def propose(model, progress=START, completed=(), failed=(), curriculum=None, skills=(), route=()):
    curriculum = curriculum or Curriculum.for_world(WORLD)
    return await curriculum.propose(model, world=WORLD, progress=progress, completed=completed, failed=failed,
                                    skills=skills, route=route)


def learned(goal: str = "reach level 2", **fields) -> Skill:
    return Skill(name=slugify(goal), world="rpg", goal=goal, steps=[SkillStep(tool="press_inline_button")],
                 parameters={"level": SkillParameter(type="integer", default=2)}, **fields)


AT_LEVEL_2 = {"level": 2, "gold": 12, "items": ["Potion"]}


def test_every_ladder_goal_is_checkable_by_the_rpg_world() -> None:
    for goal in rpg_ladder():
        WORLD.parse_goal(goal)  # raises UserError otherwise
    assert parse_goal("own an Iron Sword").target == "iron sword"


async def test_model_chooses_among_valid_candidates() -> None:
    model = ScriptedModel(choose("own Leather Armour", "armour keeps me alive"))
    proposal = await propose(model, {**START, "gold": 25})
    assert (proposal.goal, proposal.source, proposal.reason) == ("own Leather Armour", "model", "armour keeps me alive")
    enum = model.calls[0][1]["properties"]["goal"]["enum"]
    assert enum == ["reach level 2", "own Leather Armour"]
    for goal in enum:
        WORLD.parse_goal(goal)


async def test_nonsense_falls_back_to_the_ladder() -> None:
    proposal = await propose(ScriptedModel(choose("write a poem")), RICH)
    assert (proposal.goal, proposal.source) == ("reach level 2", "ladder")
    assert "rejected" in proposal.reason and proposal.llm_calls == 1


async def test_malformed_answer_falls_back_to_the_ladder() -> None:
    proposal = await propose(ScriptedModel("{oops"), RICH)
    assert proposal.source == "ladder" and proposal.goal == "reach level 2"


async def test_a_goal_that_failed_too_often_is_refused() -> None:
    proposal = await propose(ScriptedModel(choose("reach level 2")), failed=["reach level 2", "Reach level 2"])
    assert proposal.source == "ladder" and proposal.goal == "reach level 3"


async def test_a_completed_goal_is_never_proposed_again() -> None:
    proposal = await propose(ScriptedModel(choose("reach level 2")), completed=["reach level 2"])
    assert proposal.source == "ladder" and proposal.goal != "reach level 2"


async def test_goals_that_already_hold_are_skipped() -> None:
    proposal = await propose(None, progress={"level": 3, "gold": 12})
    assert proposal.goal == "reach level 4"  # levels 2 and 3 already hold, the sword is not affordable


async def test_ladder_prefers_an_untried_rung_after_a_failure() -> None:
    proposal = await propose(None, failed=["reach level 2"])
    assert proposal.goal == "reach level 3"


async def test_single_candidate_needs_no_model_call() -> None:
    curriculum = Curriculum(GoalSpace("rpg", ("reach level 2",)))
    model = ScriptedModel()  # raises if called
    proposal = await propose(model, curriculum=curriculum)
    assert proposal.goal == "reach level 2" and model.calls == []


async def test_exhausted_when_nothing_novel_is_left() -> None:
    curriculum = Curriculum(GoalSpace("rpg", ("reach level 2",)))
    with pytest.raises(CurriculumExhausted):
        await propose(None, completed=["reach level 2"], curriculum=curriculum)


async def test_swift_proposals_name_their_spec() -> None:
    curriculum = Curriculum(swift_space())
    proposal = await curriculum.propose(None, world=WORLD, progress={}, completed=[], failed=[])
    assert proposal.world_options == {"spec": "greet"} and "`greet`" in proposal.goal


async def test_the_ladder_pick_follows_the_ladder_without_asking_the_model() -> None:
    model = ScriptedModel()  # any call would fail: nothing is queued
    proposal = await propose(model, curriculum=Curriculum.for_world(WORLD, pick="ladder"))
    assert (proposal.goal, proposal.source, proposal.llm_calls) == ("reach level 2", "ladder", 0)
    assert model.calls == []


async def test_the_random_pick_draws_open_goals_from_the_whole_world_without_the_model() -> None:
    model = ScriptedModel()
    drawn = {(await propose(model, curriculum=Curriculum.for_world(WORLD, pick="random", seed=s),
                            completed=["reach level 2"])).goal for s in range(30)}
    assert "reach level 2" not in drawn and len(drawn) > 5  # novel, and far beyond the next few rungs
    assert set(drawn) - set(rpg_ladder()[:6])  # goals that are not feasible now are drawn too
    for goal in drawn:
        WORLD.parse_goal(goal)
    assert model.calls == []


def test_an_unknown_pick_is_refused() -> None:
    from neuronaut.errors import UserError

    with pytest.raises(UserError, match="unknown curriculum pick"):
        Curriculum.for_world(WORLD, pick="vibes")


async def test_of_goals_that_differ_only_in_a_number_only_the_easiest_is_offered() -> None:
    model = ScriptedModel(choose("reach level 2"))
    await propose(model, progress=RICH)
    enum = model.calls[0][1]["properties"]["goal"]["enum"]
    assert "reach level 2" in enum and "reach level 3" not in enum


def test_easiest_of_each_kind_keeps_the_first_position_of_the_kind() -> None:
    from neuronaut.learning.curriculum import easiest_of_each_kind

    goals = ["reach level 3", "have 30 gold", "reach level 2", "own an Iron Sword", "have 50 gold"]
    assert easiest_of_each_kind(goals) == ["reach level 2", "have 30 gold", "own an Iron Sword"]


async def test_a_goal_a_learned_skill_reaches_is_proposed_without_asking_the_model() -> None:
    model = ScriptedModel()  # nothing queued: asking it would fail the test
    proposal = await propose(model, AT_LEVEL_2, completed=["reach level 2"], skills=[learned()])
    assert (proposal.goal, proposal.source, proposal.llm_calls) == ("reach level 3", "skill", 0)
    assert "reach-level-2" in proposal.reason and model.calls == []


@pytest.mark.parametrize(("skills", "failed", "curriculum"), [
    ([learned(demoted=True)], (), None),  # the skill kept failing
    ([learned()], ("reach level 3",), None),  # the goal it would reach failed once: the model weighs it again
    ([learned()], (), Curriculum.for_world(WORLD, pick="ladder")),  # the manual curriculum ignores skills
    ([], (), None),  # nothing learned (or the no-skills ablation)
])
async def test_otherwise_the_pick_is_made_as_before(skills, failed, curriculum) -> None:
    model = ScriptedModel(choose("reach level 3"))
    proposal = await propose(model, {**AT_LEVEL_2, "gold": 25}, completed=["reach level 2"], failed=failed,
                             skills=skills,
                             curriculum=curriculum)
    assert proposal.source != "skill"
    assert proposal.source == ("ladder" if curriculum else "model")


async def test_each_candidate_says_what_it_still_takes() -> None:
    model = ScriptedModel(choose("reach level 2"))
    await propose(model, {**rpg_start(), "gold": 25})
    prompt = model.calls[0][0][0].content
    assert "- reach level 2 (10 more XP from fights)\n" in prompt
    assert model.calls[0][1]["properties"]["goal"]["enum"][0] == "reach level 2"  # the answer is the bare goal


def test_gold_is_never_a_goal_of_the_curriculum() -> None:
    # A means won by levelling; the 1.5 B model bought things for "have 30 gold" through whole games.
    assert not [g for g in rpg_candidates({"level": 1, "gold": 10}, []) if g.endswith("gold")]
    assert not [g for g in rpg_ladder() if g.endswith("gold")]


def test_a_ladder_rung_is_offered_only_once_it_is_feasible() -> None:
    from collections import Counter

    curriculum, done = Curriculum.for_world(WORLD), {"reach level 2"}

    poor = curriculum.candidates(AT_LEVEL_2, done, Counter())  # 12 gold: the Iron Sword costs 30
    rich = curriculum.candidates({**AT_LEVEL_2, "gold": 30}, done, Counter())

    assert poor == ["reach level 3"] and "own an Iron Sword" in rich


async def test_with_a_single_candidate_the_model_is_not_asked() -> None:
    model = ScriptedModel()  # nothing queued: asking it would fail the test

    proposal = await propose(model, START)

    assert (proposal.goal, proposal.reason, proposal.llm_calls) == ("reach level 2", "the only candidate", 0)


@pytest.mark.parametrize(("goal", "progress", "feasible"), [
    ("own an Iron Sword", {"gold": 29}, False), ("own an Iron Sword", {"gold": 30}, True),
    ("defeat the first boss", {"level": 4}, False), ("defeat the first boss", {"level": 5}, True),
    ("reach level 9", {"level": 1}, True), ("own an Iron Sword", {}, True),  # progress cannot tell
    # Past the gate, a boss also wants gear or levels enough to outlast it.
    ("defeat the first boss", {"level": 5, "items": []}, False),
    ("defeat the first boss", {"level": 5, "items": ["Potion", "Iron Sword"]}, True),
    ("defeat the Red Dragon", {"level": 12, "items": ["Steel Sword", "Chain Mail"]}, False),
    ("defeat the Red Dragon", {"level": 13, "items": ["Iron Sword", "Steel Sword", "Chain Mail"]}, True),
    ("defeat the Red Dragon", {"level": 13, "items": ["Steel Sword", "Leather Armour"]}, False),
    # Lucky critical hits are not counted on: the skill won this fight 31-41 % of the time, and at level 15 always.
    ("defeat the Red Dragon", {"level": 14, "items": ["Steel Sword", "Leather Armour"]}, False),
    ("defeat the Red Dragon", {"level": 15, "items": ["Steel Sword", "Leather Armour"]}, True),
    ("defeat the Crystal Golem", {"level": 10, "items": ["Iron Sword"]}, False),
    # Gear no better than what is worn: the buy skill does not offer it, and it adds nothing.
    ("own an Iron Sword", {"gold": 87, "items": ["Steel Sword"]}, False),
    ("own Leather Armour", {"gold": 87, "items": ["Steel Sword"]}, True),
    ("own Leather Armour", {"gold": 87, "items": ["Chain Mail"]}, False),
])
def test_what_the_rpg_world_finds_feasible_now(goal: str, progress: dict, feasible: bool) -> None:

    assert rpg_feasible(goal, progress) is feasible


def test_gear_is_a_candidate_once_the_hero_can_afford_it() -> None:
    assert not [goal for goal in rpg_candidates({"level": 1, "gold": 24}, []) if goal.startswith("own")]
    assert "own Leather Armour" in rpg_candidates({"level": 1, "gold": 25}, [])
    assert "own an Iron Sword" not in rpg_candidates({"level": 1, "gold": 25}, [])


def test_gear_no_better_than_what_is_worn_is_never_proposed() -> None:
    from collections import Counter

    wearing_steel = {"level": 6, "gold": 87, "items": ["Potion", "Steel Sword"], "bosses": ["Goblin King"]}

    proposed = Curriculum.for_world(WORLD).candidates(wearing_steel, {"reach level 2"}, Counter())

    assert "own an Iron Sword" not in proposed and "own Leather Armour" in proposed


def test_a_boss_is_a_candidate_a_level_past_its_gate() -> None:
    assert "defeat the first boss" not in rpg_candidates({"level": 4}, [])
    assert "defeat the first boss" in rpg_candidates({"level": 5}, [])


@pytest.mark.parametrize(("goal", "progress", "needs"), [
    ("reach level 3", {"level": 1, "xp": 4}, "41 more XP from fights"),  # 10 - 4 to level 2, then 35
    ("have 30 gold", {"gold": 34}, ""),
    ("own an Iron Sword", {"gold": 45}, "costs 30 gold"),
    ("defeat the first boss", {"level": 6},
     "a boss fight: the Goblin King, in the Forest, from level 4; you are level 6"),
    ("defeat the Red Dragon", {}, "a boss fight: the Red Dragon, in the Peak, from level 10"),
    ("defeat the Red Dragon", {"level": 13, "items": ["Steel Sword", "Chain Mail"]},
     "a boss fight: the Red Dragon, in the Peak; your level and gear outlast it: fight it now"),
    ("defeat the Red Dragon", {"level": 12, "items": ["Steel Sword", "Chain Mail"]},
     "a boss fight: the Red Dragon, in the Peak; at level 12, with your gear, it outlasts you: level up or buy "
     "gear first"),
    ("defeat the Red Dragon", {"level": 9, "items": []},
     "a boss fight: the Red Dragon, in the Peak, from level 10; you are level 9"),
    ("reach level 2", {}, ""),  # progress unknown: nothing to say
])
def test_what_an_rpg_goal_still_takes(goal: str, progress: dict, needs: str) -> None:
    assert rpg_needs(goal, progress) == needs


async def test_after_three_goals_in_a_row_reached_by_a_skill_the_model_chooses() -> None:
    at_level_5 = {"level": 5, "gold": 12, "items": ["Potion", "Iron Sword"]}  # gear to outlast the boss
    climbed = ["have 30 gold", "reach level 3", "reach level 4", "reach level 5"]
    model = ScriptedModel(choose("defeat the first boss"))

    proposal = await propose(model, at_level_5, completed=climbed, skills=[learned()])

    assert (proposal.goal, proposal.source) == ("defeat the first boss", "model")
    two_in_a_row = await propose(ScriptedModel(), {**at_level_5, "level": 4}, completed=climbed[:3],
                                 skills=[learned()])
    assert two_in_a_row.source == "skill"


AT_LEVEL_5 = {"level": 5, "gold": 12, "items": ["Potion", "Iron Sword"]}
# What a first game reached, in order; the second game has climbed to level 5 (the boss and level 6 are open).
FIRST_GAME = ["reach level 2", "reach level 3", "reach level 4", "own an Iron Sword", "reach level 5",
              "defeat the first boss", "reach level 6"]


async def test_of_the_candidates_the_one_earlier_runs_reached_first_is_proposed_without_asking_the_model() -> None:
    model = ScriptedModel()  # nothing queued: asking it would fail the test
    proposal = await propose(model, AT_LEVEL_5, completed=["reach level 2", "reach level 3", "reach level 4"],
                             skills=[learned()], route=FIRST_GAME)
    assert (proposal.goal, proposal.source, proposal.llm_calls) == ("defeat the first boss", "memory", 0)
    assert "goal 6 of the 7" in proposal.reason and model.calls == []


@pytest.mark.parametrize(("route", "failed", "curriculum"), [
    (FIRST_GAME[:6], ("defeat the first boss",), None),  # failed in this game: the model weighs it again
    (["own Chain Mail", "defeat the Red Dragon"], (), None),  # no candidate is on the route
    (FIRST_GAME, (), Curriculum.for_world(WORLD, pick="ladder")),  # the manual curriculum ignores memory
    ([], (), None),  # nothing remembered (or the no-memory ablation)
])
async def test_off_the_route_the_pick_is_made_as_before(route, failed, curriculum) -> None:
    model = ScriptedModel(choose("reach level 6"))
    proposal = await propose(model, AT_LEVEL_5, completed=["reach level 5"], failed=failed, route=route,
                             curriculum=curriculum)
    assert proposal.source == ("ladder" if curriculum else "model")
