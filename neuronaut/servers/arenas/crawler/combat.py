"""A Crypt Crawl fight round: pick a stance, confirm it, then both sides act.

Against the intent it answers best a stance deals double damage and takes none;
otherwise the hero hits normally and the foe hits back (harder when it wound up).
"""

from __future__ import annotations

from neuronaut.servers.arenas.crawler.game import INTENTS, STANCES, Hero, Outcome, exp_needed, refused


def choose(hero: Hero, stance: str) -> Outcome:
    if hero.foe is None:
        return refused("No foe.")
    if stance not in STANCES:
        return refused("Unknown stance.")
    hero.stance = stance
    return Outcome()


def change(hero: Hero) -> Outcome:
    if hero.stance is None:
        return refused("No stance chosen.")
    hero.stance = None
    return Outcome()


def _hit(hero: Hero) -> int:
    return hero.rng.randint(2, 4) + (2 if hero.blade else 0) + (hero.level - 1)


def confirm(hero: Hero) -> Outcome:
    foe, stance = hero.foe, hero.stance
    if foe is None or stance is None:
        return refused("Choose a stance first.")
    monster = foe.monster
    hero.stance = None
    answered = INTENTS[foe.intent] == stance
    if answered:
        dealt, taken = 2 * _hit(hero), 0
    elif stance == "guard":
        dealt, taken = 0, max(0, monster.attack - 2)
    else:
        dealt = _hit(hero) if stance == "strike" else 1
        taken = monster.attack + (2 if foe.intent == "winds up" else 0)
    foe.hp = max(0, foe.hp - dealt)
    outcome = Outcome(lines=[f"You {stance}: {dealt} dmg." + (" Clean read." if answered else "")])
    if foe.hp == 0:
        _won(hero, outcome)
        return outcome
    hero.hp = max(0, hero.hp - taken)
    outcome.lines.append(f"The {monster.name} hits: {taken} dmg." if taken else f"The {monster.name} misses.")
    if hero.hp == 0:
        _died(hero, outcome)
        return outcome
    foe.intent = hero.rng.choice(list(INTENTS))
    return outcome


def flee(hero: Hero) -> Outcome:
    foe = hero.foe
    if foe is None:
        return refused("No foe.")
    hero.stance = None
    if foe.warden or hero.rng.random() < 0.5:
        hero.hp = max(0, hero.hp - foe.monster.attack)
        outcome = Outcome(lines=[f"No escape. The {foe.monster.name} hits: {foe.monster.attack} dmg."])
        if hero.hp == 0:
            _died(hero, outcome)
        return outcome
    hero.foe = None
    return Outcome(lines=["You slip away."])


def _won(hero: Hero, outcome: Outcome) -> None:
    monster = hero.foe.monster  # type: ignore[union-attr]
    hero.foe = None
    hero.coins += monster.coins
    hero.exp += monster.exp
    outcome.lines.append(f"The {monster.name} falls. +{monster.exp} exp, +{monster.coins} coins.")
    if monster.warden:
        hero.wardens.append(monster.name)
    while hero.exp >= exp_needed(hero.level):
        hero.exp -= exp_needed(hero.level)
        hero.level += 1
        hero.hp = hero.max_hp
        outcome.lines.append(f"▲ You grow stronger. LVL {hero.level}.")
        outcome.toast = f"LVL {hero.level}"


def _died(hero: Hero, outcome: Outcome) -> None:
    lost = (hero.coins + 1) // 2
    hero.coins -= lost
    hero.foe = None
    hero.depth = 0
    hero.hp = hero.max_hp
    outcome.lines.append(f"✝ You fall. {lost} coins lost. You wake on the surface.")
    outcome.toast = "You died."
