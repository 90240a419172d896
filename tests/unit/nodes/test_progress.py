from neuronaut.nodes.progress import repeated_decision, without

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
