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
