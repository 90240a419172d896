"""How often the fight-boss starter skill wins each boss, by level and gear, beside what `outlasts` predicts.

Plays the skill's fight presses (Attack, Potion) by the game's own combat rules, from full HP as the skill's
inn visit leaves the hero, over many random seeds; no server and no model:

    python bench/boss_odds.py --fights 300 --potions 1 3

A row where the rule says "feasible" but the skill wins rarely is a boss the curriculum should not offer yet.
"""

from __future__ import annotations

import argparse
import random
from functools import cache

from neuronaut.worlds.rpg.rules import outlasts
from neuronaut.servers.rpg import combat
from neuronaut.servers.rpg import content as c
from neuronaut.servers.rpg.game import GameState, challenge_boss
from neuronaut.worlds.rpg.starters import rpg_starters

GEAR = ((), ("iron_sword",), ("iron_sword", "leather"), ("steel_sword", "leather"), ("steel_sword", "chainmail"))
LEVELS = {"goblin_king": range(5, 8), "golem": range(8, 12), "dragon": range(11, 16)}
PRESSES = {"⚔️ Attack": combat.attack, "🧪 Potion": combat.use_potion}


@cache  # read once: a table plays thousands of fights
def fight_presses() -> list[tuple[str, int]]:
    """The skill's fight steps as (button, repeat), in order; its walk to the boss is left out."""
    skill = next(s for s in rpg_starters() if s.name == "fight-boss")
    return [(step.args["button_text"], step.repeat) for step in skill.steps
            if step.args.get("button_text") in PRESSES]


def skill_wins(seed: int, boss: str, level: int, gear: tuple[str, ...], potions: int) -> bool:
    area = next(key for key, a in c.AREAS.items() if a.boss == boss)
    state = GameState(rng=random.Random(seed), level=level, items=list(gear), potions=potions, location=area)
    state.hp = state.max_hp
    if not challenge_boss(state).ok:
        raise ValueError(f"no fight with {boss} at level {level}")
    for button, repeat in fight_presses():
        for _ in range(repeat):
            outcome = PRESSES[button](state)
            if not outcome.ok or state.foe is None:
                break  # a refused press ends the step (while accepted); the fight's end ends the skill
        if state.foe is None:
            break
    return boss in state.bosses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fights", type=int, default=300, help="random seeds per row")
    parser.add_argument("--potions", type=int, nargs="+", default=[1, 3], help="potions carried into the fight")
    args = parser.parse_args()
    print(f"{'boss':12} {'lv':>2}  {'gear':24} " + " ".join(f"{f'{p} pot':>7}" for p in args.potions) + "  outlasts")
    for boss, levels in LEVELS.items():
        for level in levels:
            for gear in GEAR:
                rates = [sum(skill_wins(s, boss, level, gear, p) for s in range(args.fights)) / args.fights
                         for p in args.potions]
                rule = outlasts(c.MONSTERS[boss], level, [c.ITEMS[k].name for k in gear])
                print(f"{boss:12} {level:>2}  {'+'.join(gear) or 'none':24} "
                      + " ".join(f"{rate:>7.0%}" for rate in rates) + f"  {'feasible' if rule else '-'}")


if __name__ == "__main__":
    main()
