"""skill_from_trajectory: literal replay of what worked, folded and honestly parameterised."""

from __future__ import annotations

from typing import Any

import pytest

from neuronaut.servers.chat_contract import READ_ONLY_TOOLS
from neuronaut.skills.consolidate import skill_from_trajectory


def entry(step: int, tool: str, ok: bool = True, **args: Any) -> dict[str, Any]:
    return {"step": step, "decision": {"tool": tool, "args": args}, "ok": ok, "outcome": "…"}


ATTACK = {"button_text": "⚔️ Attack"}


def test_an_empty_trajectory_gives_no_skill() -> None:
    assert skill_from_trajectory("reach level 2", "rpg", []) is None


def test_a_trajectory_of_only_observations_gives_no_skill() -> None:
    trajectory = [entry(0, "get_messages", chat_id=1), entry(1, "list_inline_buttons")]

    assert skill_from_trajectory("look around", "rpg", trajectory, read_only_tools=READ_ONLY_TOOLS) is None


def test_consecutive_identical_calls_collapse_into_a_repeat() -> None:
    trajectory = [
        entry(0, "press_inline_button", **ATTACK),
        entry(1, "press_inline_button", **ATTACK),
        entry(2, "press_inline_button", **ATTACK),
        entry(3, "send_message", text="/status"),
        entry(4, "press_inline_button", **ATTACK),
    ]

    skill = skill_from_trajectory("win a fight", "rpg", trajectory)

    assert skill is not None
    assert [(s.tool, s.args, s.repeat) for s in skill.steps] == [
        ("press_inline_button", ATTACK, 3),
        ("send_message", {"text": "/status"}, 1),
        ("press_inline_button", ATTACK, 1),
    ]


def test_failed_and_observation_calls_are_left_out() -> None:
    trajectory = [
        entry(0, "get_messages", chat_id=1),
        entry(1, "press_inline_button", ok=False, button_text="Flee"),
        entry(2, "press_inline_button", **ATTACK),
        entry(3, "wait_for_update"),
        entry(4, "press_inline_button", **ATTACK),
    ]

    skill = skill_from_trajectory("win a fight", "rpg", trajectory, read_only_tools=READ_ONLY_TOOLS)

    assert skill is not None and [(s.args, s.repeat) for s in skill.steps] == [(ATTACK, 2)]


def test_read_only_tools_can_be_given_by_the_caller() -> None:
    trajectory = [entry(0, "peek"), entry(1, "get_messages", chat_id=1)]

    skill = skill_from_trajectory("peek", "rpg", trajectory, read_only_tools={"peek"})

    assert skill is not None and [s.tool for s in skill.steps] == ["get_messages"]


def test_name_is_the_goal_slug_and_description_names_goal_and_actions() -> None:
    skill = skill_from_trajectory("Reach Level 2!", "rpg", [entry(0, "press_inline_button", **ATTACK)])

    assert skill is not None and skill.name == "reach-level-2" and skill.kind == "trajectory"
    assert skill.description.startswith("Reach Level 2!") and "press_inline_button" in skill.description


def test_a_goal_number_used_in_the_arguments_becomes_a_parameter() -> None:
    trajectory = [entry(0, "send_message", text="/train 2"), entry(1, "press_inline_button", button_index=2)]

    skill = skill_from_trajectory("reach level 2", "rpg", trajectory)

    assert skill is not None
    assert list(skill.parameters) == ["level"] and skill.parameters["level"].default == 2
    assert [s.args for s in skill.steps] == [{"text": "/train {level}"}, {"button_index": "{level}"}]


def test_a_goal_number_absent_from_the_arguments_is_not_a_parameter() -> None:
    skill = skill_from_trajectory("reach level 2", "rpg", [entry(0, "press_inline_button", button_text="Floor 20")])

    assert skill is not None and skill.parameters == {}
    assert skill.steps[0].args == {"button_text": "Floor 20"}


def test_where_the_world_checks_goals_as_skills_run_every_goal_number_is_a_parameter() -> None:
    trajectory = [entry(0, "press_inline_button", button_text="Floor 20")]

    skill = skill_from_trajectory("reach level 2", "rpg", trajectory, goal_parameters=True)

    assert skill is not None and list(skill.parameters) == ["level"] and skill.parameters["level"].default == 2
    assert "repeated until the goal" in skill.parameters["level"].description
    assert skill.steps[0].args == {"button_text": "Floor 20"}


def test_entries_without_a_tool_decision_are_ignored() -> None:
    trajectory = [{"step": 0, "decision": {"finish": True}, "ok": True}, entry(1, "send_message", text="/start")]

    skill = skill_from_trajectory("start", "rpg", trajectory)

    assert skill is not None and [s.tool for s in skill.steps] == ["send_message"]


@pytest.mark.parametrize(("goal", "name"), [("reach level 2", "level"), ("have 30 gold", "gold"),
                                             ("buy 3 potions", "potions"), ("win 2", "n")])
def test_a_goal_parameter_is_named_after_what_its_number_counts(goal: str, name: str) -> None:
    skill = skill_from_trajectory(goal, "rpg", [entry(0, "send_message", text="/go")], goal_parameters=True)
    assert skill is not None and list(skill.parameters) == [name]
