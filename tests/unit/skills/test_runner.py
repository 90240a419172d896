"""run_skill against a fake async call_tool returning real ToolOutcome objects."""

from __future__ import annotations

from typing import Any

from neuronaut.skills.consolidate import skill_from_trajectory
from neuronaut.skills.model import Skill, SkillParameter, SkillStep
from neuronaut.skills.runner import run_skill
from neuronaut.tools.types import ToolOutcome


class FakeTools:
    """Answers each call from a script of (ok, text) pairs, then 'ok' forever; records the calls."""

    def __init__(self, script: list[tuple[bool, str]] | None = None) -> None:
        self.script = list(script or [])
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def __call__(self, tool: str, args: dict[str, Any]) -> ToolOutcome:
        self.calls.append((tool, args))
        ok, text = self.script.pop(0) if self.script else (True, "ok")
        if not ok:
            return ToolOutcome.failure(tool, args, text)
        return ToolOutcome(tool=tool, args=args, ok=True, text=text)


def skill(*steps: SkillStep, **parameters: SkillParameter) -> Skill:
    return Skill(name="test-skill", world="rpg", steps=list(steps), parameters=parameters)


ATTACK = SkillStep(tool="press_inline_button", args={"button_text": "Attack"}, repeat=3)
STATUS = SkillStep(tool="send_message", args={"text": "/status"})


async def test_steps_run_in_order_with_repeats() -> None:
    tools = FakeTools()

    run = await run_skill(skill(ATTACK, STATUS), {}, tools)

    assert run.ok and run.steps_run == 2 and len(run.calls) == 4
    assert [t for t, _ in tools.calls] == ["press_inline_button"] * 3 + ["send_message"]
    assert all(isinstance(c, ToolOutcome) for c in run.calls)


async def test_until_text_stops_repeating_early() -> None:
    step = SkillStep(tool="press_inline_button", args={"button_text": "Attack"}, repeat=10, until_text="victory")
    tools = FakeTools([(True, "hit"), (True, "The slime falls. VICTORY!"), (True, "should not be pressed")])

    run = await run_skill(skill(step, STATUS), {}, tools)

    assert run.ok and [t for t, _ in tools.calls] == ["press_inline_button"] * 2 + ["send_message"]


async def test_until_text_also_searches_structured_results() -> None:
    step = SkillStep(tool="wait", repeat=5, until_text="Lv 2")

    async def call(tool: str, args: dict[str, Any]) -> ToolOutcome:
        return ToolOutcome(tool=tool, args=args, ok=True, structured={"status": "❤️ 20/20 · Lv 2"})

    run = await run_skill(skill(step), {}, call)

    assert len(run.calls) == 1


async def test_the_first_failed_call_stops_the_run_and_is_reported() -> None:
    tools = FakeTools([(True, "hit"), (False, "no button 'Attack' on this message")])

    run = await run_skill(skill(ATTACK, STATUS), {}, tools)

    assert not run.ok and len(run.calls) == 2 and run.steps_run == 0
    assert "step 1/2" in run.summary and "no button 'Attack'" in run.summary


async def test_success_summary_is_short_and_ends_with_the_last_result() -> None:
    tools = FakeTools([(True, "x" * 2000)])

    run = await run_skill(skill(STATUS), {}, tools)

    assert run.summary.startswith("skill test-skill done") and len(run.summary) < 400


async def test_parameters_are_substituted_and_keep_their_type() -> None:
    step = SkillStep(tool="t", args={"text": "/train {level}", "index": "{level}", "nested": ["{level}"]})
    tools = FakeTools()

    await run_skill(skill(step, level=SkillParameter(type="integer", default=2)), {"level": "5"}, tools)

    assert tools.calls == [("t", {"text": "/train 5", "index": 5, "nested": [5]})]


async def test_a_default_fills_a_parameter_not_given() -> None:
    step = SkillStep(tool="t", args={"index": "{level}"})
    tools = FakeTools()

    await run_skill(skill(step, level=SkillParameter(type="integer", default=2)), {}, tools)

    assert tools.calls == [("t", {"index": 2})]


async def test_braces_that_are_not_parameters_are_left_alone() -> None:
    step = SkillStep(tool="t", args={"text": "{not_a_param} and {level}"})
    tools = FakeTools()

    await run_skill(skill(step, level=SkillParameter(type="integer", default=1)), {}, tools)

    assert tools.calls == [("t", {"text": "{not_a_param} and 1"})]


async def test_a_missing_parameter_runs_nothing() -> None:
    tools = FakeTools()

    run = await run_skill(skill(STATUS, level=SkillParameter(type="integer")), {}, tools)

    assert not run.ok and tools.calls == [] and "missing parameter 'level'" in run.summary


async def test_an_unknown_or_badly_typed_argument_runs_nothing() -> None:
    tools = FakeTools()
    level = SkillParameter(type="integer", default=1)

    unknown = await run_skill(skill(STATUS, level=level), {"lvl": 2}, tools)
    badly_typed = await run_skill(skill(STATUS, level=level), {"level": "two"}, tools)

    assert "unknown parameter(s) lvl" in unknown.summary and "must be integer" in badly_typed.summary
    assert tools.calls == []


async def test_a_consolidated_skill_replays_its_trajectory() -> None:
    trajectory = [
        {"step": 0, "decision": {"tool": "send_message", "args": {"text": "/train 2"}}, "ok": True},
        {"step": 1, "decision": {"tool": "press_inline_button", "args": {"button_text": "A"}}, "ok": True},
        {"step": 2, "decision": {"tool": "press_inline_button", "args": {"button_text": "A"}}, "ok": True},
    ]
    learned = skill_from_trajectory("reach level 2", "rpg", trajectory)
    assert learned is not None
    tools = FakeTools()

    run = await run_skill(learned, {}, tools)

    assert run.ok and tools.calls == [(e["decision"]["tool"], e["decision"]["args"]) for e in trajectory]
