"""What the planner is shown of past runs: their actions and outcomes, never the run's own steps."""

import re

from neuronaut.api import arun_goal
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.settings import Settings
from tests.helpers import fighter


def past_experience(prompt: str) -> list[str]:
    block = re.search(r"Past experience \(untrusted\):\n((?:- .*\n?)+)", prompt)
    return [line[2:] for line in block.group(1).splitlines()] if block else []


async def test_a_new_run_is_shown_what_an_earlier_run_did_and_how_it_went(settings: Settings) -> None:
    await arun_goal("reach level 2", settings=settings, decision_model=ScriptedModel(fallback=fighter),
                    max_steps=60, thread_id="earlier")
    model = ScriptedModel(fallback=fighter)
    await arun_goal("have 30 gold", settings=settings, decision_model=model, max_steps=6, thread_id="now")

    shown = [past_experience(messages[-1].content) for messages, _ in model.calls]
    assert all(shown), "every plan is shown past experience"
    for lines in shown:
        assert len(lines) == len(set(lines)) <= settings.top_k_memories
        for line in lines:
            # Another run's goal and action, not a screen, and not this run's own steps (its history has them).
            assert re.fullmatch(r"for 'reach level 2': press_inline_button\(.*\) → (ok|failed.*)", line), line


async def test_without_memory_the_planner_is_shown_none(settings: Settings) -> None:
    await arun_goal("reach level 2", settings=settings, decision_model=ScriptedModel(fallback=fighter),
                    max_steps=60, thread_id="earlier")
    model = ScriptedModel(fallback=fighter)
    await arun_goal("have 30 gold", settings=settings, decision_model=model, max_steps=3, thread_id="now",
                    use_memory=False)

    assert not any(past_experience(messages[-1].content) for messages, _ in model.calls)
