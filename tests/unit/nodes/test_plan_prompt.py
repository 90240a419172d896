"""Each planning prompt extends the previous one as far as possible, so llama.cpp can reuse its KV cache."""

import os
import re

from neuronaut.api import arun_goal
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.nodes.plan_prompt import MIN_TURNS, TURN_CHUNK, step_line, visible_turns
from neuronaut.settings import Settings
from tests.helpers import fighter, is_critic


def _turns(last_step: int) -> list[dict]:
    return [{"step": s, "decision": {"tool": "t", "args": {}}, "ok": True, "outcome": "x"}
            for s in range(1, last_step + 1)]


def test_all_steps_are_listed_at_first() -> None:
    assert len(visible_turns(_turns(MIN_TURNS + TURN_CHUNK - 1))) == MIN_TURNS + TURN_CHUNK - 1


def test_the_window_moves_in_chunks() -> None:
    moved = visible_turns(_turns(MIN_TURNS + TURN_CHUNK))
    assert len(moved) == MIN_TURNS
    later = visible_turns(_turns(MIN_TURNS + TURN_CHUNK + 1))
    assert later[: len(moved)] == moved


def test_steps_that_would_overflow_the_context_are_dropped_oldest_first() -> None:
    turns = [{"step": s, "decision": {"tool": "t" * 80, "args": {}}, "ok": True, "outcome": ""} for s in range(1, 6)]
    kept = visible_turns(turns, budget_chars=2 * (len(step_line(turns[0])) + 1))
    assert [t["step"] for t in kept] == [4, 5]


def test_a_step_line_shows_action_and_result() -> None:
    record = {"step": 3, "decision": {"tool": "press_inline_button", "args": {"button_text": "⚔️ Attack"}},
              "ok": True, "outcome": "Victory! +4 XP"}
    assert step_line(record) == '3. press_inline_button({"button_text": "⚔️ Attack"}) → ok: Victory! +4 XP'


def test_a_step_line_ends_with_what_the_step_changed() -> None:
    record = {"step": 4, "decision": {"tool": "skill:buy", "args": {"item": "Potion"}}, "ok": True,
              "outcome": "Bought a Potion", "change": "gold 40→30"}
    assert step_line(record) == '4. skill:buy({"item": "Potion"}) → ok: Bought a Potion [gold 40→30]'


async def test_the_history_shows_what_each_step_did_to_the_heros_numbers(home) -> None:
    settings = Settings.load(env={"NEURONAUT_HOME": str(home), "NEURONAUT_EMBEDDING_MODEL": "hash-64"})
    model = ScriptedModel(fallback=fighter)
    await arun_goal("reach level 5", settings=settings, decision_model=model, max_steps=8, thread_id="fight",
                    use_critic=False)
    last_prompt = [messages for messages, schema in model.calls if not is_critic(schema)][-1][1].content
    history = last_prompt.split("\n\nObservation")[0]

    # Read by the checker after each press (a fight's XP and HP, the gold it pays), not by the model.
    assert re.search(r"→ ok: .*\[.*xp \d+→\d+", history), history
    assert re.search(r"\[.*hp \d+→\d+", history), history


async def test_consecutive_prompts_share_everything_up_to_the_previous_last_step(home) -> None:
    settings = Settings.load(env={"NEURONAUT_HOME": str(home), "NEURONAUT_EMBEDDING_MODEL": "hash-64",
                                  "NEURONAUT_TOP_K_MEMORIES": "0"})
    model = ScriptedModel(fallback=fighter)
    await arun_goal("reach level 5", settings=settings, decision_model=model, max_steps=5, thread_id="grow",
                    use_critic=False)
    prompts = [messages for messages, schema in model.calls if not is_critic(schema)]
    systems = {p[0].content for p in prompts}
    assert len(systems) == 1  # the system prompt never changes within a run
    for before, after in zip(prompts[1:], prompts[2:]):
        shared = len(os.path.commonprefix([before[1].content, after[1].content]))
        history_end = before[1].content.index("\n\nObservation")
        assert shared >= history_end  # everything but the volatile tail is reused
