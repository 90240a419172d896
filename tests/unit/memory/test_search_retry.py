"""A search the index cannot answer this once is asked again; one it keeps failing is an error."""

from __future__ import annotations

from typing import Any

import chromadb
import pytest

from neuronaut.memory import index
from neuronaut.memory.remote import SharedMemoryUnavailable, translate_failures
from neuronaut.memory.store import EpisodeMemory


def failing_first(memory: EpisodeMemory, times: int, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make the step store's next ``times`` searches fail as a Chroma server does mid-delete; count the calls."""
    store = memory._stores["step"]
    real = store.similarity_search_with_score
    calls = [0]

    def search(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] <= times:
            raise chromadb.errors.InternalError("Error executing plan: Internal error: Error finding id")
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "similarity_search_with_score", search)
    monkeypatch.setattr(index, "QUERY_BACKOFF_S", 0.0)
    return calls


def remember(memory: EpisodeMemory) -> None:
    memory.add_step(thread_id="t", step=1, world="rpg", goal="reach level 2", observation="Town",
                    action={"tool": "press_inline_button", "args": {"button_text": "Forest"}}, outcome="ok", ok=True)


def test_a_search_that_fails_once_is_answered_at_the_retry(memory: EpisodeMemory,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    remember(memory)
    calls = failing_first(memory, 1, monkeypatch)
    hits = memory.search("reach level 2", world="rpg")
    assert [hit.metadata["thread_id"] for hit in hits] == ["t"]
    assert calls[0] == 2


def test_a_search_that_keeps_failing_raises_after_the_last_attempt(memory: EpisodeMemory,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    remember(memory)
    calls = failing_first(memory, index.QUERY_ATTEMPTS, monkeypatch)
    with pytest.raises(chromadb.errors.InternalError):
        memory.search("reach level 2", world="rpg")
    assert calls[0] == index.QUERY_ATTEMPTS


def test_a_shared_server_that_keeps_failing_stops_the_run_cleanly() -> None:
    with pytest.raises(SharedMemoryUnavailable, match="failed a request .*Error finding id.*chroma run"):
        with translate_failures("http://127.0.0.1:8123"):
            raise chromadb.errors.InternalError("Error executing plan: Internal error: Error finding id")
