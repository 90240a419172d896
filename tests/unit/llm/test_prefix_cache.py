"""The prefix cache's bookkeeping, without a model: identity, refusal before any state is applied, eviction."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from neuronaut.llm import prefix_cache
from neuronaut.llm.prefix_cache import PrefixCache, model_identity


class FakeLlama:
    """Stands in for llama-cpp-python's Llama: records what reached the context."""

    def __init__(self, state: bytes = b"kv-bytes") -> None:
        self.state = state
        self.restored: list[tuple[list[int], bytes]] = []


@pytest.fixture(autouse=True)
def fake_state(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefix_cache, "capture_state", lambda llama: llama.state)

    def restore(llama: FakeLlama, tokens, state: bytes) -> bool:
        llama.restored.append((list(tokens), state))
        return True

    monkeypatch.setattr(prefix_cache, "restore_state", restore)


def weights(path: Path, tail: bytes = b"tail") -> Path:
    path.write_bytes(b"GGUF" + b"\0" * 100 + tail)
    return path


def test_the_identity_changes_with_the_weights_and_the_context(tmp_path: Path) -> None:
    model = weights(tmp_path / "m.gguf")
    base = model_identity(model, 4096)
    assert model_identity(model, 4096) == base
    assert model_identity(model, 2048) != base
    weights(model, b"TAIL")  # same size, other bytes
    os.utime(model, ns=(base["mtime_ns"], base["mtime_ns"]))
    assert model_identity(model, 4096)["sample_sha256"] != base["sample_sha256"]
    stamp = model.with_name(model.name + ".sha256")
    stamp.write_text(f"{'a' * 64} {model.stat().st_size}\n")
    assert model_identity(model, 4096)["sha256"] == "a" * 64


def test_a_saved_state_is_restored_for_its_own_tokens_only(tmp_path: Path) -> None:
    cache = PrefixCache(tmp_path, {"model": "a"})
    llama = FakeLlama(b"state-after-1-2-3")
    assert cache.save(llama, [1, 2, 3]) is not None
    assert cache.load(llama, [1, 2, 4]) is False
    assert cache.load(llama, [1, 2, 3]) is True
    assert llama.restored == [([1, 2, 3], b"state-after-1-2-3")]


def test_a_state_of_another_model_or_prompt_never_reaches_the_context(tmp_path: Path) -> None:
    mine, theirs = PrefixCache(tmp_path, {"model": "a"}), PrefixCache(tmp_path, {"model": "b"})
    llama = FakeLlama()
    saved = theirs.save(llama, [1, 2, 3])
    assert mine.entry_path([1, 2, 3]) != saved
    assert mine.load(llama, [1, 2, 3]) is False
    # Forged under my name (a hash collision, a copied folder): the header still names the other model.
    saved.rename(mine.entry_path([1, 2, 3]))
    assert mine.load(llama, [1, 2, 3]) is False
    other_prompt = mine.save(llama, [7, 8, 9])
    other_prompt.rename(mine.entry_path([1, 2, 3]))
    assert mine.load(llama, [1, 2, 3]) is False
    assert llama.restored == []


def test_a_damaged_entry_is_a_cold_start_not_an_error(tmp_path: Path) -> None:
    cache = PrefixCache(tmp_path, {"model": "a"})
    llama = FakeLlama(b"x" * 1000)
    path = cache.save(llama, [1, 2, 3])
    path.write_bytes(path.read_bytes()[:-10])
    assert cache.load(llama, [1, 2, 3]) is False
    path.write_bytes(b"garbage")
    assert cache.load(llama, [1, 2, 3]) is False
    assert llama.restored == []


def test_only_the_most_recently_used_entries_are_kept(tmp_path: Path) -> None:
    cache = PrefixCache(tmp_path, {"model": "a"}, keep=2)
    llama = FakeLlama()
    first = cache.save(llama, [1])
    second = cache.save(llama, [2])
    os.utime(first, (1, 1))
    os.utime(second, (2, 2))
    assert cache.load(llama, [1])  # used: now the most recent
    cache.save(llama, [3])
    assert {p.name for p in cache.entries()} == {cache.entry_path([1]).name, cache.entry_path([3]).name}


def test_keep_zero_saves_nothing(tmp_path: Path) -> None:
    cache = PrefixCache(tmp_path / "never", {"model": "a"}, keep=0)
    assert cache.save(FakeLlama(), [1, 2]) is None
    assert not (tmp_path / "never").exists()
