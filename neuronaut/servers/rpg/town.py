"""Town rules: the inn, the shop and the quest board."""

from __future__ import annotations

from neuronaut.servers.rpg import content as c
from neuronaut.servers.rpg.game import GameState, Outcome, refused

MAX_POTIONS = 9


def _in_town(state: GameState) -> bool:
    return state.location == "town" and state.foe is None


def rest(state: GameState) -> Outcome:
    if not _in_town(state):
        return refused("The inn is in 🏠 Town.")
    cost = c.inn_cost(state.level)
    if state.hp >= state.max_hp:
        return refused("You are already at full HP.")
    if state.gold < cost:
        return refused(f"A bed costs {cost} gold; you have {state.gold}.")
    state.gold -= cost
    state.hp = state.max_hp
    return Outcome([f"🛏️ You sleep at the inn (-{cost} gold). HP fully restored."], toast="Rested")


def buy(state: GameState, item_key: str) -> Outcome:
    item = c.ITEMS[item_key]
    if not _in_town(state):
        return refused("The shop is in 🏠 Town.")
    if item.kind != "potion" and item_key in state.items:
        return refused(f"You already own the {item.name}.")
    if item.kind == "potion" and state.potions >= MAX_POTIONS:
        return refused(f"You can carry at most {MAX_POTIONS} potions.")
    if state.gold < item.price:
        return refused(f"{item.name} costs {item.price} gold; you have {state.gold}.")
    state.gold -= item.price
    if item.kind == "potion":
        state.potions += 1
    else:
        state.items.append(item_key)
    return Outcome([f"You buy {item.emoji} {item.name} for {item.price} gold."], toast=f"Bought {item.name}")


def sell(state: GameState, item_key: str) -> Outcome:
    item = c.ITEMS[item_key]
    if not _in_town(state):
        return refused("The shop is in 🏠 Town.")
    if item.kind == "potion":
        if state.potions <= 0:
            return refused("You have no potions to sell.")
        state.potions -= 1
    elif item_key in state.items:
        state.items.remove(item_key)
    else:
        return refused(f"You do not own the {item.name}.")
    state.gold += item.sell_price
    return Outcome([f"You sell {item.emoji} {item.name} for {item.sell_price} gold."], toast=f"+{item.sell_price} gold")


def sellable(state: GameState) -> list[str]:
    return (["potion"] if state.potions else []) + list(state.items)


def buyable(state: GameState) -> list[str]:
    """What the shop offers: potions always, gear only until you own it."""
    return [key for key, item in c.ITEMS.items() if item.kind == "potion" or key not in state.items]


def open_quests(state: GameState) -> list[str]:
    return [k for k in c.QUESTS if k not in state.quests and k not in state.done_quests]


def accept_quest(state: GameState, quest_key: str) -> Outcome:
    quest = c.QUESTS[quest_key]
    if quest_key not in open_quests(state):
        return refused(f"You cannot take '{quest.title}' now.")
    state.quests[quest_key] = 0
    target = c.MONSTERS[quest.target]
    return Outcome(
        [f"📜 Quest accepted: {quest.title} — defeat {quest.count} × {target.label}."],
        toast="Quest accepted",
    )
