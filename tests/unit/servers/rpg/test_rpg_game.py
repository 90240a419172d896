"""Game rules outside combat: seeds, saving, travel, exploring, bosses."""

from __future__ import annotations

import json

from neuronaut.servers.rpg import content as c
from neuronaut.servers.rpg.game import GameState, challenge_boss, explore, new_game, travel


def _explore_many(state: GameState, times: int) -> list[str]:
    state.location = "forest"
    seen = []
    for _ in range(times):
        seen.append(explore(state).lines[0])
        state.foe = None  # walk away from any fight: only the rolls matter here
    return seen


def test_same_seed_plays_the_same_game():
    assert _explore_many(new_game(7), 30) == _explore_many(new_game(7), 30)


def test_different_seeds_play_different_games():
    assert _explore_many(new_game(1), 30) != _explore_many(new_game(2), 30)


def test_state_round_trips_through_json_and_continues_identically():
    original = new_game(3)
    _explore_many(original, 5)
    copy = GameState.from_dict(json.loads(json.dumps(original.to_dict())))
    assert _explore_many(copy, 20) == _explore_many(original, 20)


def test_xp_curve_rises():
    needs = [c.xp_to_next(level) for level in range(1, 10)]
    assert needs == sorted(needs) and len(set(needs)) == len(needs)


def test_locked_area_is_refused_below_its_level(state):
    outcome = travel(state, "caves")
    assert (outcome.ok, outcome.alert, state.location) == (False, True, "town")


def test_unlocked_area_can_be_entered(state):
    state.level = 3
    travel(state, "caves")
    assert state.location == "caves"


def test_exploring_starts_a_fight_with_a_local_monster(state):
    state.location = "forest"
    forest = {key for key, _ in c.AREAS["forest"].monsters}
    while state.foe is None:
        explore(state)
    assert state.foe.key in forest


def test_boss_is_refused_below_its_level(state):
    state.location, state.level = "forest", 3
    assert challenge_boss(state).ok is False and state.foe is None


def test_boss_fight_starts_at_its_level(state):
    state.location, state.level = "forest", 4
    challenge_boss(state)
    assert state.foe is not None and state.foe.key == "goblin_king"


def test_defeated_boss_cannot_be_fought_again(state):
    state.location, state.level, state.bosses = "forest", 9, ["goblin_king"]
    assert challenge_boss(state).ok is False
