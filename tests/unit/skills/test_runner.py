"""run_skill against a fake async call_tool returning real ToolOutcome objects."""

from __future__ import annotations

from typing import Any

from neuronaut.skills.consolidate import skill_from_trajectory
from neuronaut.skills.model import Skill, SkillParameter, SkillStep
from neuronaut.skills.runner import ADAPTIVE_STALL_ROUNDS, GoalStatus, run_skill, skill_goal
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


async def test_a_step_repeated_while_accepted_ends_at_a_refusal_and_the_skill_goes_on() -> None:
    attack = SkillStep(tool="press_inline_button", args={"button_text": "Attack"}, repeat=10, while_accepted=True)
    tools = FakeTools([(True, "hit"), (True, "Victory! +4 XP"), (False, "no button Attack on screen")])

    run = await run_skill(skill(attack, STATUS), {}, tools)

    assert run.ok and [t for t, _ in tools.calls] == ["press_inline_button"] * 3 + ["send_message"]
    assert "Victory" not in run.summary  # the last accepted call was /status


async def test_without_while_accepted_a_refusal_fails_the_skill() -> None:
    tools = FakeTools([(True, "hit"), (False, "no button Attack on screen")])

    run = await run_skill(skill(ATTACK, STATUS), {}, tools)

    assert not run.ok and "step 1/2" in run.summary and len(tools.calls) == 2


async def test_a_refused_last_step_leaves_the_last_accepted_result_in_the_summary() -> None:
    attack = SkillStep(tool="press_inline_button", args={"button_text": "Attack"}, repeat=10, while_accepted=True)
    tools = FakeTools([(True, "hit"), (True, "Victory! +4 XP"), (False, "no button Attack on screen")])

    run = await run_skill(skill(attack), {}, tools)

    assert run.ok and run.summary.endswith("Last result: Victory! +4 XP")


def toast(outcome: ToolOutcome) -> str:
    """How a world might word a result: its toast alone."""
    return outcome.text.split('"callback_answer": "')[-1].removesuffix('"}')


async def test_a_call_whose_result_says_it_was_refused_fails_the_skill_in_the_worlds_words() -> None:
    buy = SkillStep(tool="press_inline_button", args={"button_text": "Leather Armour"}, fails_on=["; you have"])
    tools = FakeTools([(True, "Town"), (True, '{"callback_answer": "Leather Armour costs 25 gold; you have 13."}')])

    run = await run_skill(skill(STATUS, buy), {}, tools, summarize=toast)

    assert not run.ok and run.steps_run == 1
    assert run.summary.endswith("step 2/2 press_inline_button: Leather Armour costs 25 gold; you have 13.")


async def test_a_refusal_text_fails_even_a_step_that_repeats_while_accepted() -> None:
    # Played on past a locked area, the boss fight pressed 25 buttons that were not there and reported "ok".
    area = SkillStep(tool="press_inline_button", args={"button_text": "Caves"}, while_accepted=True,
                     fails_on=["is too dangerous"])
    attack = SkillStep(tool="press_inline_button", args={"button_text": "Attack"}, repeat=5, while_accepted=True)
    tools = FakeTools([(True, '{"callback_answer": "Caves is too dangerous: reach level 3 first."}')])

    run = await run_skill(skill(area, attack), {}, tools, summarize=toast)

    assert not run.ok and len(tools.calls) == 1
    assert run.summary.endswith("step 1/2 press_inline_button: Caves is too dangerous: reach level 3 first.")


async def test_a_result_without_a_refusal_text_is_accepted() -> None:
    buy = SkillStep(tool="press_inline_button", args={"button_text": "Leather Armour"}, fails_on=["; you have"])

    run = await run_skill(skill(buy), {}, FakeTools([(True, "Bought Leather Armour")]))

    assert run.ok and run.summary.endswith("Last result: Bought Leather Armour")


async def test_a_done_text_ends_the_whole_skill() -> None:
    # Without it, the potions after a won fight would be drunk for nothing.
    attack = SkillStep(tool="press_inline_button", args={"button_text": "Attack"}, repeat=10, while_accepted=True,
                       done_texts=["Victory", "You died"])
    potion = SkillStep(tool="press_inline_button", args={"button_text": "Potion"}, while_accepted=True)
    tools = FakeTools([(True, "hit"), (True, "Victory! +70 XP")])

    run = await run_skill(skill(attack, potion, attack), {}, tools)

    assert run.ok and len(tools.calls) == 2
    assert run.summary.endswith("Last result: Victory! +70 XP")


async def test_a_done_text_ends_a_round_of_an_adaptive_replay() -> None:
    world = Screen([["Attack"]])
    grind = routine("Attack", "Attack", "Attack")
    grind.steps[0].done_texts = ["pressed Attack"]

    async def holds() -> GoalStatus:
        return GoalStatus(world.xp >= 2, 2 - world.xp)

    run = await run_skill(grind, {}, world.call, goal_check=holds)

    assert run.ok and len(run.calls) == 2 and "2 round(s)" in run.summary


async def test_a_step_runs_only_while_its_condition_holds() -> None:
    rest = SkillStep(tool="press_inline_button", args={"button_text": "Inn"}, only_if="hurt")

    async def hurt(name: str) -> bool:
        return name == "hurt"

    async def unhurt(name: str) -> bool:
        return False

    for condition, pressed in ((hurt, ["Inn", "/status"]), (unhurt, ["/status"]), (None, ["/status"])):
        tools = FakeTools()
        run = await run_skill(skill(rest, STATUS), {}, tools, condition=condition)
        assert run.ok and [a.get("button_text", a.get("text")) for _, a in tools.calls] == pressed


async def test_an_adaptive_replay_whose_steps_all_wait_on_a_condition_stops() -> None:
    world = Screen([["Attack"]])
    grind = routine("Attack")
    grind.steps[0].only_if = "hurt"

    run = await run_skill(grind, {}, world.call, goal_check=_never)  # no condition given: never holds

    assert not run.ok and run.calls == [] and "none of its steps applies" in run.summary


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


# Adaptive replay: the steps as a routine cycled until the skill's goal holds.

class Screen:
    """A toy world of buttons: pressing one that is not on screen is refused; every Attack adds XP."""

    def __init__(self, screens: list[list[str]]) -> None:
        self.screens, self.at, self.xp, self.pressed = screens, 0, 0, []

    async def call(self, tool: str, args: dict) -> ToolOutcome:
        button = args["button_text"]
        if button not in self.screens[self.at % len(self.screens)]:
            return ToolOutcome.failure(tool, args, f"no button {button!r}")
        self.pressed.append(button)
        self.xp += button == "Attack"
        self.at += 1
        return ToolOutcome(tool=tool, args=args, ok=True, text=f"pressed {button}")


def routine(*buttons: str) -> Skill:
    return Skill(name="grind", world="rpg", goal="reach 3 xp",
                 steps=[SkillStep(tool="press", args={"button_text": b}) for b in buttons])


async def test_an_adaptive_replay_skips_refused_steps_and_cycles_until_the_goal_holds() -> None:
    # Learned on a game where Explore always found a monster; here every other Explore finds nothing.
    world = Screen([["Explore"], ["Attack", "Flee"], ["Explore"], ["Explore", "Town"]])

    async def holds() -> GoalStatus:
        return GoalStatus(world.xp >= 3, 3 - world.xp)

    run = await run_skill(routine("Explore", "Attack"), {}, world.call, goal_check=holds)
    assert run.ok and world.xp >= 3
    assert "goal holds" in run.summary
    assert run.calls[-1].ok


async def test_without_a_goal_check_the_replay_is_literal_and_stops_at_the_first_refusal() -> None:
    world = Screen([["Explore"], ["Explore", "Town"]])
    run = await run_skill(routine("Explore", "Attack"), {}, world.call)
    assert not run.ok and world.pressed == ["Explore"] and "failed at step 2/2" in run.summary


async def test_an_adaptive_replay_stops_when_no_step_fits() -> None:
    world = Screen([["Town"]])
    run = await run_skill(routine("Explore", "Attack"), {}, world.call, goal_check=_never)
    assert not run.ok and "none of its steps fits now" in run.summary and len(run.calls) == 2


async def test_an_adaptive_replay_stops_when_its_calls_run_out() -> None:
    world = Screen([["Explore"]])
    run = await run_skill(routine("Explore"), {}, world.call, goal_check=_never, max_calls=7)
    assert not run.ok and len(run.calls) == 7 and "does not hold yet" in run.summary


async def test_an_adaptive_replay_goes_on_while_its_rounds_bring_the_goal_closer() -> None:
    world = Screen([["Explore"], ["Attack"]])  # one XP per round of two calls

    async def closer() -> GoalStatus:
        return GoalStatus(world.xp >= 40, 40 - world.xp)

    run = await run_skill(routine("Explore", "Attack"), {}, world.call, goal_check=closer)
    assert run.ok and world.xp == 40 and len(run.calls) == 80  # 40 rounds: far beyond a fixed few


async def test_an_adaptive_replay_stops_when_its_rounds_get_no_closer() -> None:
    world = Screen([["Explore"]])  # never a fight: the goal stays as far as it was

    async def no_closer() -> GoalStatus:
        return GoalStatus(False, 3.0)

    run = await run_skill(routine(*["Explore"] * 5), {}, world.call, goal_check=no_closer)
    # Round 1 sets the best distance; rounds 2-5 do not beat it; 25 calls are past the minimum of 20.
    assert not run.ok and len(run.calls) == 5 * (1 + ADAPTIVE_STALL_ROUNDS)
    assert f"last {ADAPTIVE_STALL_ROUNDS} rounds got no closer" in run.summary


async def test_an_adaptive_replay_that_loses_ground_must_win_it_back() -> None:
    # A setback in round 3 (the hero died); rounds 3-5 are no closer than round 2, round 6 is.
    distances = iter([2.0, 1.0, 3.0, 2.0, 1.5, 0.9, 0.5, 0.0])
    world = Screen([["Explore"], ["Attack"]])

    async def setback() -> GoalStatus:
        distance = next(distances)
        return GoalStatus(distance == 0.0, distance)

    run = await run_skill(routine(*["Explore", "Attack"] * 3), {}, world.call, goal_check=setback)
    assert run.ok and len(run.calls) == 8 * 6


async def _never() -> GoalStatus:
    return GoalStatus(False)


def test_the_goal_of_a_parameterised_skill_follows_its_arguments() -> None:
    skill = Skill(name="reach-level-2", world="rpg", goal="reach level 2", steps=[SkillStep(tool="press")],
                  parameters={"level": SkillParameter(type="integer", default=2)})
    assert skill_goal(skill, {"level": 3}) == "reach level 3"
    assert skill_goal(skill, {"level": 2}) == "reach level 2"
