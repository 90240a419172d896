"""Combat: attacking, defending, potions, fleeing, winning, levelling, dying."""

from __future__ import annotations

from neuronaut.servers.rpg import combat
from neuronaut.servers.rpg.game import Foe, Outcome


def _foe(hp=100, atk=1, xp=5, gold=3, key="slime", boss=False) -> Foe:
    return Foe(key=key, hp=hp, max_hp=hp, atk=atk, defense=0, xp=xp, gold=gold, boss=boss)


def test_attack_damages_the_foe(state):
    state.foe = _foe()
    combat.attack(state)
    assert state.foe.hp < 100


def test_killing_blow_grants_xp_and_gold(state):
    state.foe = _foe(hp=1, xp=5, gold=3)
    combat.attack(state)
    assert (state.foe, state.xp, state.gold) == (None, 5, 10 + 3)


def test_enough_xp_levels_up_and_heals(state):
    state.hp = 3
    combat.gain_xp(state, 10, Outcome())
    assert (state.level, state.xp, state.hp) == (2, 0, state.max_hp)


def test_level_up_is_announced_as_a_notice(state):
    outcome = Outcome()
    combat.gain_xp(state, 10, outcome)
    assert any("level 2" in notice for notice in outcome.notices)


def test_defending_halves_the_blow(state):
    state.foe = _foe(atk=20)
    combat.defend(state)
    assert state.max_hp - state.hp <= 10


def test_potion_heals_and_is_used_up(state):
    state.hp, state.potions = 5, 1
    combat.use_potion(state)
    assert (state.hp, state.potions) == (20, 0)


def test_potion_without_potions_is_refused(state):
    state.hp, state.potions = 5, 0
    assert combat.use_potion(state).ok is False and state.hp == 5


def test_fleeing_eventually_ends_the_fight(state):
    state.foe, state.hp, state.location = _foe(atk=1), 10_000, "forest"
    while state.foe is not None:
        combat.flee(state)
    assert state.location == "forest"  # you escape, you are not sent home


def test_death_halves_gold_resets_xp_and_respawns_half_healed_in_town(state):
    state.location, state.gold, state.xp, state.hp = "forest", 20, 7, 1
    state.foe = _foe(atk=50)
    outcome = combat.attack(state)
    assert outcome.died
    assert (state.gold, state.xp, state.location, state.hp) == (10, 0, "town", state.max_hp // 2)


def test_death_keeps_the_level(state):
    state.level, state.hp, state.foe = 3, 1, _foe(atk=80)
    combat.defend(state)
    assert (state.deaths, state.level) == (1, 3)


def test_beating_a_boss_records_it(state):
    state.foe = _foe(hp=1, key="goblin_king", boss=True)
    combat.attack(state)
    assert state.bosses == ["goblin_king"]


def test_quest_completes_after_enough_kills(state):
    state.quests = {"slimes": 2}
    state.foe = _foe(hp=1, xp=0, gold=0)
    combat.attack(state)
    assert (state.quests, state.done_quests, state.gold) == ({}, ["slimes"], 10 + 12)
