"""The learning-curve bench's lifelong mode, played by its scripted smoke policy (plumbing, not a result)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bench.learning_curve import (
    MILESTONES,
    Counted,
    UntilEveryMilestone,
    hero_progress,
    run_arm,
    smoke_policy,
)
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.settings import Settings

ARGS = argparse.Namespace(llm_calls=15, max_steps=15, max_goals=60)


def base(home: Path) -> Settings:
    return Settings.load(env={"NEURONAUT_HOME": str(home / "unused"), "NEURONAUT_EMBEDDING_MODEL": "hash-128"})


async def test_a_later_game_in_the_same_home_starts_from_a_new_hero_with_the_skills_learned(tmp_path: Path) -> None:
    home, model = tmp_path / "lifelong", ScriptedModel(fallback=smoke_policy)

    first = await run_arm("full", 2, base(tmp_path), model, ARGS, home, keep=tmp_path / "out")
    calls_in_first = len(model.calls)
    second = await run_arm("full", 3, base(tmp_path), model, ARGS, home)

    assert first["Lv 2"] > 0  # the first game had to fight for it
    assert sorted(p.name for p in (home / "checkpoints" / "worlds").glob("rpg-*.json")) == [
        "rpg-bench-full-2.json", "rpg-bench-full-3.json"]  # a game of its own
    assert second["Lv 2"] < first["Lv 2"]  # the skill learned in the first game climbs without the model
    assert len(model.calls) - calls_in_first <= ARGS.llm_calls + 1
    kept = (tmp_path / "out" / "PROGRESS-bench-full-2.md").read_text()  # the home may go; its record stays
    assert "reach level 2" in kept


def test_a_game_is_dated_by_its_own_hero_not_by_the_last_game_in_the_home(tmp_path: Path) -> None:
    import json

    from bench.learning_curve import Counted

    worlds = tmp_path / "worlds"
    worlds.mkdir()
    hero = {"level": 4, "xp": 0, "hp": 38, "gold": 50, "potions": 0, "bosses": [], "items": []}
    (worlds / "rpg-bench-full-2.json").write_text(json.dumps({"bot": {"game": hero}}))
    counted = Counted(ScriptedModel(), worlds, game="bench-full-3")

    counted.note()
    assert counted.marks == {}  # the new game has not started: level 4 was the last game's hero

    (worlds / "rpg-bench-full-3.json").write_text(json.dumps({"bot": {"game": {**hero, "level": 2}}}))
    counted.note()
    assert counted.marks == {"Lv 2": 0}


def test_the_probe_gives_the_curriculum_every_status_key_so_none_stays_from_the_new_game() -> None:
    from neuronaut.servers.rpg.status import STATUS_KEYS

    hero = {"level": 29, "xp": 20, "hp": 150, "gold": 4823, "potions": 2, "bosses": ["dragon"], "items": []}

    progress = hero_progress(hero)
    assert set(STATUS_KEYS) <= set(progress)  # explore merges probes: a missing key would keep a stale value
    assert (progress["max_hp"], progress["xp_next"]) == (188, 1060)
    assert progress["bosses"] == ["Red Dragon"] and progress["items"] == ["Potion"]


async def test_a_game_ends_once_every_milestone_is_dated(tmp_path: Path) -> None:
    from neuronaut.learning.curriculum import CurriculumExhausted

    class Inner:
        asked, space = 0, None

        async def propose(self, model, **kwargs):
            self.asked += 1
            return "reach level 40"

    counted, inner = Counted(ScriptedModel(), tmp_path), Inner()
    curriculum = UntilEveryMilestone(inner, counted)
    counted.marks = dict.fromkeys(list(MILESTONES)[:-1], 3)
    assert await curriculum.propose(None) == "reach level 40"  # the dragon is still to come

    counted.marks = dict.fromkeys(MILESTONES, 3)
    with pytest.raises(CurriculumExhausted, match="every milestone"):
        await curriculum.propose(None)
    assert inner.asked == 1


async def test_a_game_plays_at_most_max_goals_goals(tmp_path: Path) -> None:
    args = argparse.Namespace(llm_calls=15, max_steps=15, max_goals=2)

    await run_arm("full", 2, base(tmp_path), ScriptedModel(fallback=smoke_policy), args, tmp_path / "home",
                  keep=tmp_path / "out")

    rows = [line for line in (tmp_path / "out" / "PROGRESS-bench-full-2.md").read_text().splitlines()
            if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == 2, rows


async def test_the_critics_calls_are_counted_apart_from_the_planners(tmp_path: Path) -> None:
    from langchain_core.messages import HumanMessage

    from neuronaut.learning.critic import CRITIC_SCHEMA

    plan = {"type": "object", "properties": {"tool": {"type": "string"}}, "required": ["tool"]}
    counted = Counted(ScriptedModel({"reasoning": "r", "success": False, "critique": "fight"}, {"tool": "t"}),
                      tmp_path)

    await counted.decide([HumanMessage(content="judge")], CRITIC_SCHEMA)
    await counted.decide([HumanMessage(content="plan")], plan)

    assert (counted.calls, counted.critic_calls) == (2, 1)
