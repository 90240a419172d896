"""Goals in a game's own words: one quantity, a target, a comparison; judged from a reading by name."""

from typing import Any

import pytest

from neuronaut.errors import UserError
from neuronaut.worlds.game.goals import DEFEATED, parse_goal


@pytest.mark.parametrize(("text", "quantity", "target", "comparison"), [
    ("reach level 2", "level", 2.0, ">="),
    ("Reach  Level 10.", "level", 10.0, ">="),
    ("reach rank Ensign", "rank", "Ensign", "=="),
    ("get to rank Sub Lieutenant", "rank", "Sub Lieutenant", "=="),
    ("earn 100 credits", "credits", 100.0, ">="),
    ("have at least 1,200 gold", "gold", 1200.0, ">="),
    ("collect more than 5 ore", "ore", 5.0, ">"),
    ("reach 30 coins", "coins", 30.0, ">="),
    ("credits >= 50", "credits", 50.0, ">="),
    ("hull < 10", "hull", 10.0, "<"),
    ("defeat Red Vex", DEFEATED, "Red Vex", "has"),
])
def test_a_goal_is_a_quantity_a_target_and_a_comparison(text: str, quantity: str, target: Any,
                                                       comparison: str) -> None:
    goal = parse_goal(text)
    assert (goal.quantity, goal.target, goal.comparison) == (quantity, target, comparison)


@pytest.mark.parametrize(("text", "reading", "holds"), [
    ("reach level 2", {"LEVEL": 2, "coins": 3}, True),
    ("reach level 2", {"level": "1"}, False),
    ("reach level 2", {"level": "2/25"}, True),  # "how much of how much" counts by its first number
    ("reach rank Ensign", {"Rank": "ensign"}, True),
    ("reach rank Ensign", {"rank": "Cadet"}, False),
    ("earn 100 credits", {"credits": "1,250"}, True),
    ("collect more than 5 ore", {"ore": 5}, False),
    ("defeat Red Vex", {"defeated": "Bone Rat, Red Vex"}, True),
    ("defeat Red Vex", {"defeated": ["Red Vexer"]}, False),
    ("reach level 2", {"coins": 3}, None),  # the reading says nothing of the goal
])
def test_a_goal_is_judged_by_its_quantity_in_a_reading(text: str, reading: dict[str, Any], holds: bool | None) -> None:
    assert parse_goal(text).holds(reading) is holds


def test_what_a_number_goal_still_needs_and_how_far_it_is() -> None:
    goal = parse_goal("earn 100 credits")
    assert goal.needs({"credits": 40}) == "60 more credits"
    assert goal.distance({"credits": 40}) == 60.0 and goal.distance({"credits": 120}) == 0.0
    assert goal.partial({"credits": 10}, {"credits": 40}) == "credits >= 40"


def test_a_goal_about_nothing_measurable_names_the_forms() -> None:
    with pytest.raises(UserError, match="reach <quantity>"):
        parse_goal("write a poem about the sea")
