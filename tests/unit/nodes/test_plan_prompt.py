"""The planning conversation only grows between steps, so llama.cpp can reuse its KV cache."""

from neuronaut.api import arun_goal
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.nodes.plan_prompt import MIN_TURNS, TURN_CHUNK, visible_turns
from neuronaut.settings import Settings
from tests.helpers import fighter


def _turns(last_step: int) -> list[dict]:
    return [{"step": s, "prompt": f"p{s}", "raw": f"r{s}"} for s in range(1, last_step + 1)]


def test_all_turns_are_visible_at_first() -> None:
    assert len(visible_turns(_turns(MIN_TURNS + TURN_CHUNK - 1))) == MIN_TURNS + TURN_CHUNK - 1


def test_the_window_moves_in_chunks() -> None:
    moved = visible_turns(_turns(MIN_TURNS + TURN_CHUNK))
    assert len(moved) == MIN_TURNS
    # One step later the window has not moved again: the old turns are a prefix of the new ones.
    later = visible_turns(_turns(MIN_TURNS + TURN_CHUNK + 1))
    assert later[: len(moved)] == moved


def test_turns_without_a_recorded_prompt_are_skipped() -> None:
    assert visible_turns([{"step": 1, "prompt": "", "raw": ""}]) == []


async def test_each_prompt_extends_the_previous_one(home) -> None:
    settings = Settings.load(env={"NEURONAUT_HOME": str(home), "NEURONAUT_EMBEDDING_MODEL": "hash-64",
                                  "NEURONAUT_TOP_K_MEMORIES": "0"})
    model = ScriptedModel(fallback=fighter)
    await arun_goal("reach level 5", settings=settings, decision_model=model, max_steps=4, thread_id="grow")
    prompts = [[(m.type, m.content) for m in messages] for messages, _ in model.calls]
    for before, after in zip(prompts, prompts[1:]):
        assert after[: len(before)] == before
        assert len(after) == len(before) + 2  # the previous answer and the new turn


def test_turns_that_would_overflow_the_context_are_dropped_oldest_first() -> None:
    turns = [{"step": s, "prompt": "x" * 100, "raw": "y" * 50} for s in range(1, 6)]
    kept = visible_turns(turns, budget_chars=320)
    assert [t["step"] for t in kept] == [4, 5]
