"""The exploration loop: budgets, recording, and resuming what was left unfinished."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

import pytest

from neuronaut.learning.curriculum import Curriculum
from neuronaut.learning.explore import explore
from neuronaut.learning.goals import GoalSpace
from neuronaut.learning.progress_file import ProgressFile
from neuronaut.errors import UserError
from neuronaut.settings import Settings
from neuronaut.worlds.rpg.goals import rpg_space
from neuronaut.worlds.rpg.world import RpgWorld

WORLD = RpgWorld()
LADDER = ("reach level 2", "have 30 gold", "reach level 3")


def result(goal, status="achieved", steps=3, thread_id="t", **extra):
    return SimpleNamespace(goal=goal, status=status, steps=steps, llm_calls=steps, skills_learned=[],
                           thread_id=thread_id, **extra)


class FakeRuns:
    """Records calls; each goal ends with the next queued status (default achieved)."""

    def __init__(self, *statuses: str, steps: int = 3) -> None:
        self.statuses = list(statuses)
        self.steps = steps
        self.calls: list[dict] = []
        self.resumed: list[str] = []

    async def run_goal(self, goal, *, thread_id, world_options, max_steps):
        self.calls.append({"goal": goal, "thread_id": thread_id, "world_options": world_options,
                           "max_steps": max_steps})
        status = self.statuses.pop(0) if self.statuses else "achieved"
        if status in ("ctrl-c", "cancel"):
            raise KeyboardInterrupt if status == "ctrl-c" else asyncio.CancelledError
        return result(goal, status, self.steps, thread_id)

    async def resume(self, thread_id):
        self.resumed.append(thread_id)
        return result("reach level 2", "achieved", 2, thread_id)


@pytest.fixture
def progress(tmp_path: Path) -> ProgressFile:
    return ProgressFile(tmp_path / "run", world="rpg")


def settings_for(progress: ProgressFile) -> Settings:
    # Episodic memory (the curriculum's route) is read from this home, embedded without a model.
    return Settings(home=progress.path.parent, embedding_model="hash-64")


def curriculum() -> Curriculum:
    return Curriculum(GoalSpace("rpg", LADDER))


async def run(runs: FakeRuns, progress: ProgressFile, **budgets):
    return await explore(world=WORLD, settings=settings_for(progress), run_goal=runs.run_goal, resume=runs.resume,
                         curriculum=curriculum(), progress_file=progress, **budgets)


async def test_goal_budget_stops_the_loop_and_every_goal_is_recorded(progress) -> None:
    runs = FakeRuns()
    summary = await run(runs, progress, budget_goals=2)
    assert [c["goal"] for c in runs.calls] == ["reach level 2", "have 30 gold"]
    assert summary.completed == progress.read().completed == ["reach level 2", "have 30 gold"]
    assert "goal budget" in summary.stop_reason and progress.read().unfinished is None


async def test_step_budget_caps_the_next_goal(progress) -> None:
    runs = FakeRuns(steps=4)
    summary = await run(runs, progress, budget_steps=10, max_steps_per_goal=8)
    assert [c["max_steps"] for c in runs.calls] == [8, 6, 2]
    assert "step budget" in summary.stop_reason and summary.steps == 12


async def test_failed_goals_count_and_are_passed_on(progress) -> None:
    runs = FakeRuns("budget_exhausted")
    summary = await run(runs, progress, budget_goals=2)
    assert summary.failed == ["reach level 2"] and runs.calls[1]["goal"] == "have 30 gold"


async def test_a_new_session_skips_goals_done_in_the_last(progress) -> None:
    await run(FakeRuns(), progress, budget_goals=1)
    runs = FakeRuns()
    await run(runs, progress, budget_goals=1)
    assert runs.calls[0]["goal"] == "have 30 gold"


@pytest.mark.parametrize("interruption", ["ctrl-c", "cancel"])
async def test_interruption_leaves_a_resumable_goal(progress, interruption) -> None:
    runs = FakeRuns("achieved", interruption)
    summary = await run(runs, progress, budget_goals=5)
    assert summary.stop_reason.startswith("interrupted")
    unfinished = progress.read().unfinished
    assert unfinished.goal == "have 30 gold" and unfinished.thread_id == runs.calls[1]["thread_id"]


async def test_next_session_resumes_the_unfinished_goal_first(progress) -> None:
    progress.start_goal("reach level 2", "old-thread")
    runs = FakeRuns()
    summary = await run(runs, progress, budget_goals=2)
    assert runs.resumed == ["old-thread"]
    assert [a.source for a in summary.attempts] == ["resume", "ladder"]
    assert runs.calls[0]["goal"] == "have 30 gold" and progress.read().unfinished is None


async def test_an_interrupted_run_result_stops_and_stays_resumable(progress) -> None:
    runs = FakeRuns("interrupted")
    summary = await run(runs, progress, budget_goals=5)
    assert len(runs.calls) == 1 and summary.stop_reason.startswith("interrupted")
    assert progress.read().unfinished.thread_id == runs.calls[0]["thread_id"]


async def test_a_thread_that_cannot_be_resumed_is_forgotten(progress) -> None:
    progress.start_goal("reach level 2", "never-checkpointed")
    runs = FakeRuns()

    async def missing(thread_id):
        raise UserError("no checkpointed run")

    summary = await explore(world=WORLD, settings=settings_for(progress), run_goal=runs.run_goal, resume=missing,
                            curriculum=curriculum(), progress_file=progress, budget_goals=1)
    assert [a.source for a in summary.attempts] == ["ladder"] and runs.calls[0]["goal"] == "reach level 2"


async def test_stops_when_the_curriculum_is_exhausted(progress) -> None:
    summary = await run(FakeRuns(), progress)
    assert len(summary.attempts) == 3 and "no novel goal" in summary.stop_reason


async def test_probe_progress_reaches_the_curriculum_and_the_file(progress) -> None:
    async def probe(result):
        return {"level": 3, "gold": 5}

    runs = FakeRuns()
    await explore(world=WORLD, settings=settings_for(progress), run_goal=runs.run_goal, resume=runs.resume,
                  curriculum=curriculum(), progress_file=progress, budget_goals=2, progress_probe=probe,
                  world_options={"game": "g1"})
    assert runs.calls[1]["goal"] == "have 30 gold"  # "reach level 3" already holds
    assert runs.calls[1]["world_options"] == {"game": "g1"}
    assert progress.read().progress == {"level": 3, "gold": 5}


@pytest.mark.slow
async def test_default_runner_plays_a_real_goal(tmp_path) -> None:
    """The real ``arun_goal`` (RPG server over stdio, SQLite, Chroma) driven by a scripted fighter."""
    from neuronaut.llm.scripted import ScriptedModel
    from tests.helpers import fighter

    settings = Settings.load(env={"NEURONAUT_HOME": str(tmp_path / "home"), "NEURONAUT_EMBEDDING_MODEL": "hash-128"})
    model = ScriptedModel(fallback=fighter)
    progress = ProgressFile(tmp_path / "run", world="rpg")
    summary = await explore(world=WORLD, settings=settings, curriculum=Curriculum(GoalSpace("rpg", LADDER[:1])),
                            progress_file=progress, model=model, budget_goals=1, max_steps_per_goal=60)
    assert summary.completed == ["reach level 2"] and summary.llm_calls == len(model.calls)
    assert progress.read().skills_learned == ["reach-level-2"]


@pytest.mark.slow
async def test_the_default_runner_passes_the_ablation_switches_on(tmp_path) -> None:
    from neuronaut.llm.scripted import ScriptedModel
    from tests.helpers import fighter

    settings = Settings.load(env={"NEURONAUT_HOME": str(tmp_path / "home"), "NEURONAUT_EMBEDDING_MODEL": "hash-128"})
    summary = await explore(world=WORLD, settings=settings, curriculum=Curriculum(GoalSpace("rpg", LADDER[:1])),
                            progress_file=ProgressFile(tmp_path / "run", world="rpg"),
                            model=ScriptedModel(fallback=fighter), budget_goals=1, max_steps_per_goal=60,
                            run_options={"use_skills": False})
    assert summary.completed == ["reach level 2"] and summary.skills_learned == []  # no library, nothing learned


@pytest.mark.slow
async def test_a_learned_skill_climbs_the_next_rung_without_a_model_call(tmp_path) -> None:
    """Learning pays: after "reach level 2" is learned, "reach level 3" is chosen and reached by the skill alone."""
    from neuronaut.llm.scripted import ScriptedModel
    from tests.helpers import fighter

    settings = Settings.load(env={"NEURONAUT_HOME": str(tmp_path / "home"), "NEURONAUT_EMBEDDING_MODEL": "hash-128"})
    def first_goal_or_fight(messages, schema):
        goals = schema.get("properties", {}).get("goal", {}).get("enum")
        return {"reasoning": "first", "goal": goals[0]} if goals else fighter(messages, schema)

    model = ScriptedModel(fallback=first_goal_or_fight)
    summary = await explore(world=WORLD, settings=settings, curriculum=Curriculum(rpg_space()),
                            progress_file=ProgressFile(tmp_path / "run", world="rpg"), model=model,
                            budget_goals=2, max_steps_per_goal=60, world_options={"game": "one-hero"})
    first, second = summary.attempts
    assert (first.goal, first.status, first.skills_learned) == ("reach level 2", "achieved", ["reach-level-2"])
    assert (second.goal, second.source, second.status) == ("reach level 3", "skill", "achieved")
    assert second.llm_calls == 0 and summary.progress["level"] >= 3
    assert summary.curriculum_calls == 0  # a new hero's only feasible goal, then the skill's


async def test_the_first_pick_of_a_new_game_knows_the_new_hero(progress) -> None:
    # Unknown progress would offer gear the hero cannot afford, and ask the model to choose.
    from neuronaut.llm.scripted import ScriptedModel

    model = ScriptedModel()  # nothing queued: asking it would fail the test
    runs = FakeRuns()
    await explore(world=WORLD, settings=settings_for(progress), run_goal=runs.run_goal,
                  resume=runs.resume, curriculum=Curriculum(rpg_space()), progress_file=progress, model=model,
                  budget_goals=1)
    assert runs.calls[0]["goal"] == "reach level 2" and model.calls == []


async def test_the_goals_earlier_runs_reached_lead_the_way(progress) -> None:
    async def route():
        return ["have 30 gold", "reach level 2"]

    runs = FakeRuns()
    summary = await run(runs, progress, budget_goals=3, route=route)
    assert [(a.goal, a.source) for a in summary.attempts] == [
        ("have 30 gold", "memory"), ("reach level 2", "memory"), ("reach level 3", "ladder")]


async def test_without_memory_no_route_is_read(progress) -> None:
    async def route():
        raise AssertionError("the no-memory ablation read the route")

    summary = await run(FakeRuns(), progress, budget_goals=1, route=route, run_options={"use_memory": False})
    assert [(a.goal, a.source) for a in summary.attempts] == [("reach level 2", "ladder")]


async def test_the_default_route_is_what_episodic_memory_saw_reached(progress) -> None:
    from neuronaut.memory.embeddings import load_embeddings
    from neuronaut.memory.store import EpisodeMemory

    settings = settings_for(progress)
    with EpisodeMemory(settings.memory_dir, load_embeddings(settings.embedding_model)) as memory:
        memory.add_step(thread_id="an-earlier-game", step=4, world="rpg", goal="have 30 gold", observation="",
                        action={"tool": "skill:hunt", "args": {}}, outcome="", ok=True, achieved=True)
    summary = await run(FakeRuns(), progress, budget_goals=2)
    assert [(a.goal, a.source) for a in summary.attempts] == [("have 30 gold", "memory"), ("reach level 2", "ladder")]
