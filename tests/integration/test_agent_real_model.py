"""The loop on the real stack: SmolLM2 via llama.cpp, the RPG server over stdio, Chroma on disk, SQLite."""

import json

import pytest

from neuronaut.api import arun_goal
from neuronaut.memory.embeddings import load_embeddings
from neuronaut.memory.store import EpisodeMemory

pytestmark = pytest.mark.integration


async def test_every_real_decision_is_a_valid_call(tiny_settings) -> None:
    result = await arun_goal("reach level 3", settings=tiny_settings, max_steps=4, thread_id="real")
    assert result.status in ("budget_exhausted", "achieved")
    assert result.steps == 4 and result.llm_calls >= 4
    assert result.prompt_tokens > 0 and result.completion_tokens > 0


async def test_steps_land_in_chroma_on_disk(tiny_settings) -> None:
    await arun_goal("reach level 3", settings=tiny_settings, max_steps=3, thread_id="mem")
    memory = EpisodeMemory(tiny_settings.memory_dir, load_embeddings(tiny_settings.embedding_model))
    assert memory.count("step") == 3
    hits = memory.search("reach level 3 press a button", world="rpg", k=2)
    assert hits and "goal: reach level 3" in hits[0].text


def test_cli_json_last_line_is_the_run_result(home) -> None:
    from tests.integration.conftest import run_cli

    result = run_cli("run", "reach level 3", "--max-steps", "2", "--thread", "cli", "--json", home=home)
    assert result.returncode in (0, 1), result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["thread_id"] == "cli" and data["steps"] == 2 and data["status"] == "budget_exhausted"
    assert "[  1] plan" in result.stderr  # live progress per step
