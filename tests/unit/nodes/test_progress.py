from neuronaut.nodes.progress import progress_change, repeated_decision, without
from neuronaut.state import steps_amended

INN = {"tool": "press_inline_button", "args": {"button_text": "🛏️ Inn"}}
ATTACK = {"tool": "press_inline_button", "args": {"button_text": "⚔️ Attack"}}
TOWN = "🏠 Town · ❤️ 20/20 Buttons: [🌲 Forest] [🛏️ Inn]"


def record(decision, observation=TOWN):
    return {"decision": decision, "observation": observation, "ok": True, "outcome": ""}


def test_same_action_on_an_unchanged_screen_is_detected() -> None:
    assert repeated_decision([record(INN), record(INN)], TOWN) == INN


def test_repeating_while_the_screen_changes_is_progress() -> None:
    fight = [record(ATTACK, "Wolf HP 9/12"), record(ATTACK, "Wolf HP 5/12")]
    assert repeated_decision(fight, "Wolf HP 1/12") is None


def test_different_actions_are_not_a_loop() -> None:
    assert repeated_decision([record(ATTACK), record(INN)], TOWN) is None


def test_one_step_is_not_a_loop() -> None:
    assert repeated_decision([record(INN)], TOWN) is None


def test_the_repeated_choice_is_taken_off_the_menu() -> None:
    choices = {"press_inline_button": {"button_text": ["🌲 Forest", "🛏️ Inn"]}}
    assert without(choices, INN) == {"press_inline_button": {"button_text": ["🌲 Forest"]}}


def test_the_last_remaining_choice_stays() -> None:
    choices = {"press_inline_button": {"button_text": ["🛏️ Inn"]}}
    assert without(choices, INN) == choices


def test_a_progress_change_lists_what_moved_in_the_checkers_order() -> None:
    before = {"level": 2, "xp": 3, "hp": 20, "gold": 40}
    after = {"level": 2, "xp": 8, "hp": 14, "gold": 30}

    assert progress_change(before, after) == "xp 3→8, hp 20→14, gold 40→30"


def test_a_progress_change_names_what_was_gained_or_lost_from_a_list() -> None:
    before = {"items": ["Iron Sword"], "bosses": []}
    after = {"items": ["Leather Armour"], "bosses": ["Goblin King"]}

    assert progress_change(before, after) == "items +Leather Armour, items -Iron Sword, bosses +Goblin King"


def test_nothing_is_a_change_without_two_readings_or_outside_the_ignored_keys() -> None:
    assert progress_change(None, {"gold": 10}) == ""
    assert progress_change({"gold": 10}, {"gold": 10, "level": 1}) == ""  # a key read for the first time
    assert progress_change({"checks_run": 1, "passing": 0}, {"checks_run": 2, "passing": 0},
                           ignored=frozenset({"checks_run"})) == ""


def test_a_record_for_a_listed_step_completes_it_instead_of_adding_a_step() -> None:
    reduce = steps_amended(3)
    acted = reduce([{"step": 1, "ok": True}], [{"step": 2, "ok": False, "outcome": "refused"}])

    amended = reduce(acted, [{"step": 2, "change": "gold 40→30"}])

    assert amended == [{"step": 1, "ok": True}, {"step": 2, "ok": False, "outcome": "refused", "change": "gold 40→30"}]
    assert [r["step"] for r in reduce(amended, [{"step": 3}, {"step": 4}])] == [2, 3, 4]  # still a window
