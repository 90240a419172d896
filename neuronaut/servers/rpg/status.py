"""The status line every bot screen carries, and parsers for the bot's texts.

The agent's goal checker sees the game only through chat text, so the format
lives here next to its parsers: one place to change, one place to test.

    ❤️ 18/20 · Lv 2 · XP 3/25 · 💰 12 · 🧪 2
"""

from __future__ import annotations

import re
from neuronaut.servers.rpg import content as c
from neuronaut.servers.rpg.game import GameState

# The heart may come with or without the emoji variation selector (U+FE0F).
_STATUS = re.compile(
    r"❤\ufe0f?\s*(?P<hp>\d+)\s*/\s*(?P<max_hp>\d+)\s*·\s*"
    r"Lv\s*(?P<level>\d+)\s*·\s*"
    r"XP\s*(?P<xp>\d+)\s*/\s*(?P<xp_next>\d+)\s*·\s*"
    r"💰\s*(?P<gold>\d+)"
    r"(?:\s*·\s*🧪\s*(?P<potions>\d+))?"
)
_BOSSES = re.compile(r"Bosses defeated:\s*(?P<names>[^\n]*)")
_POTIONS = re.compile(r"Potions:\s*(\d+)")
_WEAPON = re.compile(r"Weapon:\s*(?P<name>[^\n(]*?)\s*(?:\(|\n|$)")
_ARMOUR = re.compile(r"Armour:\s*(?P<name>[^\n(]*?)\s*(?:\(|\n|$)")
_ITEMS = re.compile(r"Items:\s*(?P<names>[^\n]*)")

STATUS_KEYS = ("level", "xp", "xp_next", "hp", "max_hp", "gold")


def status_line(state: GameState) -> str:
    return (
        f"❤️ {state.hp}/{state.max_hp} · Lv {state.level} · XP {state.xp}/{state.xp_next}"
        f" · 💰 {state.gold} · 🧪 {state.potions}"
    )


def parse_status(text: str) -> dict[str, int] | None:
    """{level, xp, xp_next, hp, max_hp, gold} from the last status line in ``text``."""
    matches = list(_STATUS.finditer(text or ""))
    if not matches:
        return None
    found = matches[-1]
    return {key: int(found[key]) for key in STATUS_KEYS}


def parse_potions(text: str) -> int | None:
    """Potions carried, from the status line (None if the line has no potion count)."""
    matches = list(_STATUS.finditer(text or ""))
    if not matches or matches[-1]["potions"] is None:
        return None
    return int(matches[-1]["potions"])


def _names(raw: str) -> list[str]:
    raw = raw.strip()
    if not raw or raw.lower() == "none":
        return []
    return [name.strip() for name in raw.split(",") if name.strip()]


def bosses_line(state: GameState) -> str:
    names = ", ".join(c.MONSTERS[key].name for key in state.bosses) or "none"
    return f"👑 Bosses defeated: {names}"


def parse_bosses(text: str) -> list[str] | None:
    """Names of defeated bosses from a /status text; None if the text has no such line."""
    found = _BOSSES.search(text or "")
    return None if found is None else _names(found["names"])


def inventory_lines(state: GameState) -> list[str]:
    weapon, armour = state.weapon, state.armour
    items = ", ".join(c.ITEMS[key].name for key in state.items) or "none"
    return [
        f"🧪 Potions: {state.potions}",
        f"🗡️ Weapon: {weapon.name} (+{weapon.bonus} attack)" if weapon else "🗡️ Weapon: none",
        f"🛡️ Armour: {armour.name} (+{armour.bonus} defence)" if armour else "🛡️ Armour: none",
        f"🎒 Items: {items}",
    ]


def parse_inventory(text: str) -> list[str] | None:
    """Names of the items owned, from an /inventory text: gear, plus "Potion" if any.

    None if the text is not an inventory.
    """
    text = text or ""
    potions, items = _POTIONS.search(text), _ITEMS.search(text)
    if potions is None or items is None:
        return None
    owned = _names(items["names"])
    return (["Potion"] if int(potions[1]) else []) + owned


def parse_equipment(text: str) -> dict[str, str | None]:
    """{weapon, armour} in use, from an /inventory text (None when there is none)."""
    return {"weapon": _gear(_WEAPON, text or ""), "armour": _gear(_ARMOUR, text or "")}


def _gear(pattern: re.Pattern[str], text: str) -> str | None:
    found = pattern.search(text)
    if found is None or found["name"].lower() == "none":
        return None
    return found["name"]
