"""The town: inn, shop, quest board."""

from __future__ import annotations

from neuronaut.servers.rpg import content as c
from neuronaut.servers.rpg import town


def test_inn_heals_fully_for_its_price(state):
    state.hp, state.gold = 4, 10
    town.rest(state)
    assert (state.hp, state.gold) == (state.max_hp, 10 - c.inn_cost(1))


def test_inn_refuses_without_enough_gold(state):
    state.hp, state.gold = 4, 1
    assert town.rest(state).ok is False and state.hp == 4


def test_inn_is_only_in_town(state):
    state.hp, state.location = 4, "forest"
    assert town.rest(state).ok is False


def test_buying_gear_takes_gold_and_raises_attack(state):
    state.gold = 40
    before = state.attack
    town.buy(state, "iron_sword")
    assert (state.gold, state.attack) == (10, before + 3)


def test_buying_without_gold_is_refused(state):
    state.gold = 5
    assert town.buy(state, "iron_sword").ok is False and state.items == []


def test_owned_gear_cannot_be_bought_twice(state):
    state.gold, state.items = 100, ["leather"]
    assert town.buy(state, "leather").ok is False


def test_selling_pays_half_price(state):
    state.gold, state.items = 0, ["iron_sword"]
    town.sell(state, "iron_sword")
    assert (state.gold, state.items) == (15, [])


def test_best_gear_is_equipped(state):
    state.items = ["iron_sword", "steel_sword"]
    assert state.weapon is c.ITEMS["steel_sword"]


def test_accepted_quest_leaves_the_board(state):
    town.accept_quest(state, "slimes")
    assert "slimes" not in town.open_quests(state) and state.quests == {"slimes": 0}
