"""The world's primitive skills are offered at every step, with examples of decisions that run them."""

from __future__ import annotations

import re

import pytest

from neuronaut.api import arun_goal
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.settings import Settings
from neuronaut.skills.model import Skill, SkillParameter, SkillStep
from tests.helpers import offered, saved_game, tools

PRESS = {"thought": "t", "tool": "press_inline_button", "args": {"button_text": "🌲 Forest"}}
EXAMPLES = "a skill call plays a whole fight"
PLAIN = "Examples of good decisions:"


def learned(name: str) -> Skill:
    return Skill(name=name, world="rpg", goal=f"{name.replace('-', ' ')}", description="reach level 4 by fighting",
                 steps=[SkillStep(tool="press_inline_button", args={"button_text": "🔍 Explore"})])


async def test_the_primitives_are_offered_beside_the_retrieved_skills(settings: Settings) -> None:
    settings = settings.model_copy(update={"top_k_skills": 1})
    for name in ("reach-level-4-fast", "reach-level-4-by-fighting", "reach-level-4-again"):
        (settings.skills_dir / "rpg").mkdir(parents=True, exist_ok=True)
        (settings.skills_dir / "rpg" / f"{name}.json").write_text(learned(name).model_dump_json())
    model = ScriptedModel(fallback=PRESS)

    await arun_goal("reach level 4", settings=settings, decision_model=model, max_steps=1, thread_id="a")

    messages, schema = model.calls[0]
    offered = [tool for tool in tools(schema) if tool.startswith("skill:")]
    primitives = ["skill:hunt", "skill:rest", "skill:buy", "skill:fight-boss"]
    assert offered[:4] == primitives and len(offered) == 5  # the primitives, then the top 1
    assert EXAMPLES in messages[0].content and '"tool": "skill:hunt"' in messages[0].content
    assert PLAIN not in messages[0].content  # a small model imitates its examples: these run the skills
    assert "How this game works" in messages[0].content


async def test_without_skills_neither_the_primitives_nor_their_examples_are_shown(settings: Settings) -> None:
    model = ScriptedModel(fallback=PRESS)

    await arun_goal("reach level 4", settings=settings, decision_model=model, max_steps=1, thread_id="a",
                    use_skills=False)

    messages, schema = model.calls[0]
    assert not [tool for tool in tools(schema) if tool.startswith("skill:")]
    assert EXAMPLES not in messages[0].content and '"skill:hunt"' not in messages[0].content
    assert PLAIN in messages[0].content and "How this game works" in messages[0].content


async def test_a_primitive_misused_until_demoted_is_still_offered(settings: Settings) -> None:
    model = ScriptedModel(fallback={"thought": "t", "tool": "skill:rest", "args": {}})
    await arun_goal("reach level 4", settings=settings, decision_model=model, max_steps=1, thread_id="a")
    rest = settings.skills_dir / "rpg" / "rest.json"
    demoted = Skill.model_validate_json(rest.read_text()).model_copy(update={"demoted": True})
    rest.write_text(demoted.model_dump_json())
    model = ScriptedModel(fallback=PRESS)

    await arun_goal("reach level 4", settings=settings, decision_model=model, max_steps=1, thread_id="b")

    assert "skill:rest" in tools(model.calls[0][1])


async def test_the_first_plan_already_says_what_the_goal_still_takes(settings: Settings) -> None:
    model = ScriptedModel(fallback=PRESS)

    await arun_goal("own Leather Armour", settings=settings, decision_model=model, max_steps=1, thread_id="a")

    first = model.calls[0][0][-1].content  # the checker read the hero before the first step
    assert "Goal: own Leather Armour (costs 25 gold, 15 more than you have). Decide" in first


async def test_without_a_first_reading_the_first_plan_states_the_bare_goal(settings: Settings,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from neuronaut.worlds.rpg.world import RpgWorld

    # As for a world whose checker builds and tests: it is not run before the first step.
    monkeypatch.setattr(RpgWorld, "reads_goal_first", False)
    model = ScriptedModel(fallback=PRESS)

    await arun_goal("own Leather Armour", settings=settings, decision_model=model, max_steps=2, thread_id="a")

    first, second = (messages[-1].content for messages, _ in model.calls[:2])
    assert "Goal: own Leather Armour. Decide" in first
    assert "Goal: own Leather Armour (costs 25 gold, 15 more than you have). Decide" in second


async def test_a_primitive_is_replayed_as_written_even_when_its_goal_reads_like_one(settings: Settings) -> None:
    # "buy an item in the shop" parses as an RPG goal; cycled until it held, one refused purchase made 21 calls.
    import sqlite3

    buy = {"thought": "t", "tool": "skill:buy", "args": {"item": "Leather Armour"}}

    await arun_goal("own Leather Armour", settings=settings, decision_model=ScriptedModel(fallback=buy),
                    max_steps=1, thread_id="a", world_options=saved_game(settings, "rich", gold=30))

    with sqlite3.connect(settings.ledger_db) as db:
        presses = db.execute("SELECT COUNT(*) FROM tool_calls WHERE thread_id = 'a'").fetchone()[0]
    assert presses == 3  # town (refused: already there), shop, the armour


async def test_the_planner_reads_why_the_game_refused_a_skills_press(settings: Settings) -> None:
    fight = {"thought": "t", "tool": "skill:fight-boss", "args": {"boss": "Crystal Golem", "area": "Caves"}}
    model = ScriptedModel(fallback=fight)

    await arun_goal("defeat the Crystal Golem", settings=settings, decision_model=model, max_steps=2,
                    thread_id="a", use_critic=False)

    history = model.calls[1][0][-1].content.split("\n\nObservation")[0]
    # The press's toast, as the world words a single press; not "ok" and the press's JSON clipped before it.
    assert 'skill:fight-boss({"boss": "Crystal Golem", "area": "Caves"}) → failed' in history, history
    assert "Caves is too dangerous: reach level 3 first." in history, history


async def test_a_purchase_that_lowered_the_gold_is_off_the_menu_for_a_gold_goal(settings: Settings) -> None:
    # On "have 30 gold" the 1.5 B model bought potions "to get more gold" for a whole game.
    buy = {"thought": "t", "tool": "skill:buy", "args": {"item": "Potion"}}  # 8 gold
    hunt = {"thought": "t", "tool": "skill:hunt", "args": {}}
    model = ScriptedModel(PRESS, hunt, buy, fallback=PRESS)

    await arun_goal("have 30 gold", settings=settings, decision_model=model, max_steps=4, thread_id="a",
                    use_critic=False)

    (_, bought), (messages, after) = model.calls[2:4]
    assert "skill:buy" in tools(bought)
    assert "skill:buy" not in tools(after)
    assert "skill:hunt" in tools(after)
    note = messages[-1].content
    bought = r"skill:buy\(item='Potion'\) \[gold (\d+)→\d+, potions 1→2\]"  # what the purchase did to the hero
    assert re.search(bought + r" took you further from the goal\.", note), note
    assert re.search(r"What brought it closer: skill:hunt\(\) \[.*gold 10→\d+.*\]\.", note), note


async def test_even_the_first_step_can_set_the_goal_back(settings: Settings) -> None:
    buy = {"thought": "t", "tool": "skill:buy", "args": {"item": "Potion"}}
    model = ScriptedModel(buy, fallback=PRESS)

    await arun_goal("have 30 gold", settings=settings, decision_model=model, max_steps=2, thread_id="a",
                    use_critic=False)

    assert "skill:buy" not in tools(model.calls[1][1])  # measured against the reading before the first step


async def test_a_purchase_is_not_banned_for_a_goal_it_does_not_set_back(settings: Settings) -> None:
    buy = {"thought": "t", "tool": "skill:buy", "args": {"item": "Potion"}}
    model = ScriptedModel(PRESS, buy, fallback=PRESS)

    await arun_goal("reach level 3", settings=settings, decision_model=model, max_steps=3, thread_id="a",
                    use_critic=False, world_options=saved_game(settings, "rich", gold=50))

    assert "skill:buy" in tools(model.calls[2][1])


async def test_a_learned_skill_whose_goal_already_holds_is_not_offered(settings: Settings) -> None:
    for goal in ("reach level 1", "reach level 9"):  # no parameters: each is this one goal
        skill = Skill(name=goal.replace(" ", "-"), world="rpg", goal=goal, description=f"{goal} by fighting",
                      steps=[SkillStep(tool="press_inline_button", args={"button_text": "🔍 Explore"})])
        (settings.skills_dir / "rpg").mkdir(parents=True, exist_ok=True)
        (settings.skills_dir / "rpg" / f"{skill.name}.json").write_text(skill.model_dump_json())
    model = ScriptedModel(fallback=PRESS)

    await arun_goal("reach level 5", settings=settings, decision_model=model, max_steps=1, thread_id="a",
                    use_critic=False)

    offered = tools(model.calls[0][1])  # the first plan: the checker read the hero before it
    assert "skill:reach-level-9" in offered and "skill:reach-level-1" not in offered


async def test_the_buy_skill_offers_no_gear_the_hero_already_has_better(settings: Settings) -> None:
    owned = saved_game(settings, "owned", items=["iron_sword", "chainmail"], gold=100)
    model = ScriptedModel(fallback=PRESS)

    await arun_goal("defeat the Goblin King", settings=settings, decision_model=model, max_steps=1,
                    thread_id="a", world_options=owned)

    assert offered(model.calls[0][1], "skill:buy", "item") == ["Potion", "Steel Sword"]


async def test_the_buy_skill_offers_nothing_the_gold_does_not_pay_for(settings: Settings) -> None:
    model = ScriptedModel(fallback=PRESS)

    await arun_goal("reach level 3", settings=settings, decision_model=model, max_steps=1, thread_id="a",
                    world_options=saved_game(settings, "poor", gold=30))

    assert offered(model.calls[0][1], "skill:buy", "item") == ["Potion", "Iron Sword", "Leather Armour"]



async def test_a_learned_level_skill_at_the_hero_s_level_is_offered_only_the_levels_beyond(settings: Settings) -> None:
    for level in (5, 9):
        skill = Skill(name=f"reach-level-{level}", world="rpg", goal=f"reach level {level}",
                      description=f"reach level {level} by fighting",
                      parameters={"level": SkillParameter(type="integer", default=level)},
                      steps=[SkillStep(tool="press_inline_button", args={"button_text": "🔍 Explore"})])
        (settings.skills_dir / "rpg").mkdir(parents=True, exist_ok=True)
        (settings.skills_dir / "rpg" / f"{skill.name}.json").write_text(skill.model_dump_json())
    model = ScriptedModel(fallback=PRESS)

    await arun_goal("defeat the first boss", settings=settings, decision_model=model, max_steps=1, thread_id="a",
                    use_critic=False, world_options=saved_game(settings, "level-5", level=5))

    schema = model.calls[0][1]
    assert offered(schema, "skill:reach-level-5", "level") == [6, 7, 8, 9, 10]
    assert offered(schema, "skill:reach-level-9", "level") == []  # level 9 is still ahead: any level goes
    assert "skill:reach-level-9" in tools(schema)


async def test_at_a_boss_s_screen_its_button_is_left_to_the_fight_boss_skill(settings: Settings) -> None:
    model = ScriptedModel(fallback=PRESS)

    await arun_goal("defeat the first boss", settings=settings, decision_model=model, max_steps=1, thread_id="a",
                    use_critic=False, world_options=saved_game(settings, "forest", level=5, location="forest"))

    schema = model.calls[0][1]
    assert "skill:fight-boss" in tools(schema)
    assert offered(schema) and not [b for b in offered(schema) if "Goblin King" in b]


async def test_without_skills_a_boss_is_challenged_by_its_button(settings: Settings) -> None:
    model = ScriptedModel(fallback=PRESS)

    await arun_goal("defeat the first boss", settings=settings, decision_model=model, max_steps=1, thread_id="a",
                    use_critic=False, use_skills=False,
                    world_options=saved_game(settings, "forest", level=5, location="forest"))

    assert "👑 Goblin King" in offered(model.calls[0][1])


async def test_mid_fight_neither_the_inn_nor_the_shop_is_on_the_menu(settings: Settings) -> None:
    from neuronaut.servers.rpg.game import Foe

    slime = Foe(key="slime", hp=9, max_hp=9, atk=2, defense=0, xp=4, gold=3)
    model = ScriptedModel(fallback=PRESS)

    await arun_goal("reach level 4", settings=settings, decision_model=model, max_steps=1, thread_id="a",
                    use_critic=False, world_options=saved_game(settings, "fight", location="forest", foe=slime))

    schema = model.calls[0][1]
    assert "⚔️ Attack" in offered(schema)
    assert "skill:hunt" in tools(schema) and "skill:fight-boss" in tools(schema)  # both play the fight out
    assert "skill:rest" not in tools(schema) and "skill:buy" not in tools(schema)
