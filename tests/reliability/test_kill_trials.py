"""Exact resume under kill -9, CI-sized: the real CLI killed at random points, resumed, and audited.

The machinery (kill points, the resume loop, the ledger-against-game audit) is
``bench/kill_trials.py``; ``python bench/kill_trials.py`` runs the full 20 trials
with the tiny model. Here: a few trials with the scripted model (same CLI,
seconds per run) and one with the real tiny model, killed inside ``act``.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from bench.kill_trials import KillPoint, apply_call, audit_side_effects, ledger_calls, run_trial, summary, world_state_path
from neuronaut.api import aresume, arun_goal
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.servers.rpg.chat import SimulatedChat
from tests.helpers import fighter
from tests.reliability.conftest import fast_settings

SCRIPTED_TRIALS = 4
STEPS = 4


@pytest.mark.integration
@pytest.mark.slow
def test_kill_9_at_random_points_then_resume_completes_with_no_duplicated_side_effect(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    results = [run_trial(tmp_path / f"t{n}", f"kill-{n}", STEPS, rng, scripted=True, max_kills=2, timeout_s=300)
               for n in range(SCRIPTED_TRIALS)]
    for result in results:
        print(result.line())
    print(summary(results))
    assert [r.problem for r in results] == [""] * SCRIPTED_TRIALS
    assert all(r.kills for r in results)  # every trial was really killed at least once
    assert [r.completed for r in results] == [True] * SCRIPTED_TRIALS
    assert sum(r.audit.duplicates for r in results) == 0, [r.audit.detail for r in results]


@pytest.mark.integration
@pytest.mark.slow
def test_kill_9_inside_act_with_the_tiny_model_then_resume_completes_exactly(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import bench.kill_trials as trials

    # Right after the first plan line: the ledger's started → call → done → checkpoint of act is under way.
    monkeypatch.setattr(trials, "choose_kill", lambda rng, first, last, step_s=20.0: KillPoint(0, "plan", 0.02))
    result = run_trial(tmp_path / "tiny", "tiny", 1, random.Random(1), scripted=False, max_kills=1, timeout_s=900)
    print(result.line())
    assert result.problem == "" and result.kills
    assert result.completed
    assert result.audit.duplicates == 0, result.audit.detail


# --- the audit can fail --------------------------------------------------------------------------


async def test_the_audit_names_a_press_that_reached_the_game_twice(home: Path) -> None:
    settings = fast_settings(home)
    model = ScriptedModel(fighter, {"thought": "t", "tool": "send_message", "args": {"text": "/help"}}, fighter)
    await arun_goal("reach level 9", settings=settings, decision_model=model, max_steps=3, thread_id="twice")
    assert audit_side_effects(home, "twice").duplicates == 0
    send = next(c for c in ledger_calls(settings.ledger_db, "twice") if c.tool == "send_message")
    apply_call(SimulatedChat(state_path=world_state_path(home, "twice")), send)  # the same message, again
    audit = audit_side_effects(home, "twice")
    assert audit.duplicates == 1
    assert "step 1 call 0 send_message" in audit.detail


# --- a window where a resume does nothing ------------------------------------------------------------


class Died(BaseException):
    """The process dies (kill -9, power cut, full disk) while LangGraph writes a checkpoint."""


async def test_a_run_that_died_between_a_nodes_writes_and_its_checkpoint_resumes(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = fast_settings(home)
    real_put = AsyncSqliteSaver.aput
    puts = 0

    async def dying_put(self, *args, **kwargs):
        nonlocal puts
        puts += 1
        if puts == 12:  # the checkpoint after a node of step 2; the node's own writes are already saved
            raise Died()
        return await real_put(self, *args, **kwargs)

    monkeypatch.setattr(AsyncSqliteSaver, "aput", dying_put)
    with pytest.raises(Died):
        await arun_goal("reach level 9", settings=settings, decision_model=ScriptedModel(fallback=fighter),
                        max_steps=5, thread_id="cut")
    monkeypatch.setattr(AsyncSqliteSaver, "aput", real_put)
    result = await aresume("cut", settings=settings, decision_model=ScriptedModel(fallback=fighter))
    assert (result.status, result.steps) == ("budget_exhausted", 5)
