"""bench/boss_odds.py plays the fight-boss skill's own presses by the game's combat rules."""

from bench.boss_odds import fight_presses, skill_wins


def test_the_fight_is_the_skills_attacks_and_potions_in_order() -> None:
    presses = fight_presses()
    assert presses[:4] == [("⚔️ Attack", 1), ("⚔️ Attack", 1), ("⚔️ Attack", 1), ("🧪 Potion", 1)]
    assert presses[-1] == ("⚔️ Attack", 40)


def test_geared_heroes_win_and_bare_ones_lose() -> None:
    assert all(skill_wins(seed, "dragon", 15, ("steel_sword", "chainmail"), 1) for seed in range(20))
    assert not any(skill_wins(seed, "dragon", 11, (), 1) for seed in range(20))
