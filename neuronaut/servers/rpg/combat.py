"""Combat rules: attack, defend, potion, flee; victory, level-ups, death."""

from __future__ import annotations

from neuronaut.servers.rpg import content as c
from neuronaut.servers.rpg.game import Foe, GameState, Outcome, refused
from neuronaut.servers.rpg.status import bosses_line


def attack(state: GameState) -> Outcome:
    foe = state.foe
    if foe is None:
        return refused("There is nothing to attack.")
    damage = max(1, state.attack + state.rng.randint(0, 2) - foe.defense)
    crit = state.rng.random() < c.CRIT_CHANCE
    if crit:
        damage *= 2
    foe.hp = max(0, foe.hp - damage)
    hit = "💥 Critical hit! " if crit else ""
    outcome = Outcome([f"{hit}You hit the {foe.label} for {damage}."], toast=f"Hit for {damage}")
    if foe.hp == 0:
        _win(state, foe, outcome)
    else:
        _foe_turn(state, outcome, guarded=False)
    return outcome


def defend(state: GameState) -> Outcome:
    if state.foe is None:
        return refused("There is nothing to defend against.")
    outcome = Outcome(["🛡️ You raise your guard."], toast="Guarding")
    _foe_turn(state, outcome, guarded=True)
    return outcome


def use_potion(state: GameState) -> Outcome:
    if state.potions <= 0:
        return refused("You have no potions. Buy some in the 🛒 Shop.")
    if state.hp >= state.max_hp:
        return refused("Your HP is already full.")
    healed = min(c.ITEMS["potion"].bonus, state.max_hp - state.hp)
    state.potions -= 1
    state.hp += healed
    outcome = Outcome([f"🧪 You drink a potion and recover {healed} HP."], toast=f"+{healed} HP")
    if state.foe:
        _foe_turn(state, outcome, guarded=False)
    return outcome


def flee(state: GameState) -> Outcome:
    foe = state.foe
    if foe is None:
        return refused("There is nothing to flee from.")
    chance = c.BOSS_FLEE_CHANCE if foe.boss else c.FLEE_CHANCE
    if state.rng.random() < chance:
        state.foe = None
        return Outcome([f"🏃 You escape from the {foe.label}."], toast="Escaped!")
    outcome = Outcome([f"🏃 You try to run, but the {foe.label} cuts you off."], toast="No escape!")
    _foe_turn(state, outcome, guarded=False)
    return outcome


def _foe_turn(state: GameState, outcome: Outcome, guarded: bool) -> None:
    foe = state.foe
    assert foe is not None
    damage = max(1, foe.atk + state.rng.randint(-1, 1) - state.defense)
    if guarded:
        damage //= 2
    state.hp = max(0, state.hp - damage)
    outcome.lines.append(f"The {foe.label} hits you for {damage}.")
    if state.hp == 0:
        _die(state, foe, outcome)


def _win(state: GameState, foe: Foe, outcome: Outcome) -> None:
    state.foe = None
    state.gold += foe.gold
    outcome.lines.append(f"🏆 You defeated the {foe.label}! +{foe.xp} XP, +{foe.gold} gold.")
    outcome.toast = f"Victory! +{foe.xp} XP"
    if foe.boss:
        state.bosses.append(foe.key)
        outcome.notices.append(f"👑 You defeated the boss {foe.label}!\n{bosses_line(state)}")
    gain_xp(state, foe.xp, outcome)
    _advance_quests(state, foe.key, outcome)


def _advance_quests(state: GameState, monster_key: str, outcome: Outcome) -> None:
    for key in list(state.quests):
        quest = c.QUESTS[key]
        if quest.target != monster_key:
            continue
        state.quests[key] += 1
        if state.quests[key] < quest.count:
            outcome.lines.append(f"📜 {quest.title}: {state.quests[key]}/{quest.count}")
            continue
        del state.quests[key]
        state.done_quests.append(key)
        state.gold += quest.reward_gold
        outcome.notices.append(
            f"📜 Quest complete: {quest.title}! +{quest.reward_xp} XP, +{quest.reward_gold} gold."
        )
        gain_xp(state, quest.reward_xp, outcome)


def gain_xp(state: GameState, amount: int, outcome: Outcome) -> None:
    state.xp += amount
    while state.xp >= state.xp_next:
        state.xp -= state.xp_next
        state.level += 1
        # A level-up heals fully: it rewards pushing on instead of retreating.
        state.hp = state.max_hp
        outcome.notices.append(f"🎉 Level up! You are now level {state.level}.")
        outcome.toast = f"🎉 Level {state.level}!"


def _die(state: GameState, foe: Foe, outcome: Outcome) -> None:
    lost = state.gold // 2
    state.gold -= lost
    state.xp = 0
    state.foe = None
    state.location = "town"
    # Waking up only half healed keeps death from being a free trip to the inn.
    state.hp = state.max_hp // 2
    state.deaths += 1
    outcome.died = True
    outcome.lines.append(
        f"💀 The {foe.label} defeated you. You lose {lost} gold and your XP towards the next"
        " level, and wake up in 🏠 Town, half healed."
    )
    outcome.toast = "💀 You died"
    outcome.alert = True
