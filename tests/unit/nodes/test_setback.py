from neuronaut.nodes.setback import (
    IDLE_REPEATS,
    SETBACK_STEPS,
    advanced,
    effects,
    idle_skills,
    idle_stretch,
    setback_from,
    setback_note,
    setbacks,
)

BUY = {"tool": "skill:buy", "args": {"item": "Potion"}}
HUNT = {"tool": "skill:hunt", "args": {}}
CHECK = {"tool": "skill:check-status", "args": {}}
REST = {"tool": "skill:rest", "args": {}}


def step(n, decision, **amended):
    return {"step": n, "decision": decision, "ok": True, "outcome": "", **amended}


def test_a_step_that_raised_the_distance_set_the_goal_back_from_where_it_was() -> None:
    assert setback_from(7.0, 15.0) == 7.0


def test_a_step_that_kept_or_lowered_the_distance_is_no_setback() -> None:
    assert setback_from(7.0, 7.0) is None
    assert setback_from(7.0, 3.0) is None


def test_without_two_readings_there_is_no_setback() -> None:
    assert setback_from(None, 15.0) is None
    assert setback_from(7.0, None) is None


def test_the_action_that_set_the_goal_back_is_banned_while_the_loss_stands() -> None:
    trajectory = [step(1, HUNT), step(2, BUY, setback_from=7.0, change="gold 23→15"), step(3, HUNT)]

    assert setbacks(trajectory, distance_now=11.0) == [BUY]


def test_the_ban_is_lifted_once_the_goal_is_back_where_it_was() -> None:
    trajectory = [step(1, BUY, setback_from=7.0), step(2, HUNT), step(3, HUNT)]

    assert setbacks(trajectory, distance_now=7.0) == []


def test_the_ban_is_lifted_after_a_few_steps_even_if_the_loss_stands() -> None:
    trajectory = [step(1, BUY, setback_from=7.0), *(step(n, HUNT) for n in range(2, SETBACK_STEPS + 2))]

    assert setbacks(trajectory, distance_now=9.0) == []
    assert setbacks(trajectory[:SETBACK_STEPS], distance_now=9.0) == [BUY]


def test_an_action_that_also_brought_the_goal_closer_is_not_banned() -> None:
    # A hunt that ends in a death sets a level goal back (the XP towards the next level is lost), and the hunt
    # is still the way to level.
    trajectory = [step(1, HUNT, advanced=True), step(2, HUNT, setback_from=0.2)]

    assert setbacks(trajectory, distance_now=1.0) == []


def test_an_action_banned_twice_is_listed_once() -> None:
    trajectory = [step(1, BUY, setback_from=7.0), step(2, BUY, setback_from=15.0)]

    assert setbacks(trajectory, distance_now=23.0) == [BUY]


def test_a_step_that_lowered_the_distance_advanced_the_goal() -> None:
    assert advanced(7.0, 3.0)
    assert not advanced(7.0, 7.0)
    assert not advanced(None, 3.0)


def test_the_note_names_the_action_and_what_it_did() -> None:
    trajectory = [step(1, BUY, setback_from=7.0, change="gold 23→15")]

    note = setback_note(trajectory, [BUY])

    assert note == "skill:buy(item='Potion') [gold 23→15] took you further from the goal. Off the menu until you have made that up."


def test_the_note_names_what_brought_the_goal_closer_in_this_run() -> None:
    trajectory = [step(1, HUNT, advanced=True, change="gold 10→14"), step(2, HUNT, advanced=True, change="gold 14→19"),
                  step(3, BUY, setback_from=11.0, change="gold 19→11")]

    note = setback_note(trajectory, [BUY])

    assert note.endswith("What brought it closer: skill:hunt() [gold 14→19].")


def test_effects_list_what_brought_the_goal_closer_and_what_took_it_further() -> None:
    trajectory = [step(1, HUNT, advanced=True, change="gold 10→14"), step(2, BUY, setback_from=16.0, change="gold 14→6"),
                  step(3, {"tool": "skill:rest", "args": {}})]

    assert effects(trajectory) == ("brought the goal closer: skill:hunt() [gold 10→14]; "
                                   "took it further away: skill:buy(item='Potion') [gold 14→6]")
    assert effects(trajectory[2:]) == ""


def test_the_same_action_repeated_with_the_goal_no_closer_is_an_idle_stretch() -> None:
    bought = [step(n, BUY, change="gold 40→32") for n in range(2, 2 + IDLE_REPEATS)]
    trajectory = [step(1, HUNT, advanced=True), *bought]

    assert idle_stretch(trajectory, distance_now=1.0) == ([BUY], IDLE_REPEATS)
    assert idle_stretch(trajectory[:-1], distance_now=1.0) is None  # one repeat short


def test_skills_taking_turns_with_the_goal_no_closer_are_an_idle_stretch_together() -> None:
    # Seed 6's first boss: a potion, a status check, a potion, a check... no one skill three times in a row.
    trajectory = [step(1, BUY), step(2, CHECK), step(3, BUY), step(4, CHECK)]

    assert idle_stretch(trajectory, distance_now=1.0) == ([BUY, CHECK], 4)
    assert idle_skills(trajectory, distance_now=1.0) == [BUY, CHECK]


def test_a_setback_counts_towards_a_stretch_but_its_skill_is_left_to_the_setback_rail() -> None:
    # A hunt lost among hunts won took the goal back once: resting and buying after it are what went nowhere.
    trajectory = [step(1, HUNT, advanced=True), step(2, HUNT, setback_from=2.0), step(3, REST), step(4, BUY)]

    assert idle_stretch(trajectory, distance_now=2.5) == ([REST, BUY], IDLE_REPEATS)
    assert idle_stretch(trajectory[:2] + [step(3, HUNT, setback_from=2.5)] * 2, distance_now=3.0) is None


def test_a_run_that_brought_the_goal_closer_ends_the_streak() -> None:
    trajectory = [step(1, HUNT), step(2, HUNT, advanced=True), step(3, HUNT), step(4, HUNT)]

    assert idle_stretch(trajectory, distance_now=1.0) is None
    assert idle_stretch([*trajectory, step(5, HUNT)], distance_now=1.0) == ([HUNT], IDLE_REPEATS)


def test_repeated_tool_calls_are_no_idle_stretch() -> None:
    # The hits of a fight: the XP, and so a level goal's distance, only move at its end.
    attack = {"tool": "press_inline_button", "args": {"button_text": "⚔️ Attack"}}

    assert idle_stretch([step(n, attack) for n in range(IDLE_REPEATS + 2)], distance_now=1.0) is None


def test_without_a_distance_nothing_shows_the_goal_no_closer() -> None:
    trajectory = [step(n, BUY) for n in range(IDLE_REPEATS)]

    assert idle_stretch(trajectory, distance_now=None) is None
    assert effects(trajectory, distance_now=None) == ""


def test_the_critic_is_told_of_an_idle_stretch() -> None:
    trajectory = [step(n, BUY) for n in range(IDLE_REPEATS)]

    assert effects(trajectory, distance_now=1.0) == (
        f"the last {IDLE_REPEATS} steps (skill:buy(item='Potion')) did not bring it closer")


def test_an_idle_skill_stays_off_the_menu_for_a_few_steps_while_the_goal_comes_no_closer() -> None:
    look = {"tool": "send_message", "args": {"text": "/status"}}
    trajectory = [*(step(n, BUY) for n in range(IDLE_REPEATS)), step(IDLE_REPEATS, look)]

    assert idle_skills(trajectory, distance_now=1.0) == [BUY]
    assert idle_skills([*trajectory, *(step(9, look) for _ in range(SETBACK_STEPS))], distance_now=1.0) == []
    assert idle_skills([*trajectory, step(9, HUNT, advanced=True)], distance_now=1.0) == []
