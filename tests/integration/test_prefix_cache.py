"""Warm starts with the real SmolLM2 model: a saved prefix state is restored only for its own model and prompt.

Each "process" is a fresh LocalChatModel (its own llama context); the only thing
they share is the prefix-cache folder on disk.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from neuronaut.llm.local import MIN_PREFIX_TOKENS, LocalChatModel
from neuronaut.llm.prefix_cache import SUFFIX
from neuronaut.llm.presets import PRESETS, installed_path

pytestmark = pytest.mark.integration

RULES = ("You operate a machine through tools. Each step, read the observation, pick exactly one tool and its "
         "arguments, and answer with one JSON object. Prefer actions that change the screen. ")


def system(topic: str) -> str:
    return f"Topic: {topic}.\n" + RULES * 6


def ask(system_text: str, screen: str = "A panel with three buttons: Start, Stop, Reset.") -> list:
    return [SystemMessage(system_text), HumanMessage(f"Observation:\n{screen}\nAnswer with one JSON object.")]


@pytest.fixture(scope="module")
def model_path() -> Path:
    path = installed_path(PRESETS["smollm2-135m"], Path("/nonexistent"))
    if path is None:
        pytest.skip("the bundled smollm2-135m package is not installed")
    return path


def fresh(path: Path, cache: Path, keep: int = 3) -> LocalChatModel:
    return LocalChatModel(path, n_ctx=2048, n_batch=256, n_threads=2, max_tokens=40, temperature=0.2, seed=3,
                          prefix_cache_dir=cache, prefix_cache_entries=keep)


def answer(model: LocalChatModel, messages: list):
    # A few free-text tokens: what is under test is the prompt's prefix, which decide and compose share.
    return asyncio.run(model.compose(messages, max_tokens=6))


def test_a_matching_prefix_state_is_restored_and_answers_alike(model_path: Path, tmp_path: Path) -> None:
    cache = tmp_path / "prefix-cache"
    first = fresh(model_path, cache)
    cold = answer(first, ask(system("valves")))
    again = answer(first, ask(system("valves"), "The panel now shows: Running."))
    first.close()
    assert cold.extra["prefix"] == "prefilled" and again.extra["prefix"] == "held"
    assert len(list(cache.glob(f"*{SUFFIX}"))) == 1

    second = fresh(model_path, cache)
    warm = answer(second, ask(system("valves")))
    second.close()
    assert warm.extra["prefix"] == "restored"
    assert warm.raw == cold.raw  # the restored KV state is the one the cold run computed
    assert cold.prefill_tokens >= warm.prompt_tokens > warm.prefill_tokens
    assert warm.prompt_tokens - warm.prefill_tokens >= MIN_PREFIX_TOKENS


def test_a_state_saved_for_another_prompt_is_never_used(model_path: Path, tmp_path: Path) -> None:
    cache = tmp_path / "prefix-cache"
    first = fresh(model_path, cache)
    answer(first, ask(system("valves")))
    first.close()
    saved = next(cache.glob(f"*{SUFFIX}"))

    second = fresh(model_path, cache)
    other = answer(second, ask(system("pumps")))  # same rules, another topic: another prefix
    assert other.extra["prefix"] == "prefilled"
    second.close()
    # Even under the other prompt's own file name, the valves state is refused: its header names other tokens.
    pumps_entry = next(p for p in cache.glob(f"*{SUFFIX}") if p != saved)
    shutil.copyfile(saved, pumps_entry)
    third = fresh(model_path, cache)
    forged = answer(third, ask(system("pumps")))
    third.close()
    assert forged.extra["prefix"] == "prefilled"
    assert forged.prefill_tokens >= forged.prompt_tokens - 1
    assert forged.raw == other.raw


def test_a_state_saved_by_another_model_file_is_never_used(model_path: Path, tmp_path: Path) -> None:
    cache = tmp_path / "prefix-cache"
    first = fresh(model_path, cache)
    answer(first, ask(system("valves")))
    first.close()
    saved = next(cache.glob(f"*{SUFFIX}"))

    other_file = tmp_path / "other" / model_path.name
    other_file.parent.mkdir()
    shutil.copyfile(model_path, other_file)
    with other_file.open("r+b") as fh:  # another model: same size, other bytes at the end of its weights
        fh.seek(-16, 2)
        fh.write(b"\x01" * 16)
    other = fresh(other_file, cache)
    own_entry = other._prefix_cache.entry_path(other._template.stable_prefix(
        [{"role": "system", "content": system("valves")}, {"role": "user", "content": "x"}],
        other._template.render([{"role": "system", "content": system("valves")}, {"role": "user", "content": "x"}])))
    assert own_entry != saved  # the model's identity is part of the entry's name
    shutil.copyfile(saved, own_entry)  # and even under its name, the header's identity refuses it
    reply = answer(other, ask(system("valves")))
    other.close()
    assert reply.extra["prefix"] == "prefilled"
    assert reply.prefill_tokens >= reply.prompt_tokens - 1


def test_only_the_most_recently_used_entries_stay_on_disk(model_path: Path, tmp_path: Path) -> None:
    cache = tmp_path / "prefix-cache"
    model = fresh(model_path, cache, keep=2)
    for topic in ("valves", "pumps", "fans"):
        assert answer(model, ask(system(topic))).extra["prefix"] == "prefilled"
    model.close()
    assert len(list(cache.glob(f"*{SUFFIX}"))) == 2
    later = fresh(model_path, cache, keep=2)
    assert answer(later, ask(system("valves"))).extra["prefix"] == "prefilled"  # the oldest went
    assert answer(later, ask(system("fans"))).extra["prefix"] == "restored"
    later.close()
