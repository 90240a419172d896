"""HashEmbeddings, model name resolution and document chunking (no real model loaded)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from neuronaut.errors import UserError
from neuronaut.memory.chunking import chunk_text
from neuronaut.memory.embeddings import HashEmbeddings, cosine, embedding_identity, load_embeddings


def test_hash_embeddings_are_deterministic_unit_vectors_of_the_given_size() -> None:
    first = HashEmbeddings(32).embed_query("Attack the slime")
    again = HashEmbeddings(32).embed_query("attack the SLIME")

    assert first == again
    assert len(first) == 32
    assert math.isclose(math.sqrt(sum(x * x for x in first)), 1.0, rel_tol=1e-9)


def test_hash_embeddings_rank_shared_words_higher() -> None:
    emb = HashEmbeddings(256)
    query, near, far = emb.embed_documents(
        ["buy a healing potion", "the shop sells a healing potion", "compile the swift package"]
    )
    assert cosine(query, near) > cosine(query, far)


def test_hash_embeddings_give_text_without_words_a_valid_direction() -> None:
    vector = HashEmbeddings(8).embed_query("⚔️ !!")
    assert math.isclose(sum(x * x for x in vector), 1.0)


def test_hash_embeddings_name_records_the_dimension() -> None:
    assert embedding_identity(HashEmbeddings(48)) == ("hash-48", 48)


def test_identity_of_an_undeclared_embeddings_probes_its_dimension() -> None:
    class Plain(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return [[1.0, 0.0, 0.0] for _ in texts]

        def embed_query(self, text: str) -> list[float]:
            return [1.0, 0.0, 0.0]

    assert embedding_identity(Plain()) == ("Plain", 3)


def test_load_embeddings_understands_hash_names() -> None:
    emb = load_embeddings("hash-16")
    assert isinstance(emb, HashEmbeddings) and emb.dimension == 16


def test_load_embeddings_rejects_an_unknown_name_and_names_the_fix() -> None:
    with pytest.raises(UserError, match="embedding_model.*all-MiniLM-L6-v2"):
        load_embeddings("no-such-model")


def test_load_embeddings_rejects_a_directory_that_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="unknown embedding model"):
        load_embeddings(str(tmp_path))


def test_short_text_is_one_chunk_and_empty_text_none() -> None:
    assert chunk_text("Just one line.") == ["Just one line."]
    assert chunk_text("  \n\n ") == []


def test_chunks_stay_under_the_limit_and_keep_all_words() -> None:
    text = "\n\n".join(f"Paragraph {i}. " + "alpha beta gamma. " * 20 for i in range(6))

    chunks = chunk_text(text, max_chars=300)

    assert len(chunks) > 1 and all(len(c) <= 300 for c in chunks)
    assert sum(c.count("alpha") for c in chunks) == 120


def test_chunks_under_a_heading_carry_it() -> None:
    text = "# Combat\n\nPress attack.\n\n" + ("Monsters hit back. " * 30) + "\n\n## Shop\n\nBuy potions."

    chunks = chunk_text(text, max_chars=200)

    assert chunks[0].startswith("# Combat")
    assert all(c.startswith("[Combat]") for c in chunks[1:-1])
    assert chunks[-1].startswith("## Shop")
