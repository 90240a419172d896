"""The bundled all-MiniLM-L6-v2, loaded from its local directory with the hub switched off."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from neuronaut.memory.embeddings import LocalEmbeddings, cosine, load_embeddings
from neuronaut.memory.store import EpisodeMemory

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def embeddings() -> Iterator[LocalEmbeddings]:
    # Any attempt to reach a model hub fails loudly instead of downloading.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setenv("TRANSFORMERS_OFFLINE", "1")
        emb = load_embeddings("all-MiniLM-L6-v2")
        assert isinstance(emb, LocalEmbeddings)
        yield emb


def test_vectors_are_384_dimensional_and_normalised(embeddings: LocalEmbeddings) -> None:
    vectors = embeddings.embed_documents(["The hero attacks the slime.", "Buy a potion."])

    assert embeddings.dimension == 384 and embeddings.model_name == "all-MiniLM-L6-v2"
    assert [len(v) for v in vectors] == [384, 384]
    assert all(math.isclose(math.sqrt(sum(x * x for x in v)), 1.0, abs_tol=1e-4) for v in vectors)


def test_the_model_is_loaded_once_per_process(embeddings: LocalEmbeddings) -> None:
    assert load_embeddings("all-MiniLM-L6-v2") is embeddings


def test_close_meanings_score_higher_than_unrelated_ones(embeddings: LocalEmbeddings) -> None:
    query, close, unrelated = embeddings.embed_documents([
        "How do I restore my health?",
        "Drink a healing potion to recover hit points.",
        "The Swift compiler reports a type mismatch.",
    ])

    assert cosine(query, close) > cosine(query, unrelated) + 0.2


def test_episode_memory_retrieves_the_right_episode(embeddings: LocalEmbeddings, tmp_path: Path) -> None:
    episodes = [
        ("fight", "defeat the slime", "A slime blocks the road", "⚔️ Attack", "The slime is defeated, +5 XP"),
        ("shop", "buy supplies", "The merchant offers potions for 10 gold", "🧪 Buy potion", "You bought a potion"),
        ("rest", "recover", "You are at the inn", "🛏 Rest", "You sleep and recover all HP"),
    ]
    with EpisodeMemory(tmp_path / "memory", embeddings) as memory:
        for step, (thread, goal, saw, button, result) in enumerate(episodes):
            memory.add_step(thread_id=thread, step=step, world="rpg", goal=goal, observation=saw,
                            action={"tool": "press_inline_button", "args": {"button_text": button}},
                            outcome=result, ok=True)

        hits = memory.search("where can I purchase a healing drink?", world="rpg", k=3)

    assert hits[0].metadata["thread_id"] == "shop"
    assert hits[0].score > hits[1].score
