"""The checkpoint database stays bounded and can be read while a run writes."""

import sqlite3

from neuronaut.api import arun_goal
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.settings import Settings
from neuronaut.storage import list_threads, prune_checkpoints
from tests.helpers import fighter


def _settings(home) -> Settings:
    return Settings.load(env={"NEURONAUT_HOME": str(home), "NEURONAUT_EMBEDDING_MODEL": "hash-64"})


async def test_pruning_keeps_the_newest_checkpoints_and_resume_still_works(home) -> None:
    settings = _settings(home)
    await arun_goal("reach level 9", settings=settings, decision_model=ScriptedModel(fallback=fighter),
                    max_steps=4, thread_id="p")
    before = list_threads(settings.checkpoint_db)[0].checkpoints
    removed = prune_checkpoints(settings.checkpoint_db, "p", keep=10)
    assert removed == before - 10 and list_threads(settings.checkpoint_db)[0].checkpoints == 10
    from neuronaut.api import aresume

    result = await aresume("p", settings=settings, decision_model=ScriptedModel(fallback=fighter), max_steps=5)
    assert result.steps == 5


async def test_the_database_is_in_wal_mode_for_concurrent_readers(home) -> None:
    settings = _settings(home)
    await arun_goal("reach level 9", settings=settings, decision_model=ScriptedModel(fallback=fighter),
                    max_steps=1, thread_id="w")
    with sqlite3.connect(settings.checkpoint_db) as db:
        assert db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_listing_threads_of_a_missing_database_is_empty(tmp_path) -> None:
    assert list_threads(tmp_path / "none.sqlite") == []


def test_pruning_a_database_the_graph_does_not_use_is_a_no_op(tmp_path) -> None:
    # Under `langgraph dev` the graph is checkpointed by the server: our database may be missing or empty.
    assert prune_checkpoints(tmp_path / "none.sqlite", "t", keep=10) == 0
    assert not (tmp_path / "none.sqlite").exists()
    sqlite3.connect(tmp_path / "empty.sqlite").close()
    assert prune_checkpoints(tmp_path / "empty.sqlite", "t", keep=10) == 0


async def test_a_finished_run_keeps_only_its_final_checkpoints_and_can_still_be_resumed(home) -> None:
    from neuronaut.api import aresume

    settings = _settings(home)
    result = await arun_goal("reach level 9", settings=settings, decision_model=ScriptedModel(fallback=fighter),
                             max_steps=6, thread_id="f")
    assert result.status == "budget_exhausted"
    # 6 steps write ~30 checkpoints; the final prune runs in learn, before learn's own checkpoint.
    assert list_threads(settings.checkpoint_db)[0].checkpoints <= settings.finished_checkpoints_kept + 1
    with sqlite3.connect(settings.ledger_db) as db:
        kept = dict(db.execute("select step, count(outcome) from tool_calls where thread_id = 'f' group by step"))
    assert sorted(kept) == list(range(6))  # every call is still on record, for audits
    assert [n for n in kept.values() if n] == [kept[5]]  # only the last step keeps its outcomes
    resumed = await aresume("f", settings=settings, decision_model=ScriptedModel(fallback=fighter), max_steps=8)
    assert resumed.status == "budget_exhausted" and resumed.steps == 8
