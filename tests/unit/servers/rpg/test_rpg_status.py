"""The status line and the parsers the goal checker uses."""

from __future__ import annotations

from neuronaut.servers.rpg.screens import render_inventory, render_status
from neuronaut.servers.rpg.status import (
    parse_bosses,
    parse_equipment,
    parse_inventory,
    parse_potions,
    parse_status,
    status_line,
)


def test_status_line_parses_back(state):
    state.level, state.xp, state.hp, state.gold = 2, 3, 18, 12
    assert parse_status(status_line(state)) == {
        "level": 2, "xp": 3, "xp_next": 35, "hp": 18, "max_hp": 26, "gold": 12,
    }


def test_status_parses_without_emoji_variation_selector():
    assert parse_status("❤ 18/20 · Lv 2 · XP 3/25 · 💰 12")["level"] == 2


def test_status_of_unrelated_text_is_none():
    assert parse_status("Welcome! Press a button.") is None


def test_last_status_line_wins():
    text = "❤️ 1/20 · Lv 1 · XP 0/10 · 💰 0\n❤️ 26/26 · Lv 2 · XP 0/35 · 💰 5"
    assert parse_status(text)["level"] == 2


def test_potions_come_from_the_status_line(state):
    state.potions = 4
    assert parse_potions(status_line(state)) == 4


def test_bosses_from_status_text(state):
    state.bosses = ["goblin_king", "golem"]
    assert parse_bosses(render_status(state)) == ["Goblin King", "Crystal Golem"]


def test_no_bosses_is_an_empty_list(state):
    assert parse_bosses(render_status(state)) == []


def test_bosses_of_unrelated_text_is_none():
    assert parse_bosses("❤️ 1/20 · Lv 1 · XP 0/10 · 💰 0") is None


def test_inventory_lists_owned_items(state):
    state.potions, state.items = 2, ["iron_sword", "leather"]
    assert parse_inventory(render_inventory(state)) == ["Potion", "Iron Sword", "Leather Armour"]


def test_inventory_without_potions_or_gear_is_empty(state):
    state.potions = 0
    assert parse_inventory(render_inventory(state)) == []


def test_inventory_of_unrelated_text_is_none():
    assert parse_inventory("❤️ 1/20 · Lv 1 · XP 0/10 · 💰 0") is None


def test_equipment_is_the_best_gear(state):
    state.items = ["iron_sword", "steel_sword", "leather"]
    assert parse_equipment(render_inventory(state)) == {"weapon": "Steel Sword", "armour": "Leather Armour"}


def test_no_equipment_is_none(state):
    assert parse_equipment(render_inventory(state)) == {"weapon": None, "armour": None}
