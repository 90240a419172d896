"""The critic: the checker decides first; the model adds a critique through a short, constrained schema."""

from __future__ import annotations

from langchain_core.messages import SystemMessage

from neuronaut.learning.critic import CRITIC_SCHEMA, critic_schema, critique, render_tail
from neuronaut.llm.grammar import schema_to_gbnf
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.worlds.base import Check

TAIL = [
    {"step": 1, "decision": {"tool": "press_inline_button", "args": {"button_text": "🌲 Forest"}}, "ok": True,
     "outcome": "moved to the forest"},
    {"step": 2, "decision": {"tool": "press_inline_button", "args": {"button_text": "⚔️ Attack"}}, "ok": False,
     "outcome": "no such button"},
]
ANSWER = {"reasoning": "HP is low and no fight is won.", "success": False, "critique": "Rest at the inn first."}


async def ask(model, verdict, **extra):
    return await critique(model, goal="reach level 2", world_description="a game", observation="❤️ 3/20 · Lv 1",
                          trajectory_tail=TAIL, checker_verdict=verdict, **extra)


def test_schema_orders_reasoning_first_and_keeps_strings_short() -> None:
    assert CRITIC_SCHEMA["required"] == ["reasoning", "success", "critique"]
    assert all(p.get("maxLength", 0) <= 160 for p in CRITIC_SCHEMA["properties"].values() if p["type"] == "string")
    assert "root ::=" in schema_to_gbnf(CRITIC_SCHEMA)  # a llama.cpp grammar can be built from it


def test_a_negative_checker_demands_a_critique() -> None:
    assert critic_schema(False)["properties"]["critique"]["minLength"] > 0
    assert "minLength" not in critic_schema(None)["properties"]["critique"]
    assert "root ::=" in schema_to_gbnf(critic_schema(False))


async def test_checker_success_needs_no_model_call() -> None:
    model = ScriptedModel()  # raises if called
    verdict = await ask(model, {"achieved": True, "reason": "goal holds: level 2"})
    assert verdict.success and verdict.source == "checker" and verdict.llm_calls == 0
    assert model.calls == []


async def test_model_critique_is_parsed_when_the_checker_says_no() -> None:
    verdict = await ask(ScriptedModel(ANSWER), Check(False, "not yet: level 1"))
    assert (verdict.success, verdict.critique, verdict.model_success) == (False, "Rest at the inn first.", False)
    assert verdict.llm_calls == 1


async def test_model_cannot_overrule_a_negative_checker() -> None:
    verdict = await ask(ScriptedModel({**ANSWER, "success": True}), {"achieved": False, "reason": "level 1"})
    assert verdict.success is False and verdict.model_success is True and verdict.source == "checker"


async def test_without_a_checker_verdict_the_model_decides() -> None:
    verdict = await ask(ScriptedModel({**ANSWER, "success": True}), None)
    assert verdict.success is True and verdict.source == "critic"


async def test_malformed_answer_falls_back_to_the_checker() -> None:
    verdict = await ask(ScriptedModel("{not json"), {"achieved": False, "reason": "level 1"})
    assert verdict.success is False and verdict.critique == "" and verdict.error


async def test_prompt_shows_goal_checker_and_recent_steps_after_the_prefix() -> None:
    model = ScriptedModel(ANSWER)
    await ask(model, {"achieved": False, "reason": "level 1"}, prefix_messages=[SystemMessage(content="planner")])
    messages, _ = model.calls[0]
    assert messages[0].content == "planner"
    prompt = messages[-1].content
    assert "reach level 2" in prompt and "not achieved: level 1" in prompt and "⚔️ Attack" in prompt


def test_tail_keeps_only_the_last_steps() -> None:
    lines = render_tail([{**TAIL[0], "step": n} for n in range(1, 10)], limit=3).splitlines()
    assert [line.split(":")[0] for line in lines] == ["- step 7", "- step 8", "- step 9"]


def test_tail_says_what_each_step_changed_in_the_checkers_numbers() -> None:
    # Without the numbers the critic echoed the planner: "The agent needs to buy more gold" while each
    # purchase lowered the gold.
    buy = {"step": 3, "decision": {"tool": "skill:buy", "args": {"item": "Potion"}}, "ok": True,
           "outcome": "You bought a Potion", "change": "gold 23→15"}

    lines = render_tail([TAIL[0], buy]).splitlines()

    assert lines[-1].endswith("→ ok: You bought a Potion [gold 23→15]")
    assert not lines[0].endswith("]")  # no change recorded, none shown


async def test_prompt_says_what_the_checker_saw_the_actions_do_when_it_is_told() -> None:
    effects = "brought the goal closer: skill:hunt() [gold 10→14]"
    told, untold = ScriptedModel(ANSWER), ScriptedModel(ANSWER)

    await ask(told, {"achieved": False, "reason": "gold 14"}, effects=effects)
    await ask(untold, {"achieved": False, "reason": "gold 14"})

    assert f"not achieved: gold 14\nBy the checker's numbers, {effects}.\n\nRecent" in told.calls[0][0][-1].content
    assert "not achieved: gold 14\n\nRecent" in untold.calls[0][0][-1].content
