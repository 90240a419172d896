"""Dungeon Quest's hand-written primitive skills, before anything is learned.

Like Voyager's primitives, they give a small model something to compose from
day one: one decision runs a whole fight instead of one press per blow. The
``chat_id`` every call needs is left out: the world fixes it for every call.
"""

from __future__ import annotations

from neuronaut.servers.chat_contract import PRESS_INLINE_BUTTON, SEND_MESSAGE
from neuronaut.servers.rpg import content
from neuronaut.skills.model import Skill, SkillParameter, SkillStep


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
        # Town first: the forest is reached from town only. The rest when hurt: a hero who hunts on at low HP
        # dies and loses XP.
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
    # The shop's wares as choices, so the grammar cannot produce an item the shop does not sell ("Gold").
    item = SkillParameter(type="string", description="the item as the shop lists it, e.g. 'Leather Armour'",
                          enum=[ware.name for ware in content.ITEMS.values()])
    return Skill(
        name="buy",
        description=("Buy an item the shop sells (gear or a potion) in one action: walk to town, open the shop "
                     "and buy it, if the gold is enough. Gold itself is not sold: it is won by hunting."),
        world="rpg",
        goal="buy an item in the shop",
        parameters={"item": item},
        # A refused purchase fails the skill: reported as "ok", it reads as progress and is tried again.
        steps=[_press("🏠 Town"), _press("🛒 Shop"),
               SkillStep(tool=PRESS_INLINE_BUTTON, args={"button_text": "{item}"},
                         fails_on=["; you have", "You can carry at most"])],
        kind="starter",
    )


def _boss_fight() -> list[SkillStep]:
    # A potion every fourth press, which needs no reading of the hero's HP (bench/boss_odds.py measures it).
    # The fight's end ends the skill, or the potions left would be drunk after it.
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
        # A gate the hero is below fails the skill: played on, the refused presses would report "ok".
        steps=[_press("🏠 Town"), _press("Inn"), _press("🏠 Town"),
               _press("{area}", fails_on=("is too dangerous",)), _press("{boss}", fails_on=("would crush you",)),
               *_boss_fight()],
        kind="starter",
    )


def rpg_starters() -> list[Skill]:
    """Fresh copies of the RPG's starter skills."""
    return [_rpg_check_status(), _rpg_hunt(), _rpg_rest(), _rpg_buy(), _rpg_fight_boss()]
