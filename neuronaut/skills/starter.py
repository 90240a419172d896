"""Hand-written primitive skills a world starts with, before anything is learned.

Like Voyager's primitives, they give a small model something to compose from
day one: one decision runs a whole fight instead of one press per blow. Arguments
a world fixes for every call (such as the RPG's ``chat_id``) are left out: the
tool hub injects them.
"""

from __future__ import annotations

from collections.abc import Callable

from neuronaut.servers.chat_contract import PRESS_INLINE_BUTTON, SEND_MESSAGE
from neuronaut.servers.rpg import content
from neuronaut.skills.model import Skill, SkillParameter, SkillStep
from neuronaut.skills.starter_swift import SWIFT_STARTERS


def _rpg_check_status() -> Skill:
    return Skill(
        name="check-status",
        description="Ask the game bot for the hero's status (level, HP, XP, gold) by sending /status.",
        world="rpg",
        goal="check the hero's status",
        steps=[SkillStep(tool=SEND_MESSAGE, args={"text": "/status"})],
        kind="starter",
    )


def _press(button: str, repeat: int = 1, only_if: str | None = None, done_texts: tuple[str, ...] = (),
           fails_on: tuple[str, ...] = ()) -> SkillStep:
    # A button that is not on screen is refused without effect: the step is done, the skill goes on.
    return SkillStep(tool=PRESS_INLINE_BUTTON, args={"button_text": button}, repeat=repeat, while_accepted=True,
                     only_if=only_if, done_texts=list(done_texts), fails_on=list(fails_on))


def _rpg_hunt() -> Skill:
    return Skill(
        name="hunt",
        description=("Win XP and gold from one fight in one action: by way of town (resting at the inn first "
                     "when below half HP), go to the forest, explore until a monster appears, then attack until "
                     "the fight ends."),
        world="rpg",
        goal="win one fight",
        # Town first: the forest is reached from town only (a hunt begun in the shop did nothing at all).
        # The rest when hurt: hunts alone took a level 2 hero nowhere (4 to 5 deaths in 20); with it, 30 hunts
        # made level 5 without a death (seeds 2, 3, 4).
        steps=[_press("🏠 Town"), _press("Inn", only_if="hurt"), _press("🌲 Forest"), _press("🔍 Explore", 20),
               _press("⚔️ Attack", 30)],
        kind="starter",
    )


def _rpg_rest() -> Skill:
    return Skill(
        name="rest",
        description="Heal to full HP in one action: walk back to town and sleep at the inn (costs a little gold).",
        world="rpg",
        goal="rest at the inn",
        steps=[_press("🏠 Town"), SkillStep(tool=PRESS_INLINE_BUTTON, args={"button_text": "Inn"})],
        kind="starter",
    )


def _rpg_buy() -> Skill:
    # The shop's wares as choices: told in words that gold is not sold, the 1.5 B model still chose to buy
    # "Gold" through a whole 30-call game; the grammar cannot produce it.
    item = SkillParameter(type="string", description="the item as the shop lists it, e.g. 'Leather Armour'",
                          enum=[ware.name for ware in content.ITEMS.values()])
    return Skill(
        name="buy",
        description=("Buy an item the shop sells (gear or a potion) in one action: walk to town, open the shop "
                     "and buy it, if the gold is enough. Gold itself is not sold: it is won by hunting."),
        world="rpg",
        goal="buy an item in the shop",
        parameters={"item": item},
        # A refused purchase fails the skill: reported as "ok", the 1.5 B model bought the armour it could not
        # afford again and again, its gold goal forgotten.
        steps=[_press("🏠 Town"), _press("🛒 Shop"),
               SkillStep(tool=PRESS_INLINE_BUTTON, args={"button_text": "{item}"},
                         fails_on=["; you have", "You can carry at most"])],
        kind="starter",
    )


def _boss_fight() -> list[SkillStep]:
    # A potion every fourth press, which needs no reading of the hero's HP: a hero a level past the gate who only
    # attacked beat the Goblin King in 10 games of 40, drinking potions so in 27. The fight's end ends the skill,
    # or the potions left would be drunk after it.
    over = ("Victory", "🎉 Level", "You died")
    attack, potion = _press("⚔️ Attack", done_texts=over), _press("🧪 Potion", done_texts=over)
    return [attack, attack, attack, potion] * 6 + [_press("⚔️ Attack", 40, done_texts=over)]


def _rpg_fight_boss() -> Skill:
    areas = list(content.AREAS.values())
    boss = SkillParameter(type="string", description="the boss as its button names it, e.g. 'Goblin King'",
                          enum=list(content.BOSS_NAMES))
    area = SkillParameter(type="string", description="the area whose screen shows the boss: Forest, Caves or Peak",
                          enum=[area.name for area in areas])
    return Skill(
        name="fight-boss",
        description=("Fight a boss to the end in one action: rest at the inn, go to the boss's area, challenge "
                     "it, attack and drink potions until the fight is over. Go in a level past the boss's gate."),
        world="rpg",
        goal="defeat a boss",
        parameters={"boss": boss, "area": area},
        # A gate the hero is below fails the skill: played on, the refused presses reported "ok" after 30 steps.
        steps=[_press("🏠 Town"), _press("Inn"), _press("🏠 Town"),
               _press("{area}", fails_on=("is too dangerous",)), _press("{boss}", fails_on=("would crush you",)),
               *_boss_fight()],
        kind="starter",
    )


_STARTERS: dict[str, list[Callable[[], Skill]]] = {
    "rpg": [_rpg_check_status, _rpg_hunt, _rpg_rest, _rpg_buy, _rpg_fight_boss],
    "swift": SWIFT_STARTERS,
}


def starter_skills(world: str) -> list[Skill]:
    """Fresh copies of the starter skills of ``world`` (none for an unknown world)."""
    return [make() for make in _STARTERS.get(world, [])]
