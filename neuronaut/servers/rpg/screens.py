"""What the bot shows: the text and the inline keyboard of each screen.

Labels are short and say what they do, because a small model reads them; a
locked choice stays visible with its requirement ("🔒 Caves (Lv 3)") so the
player can learn what to aim for.
"""

from __future__ import annotations

from neuronaut.servers.botchat.screens import Button, Screen
from neuronaut.servers.rpg import content as c
from neuronaut.servers.rpg import town
from neuronaut.servers.rpg.game import GameState
from neuronaut.servers.rpg.status import bosses_line, inventory_lines, status_line


def render(state: GameState, view: str, lines: list[str]) -> Screen:
    if state.foe is not None:
        header, keyboard = _combat(state)
    elif state.location in c.AREAS:
        header, keyboard = _area(state)
    else:
        header, keyboard = _TOWN_VIEWS.get(view, _town)(state)
    body = "\n".join([header, *lines]) if lines else header
    return Screen(text=f"{body}\n\n{status_line(state)}", keyboard=keyboard)


def _combat(state: GameState) -> tuple[str, list[list[Button]]]:
    foe = state.foe
    assert foe is not None
    kind = "Boss fight" if foe.boss else "Fight"
    header = f"⚔️ {kind}: {foe.label} — HP {foe.hp}/{foe.max_hp}"
    keyboard = [
        [Button("⚔️ Attack", "atk"), Button("🛡️ Defend", "def")],
        [Button("🧪 Potion", "pot"), Button("🏃 Flee", "flee")],
    ]
    return header, keyboard


def _area(state: GameState) -> tuple[str, list[list[Button]]]:
    area = c.AREAS[state.location]
    header = f"{area.emoji} {area.name} — monsters lurk here."
    keyboard = [[Button("🔍 Explore", "explore")]]
    if area.boss not in state.bosses:
        boss = c.MONSTERS[area.boss]
        if state.level >= area.boss_level:
            keyboard.append([Button(f"{boss.emoji} {boss.name}", "boss")])
        else:
            keyboard.append([Button(f"🔒 {boss.name} (Lv {area.boss_level})", "boss")])
    if state.potions and state.hp < state.max_hp:
        keyboard.append([Button("🧪 Potion", "pot")])
    keyboard.append([Button("🏠 Town", "town")])
    return header, keyboard


def _town(state: GameState) -> tuple[str, list[list[Button]]]:
    header = "🏠 Town — rest at the inn, shop, take quests, or head out."
    areas = []
    for area in c.AREAS.values():
        if state.level >= area.min_level:
            areas.append(Button(f"{area.emoji} {area.name}", f"go:{area.key}"))
        else:
            areas.append(Button(f"🔒 {area.name} (Lv {area.min_level})", f"go:{area.key}"))
    services = [
        Button(f"🛏️ Inn ({c.inn_cost(state.level)}g)", "inn"),
        Button("🛒 Shop", "shop"),
        Button("📜 Quests", "quests"),
    ]
    return header, [areas, services]


def _shop(state: GameState) -> tuple[str, list[list[Button]]]:
    header = "🛒 Shop — potions heal 15 HP; weapons add attack, armour adds defence."
    rows = []
    for key in town.buyable(state):
        item = c.ITEMS[key]
        bonus = "" if item.kind == "potion" else f" +{item.bonus}"
        rows.append([Button(f"{item.emoji} {item.name}{bonus} ({item.price}g)", f"buy:{key}")])
    rows.append([Button("💰 Sell", "sell"), Button("🏠 Town", "back")])
    return header, rows


def _sell(state: GameState) -> tuple[str, list[list[Button]]]:
    header = "💰 Sell — the shopkeeper pays half price."
    rows = []
    for key in dict.fromkeys(town.sellable(state)):
        item = c.ITEMS[key]
        rows.append([Button(f"{item.emoji} {item.name} (+{item.sell_price}g)", f"sellitem:{key}")])
    rows.append([Button("⬅️ Shop", "shop"), Button("🏠 Town", "back")])
    return header, rows


def _quests(state: GameState) -> tuple[str, list[list[Button]]]:
    lines = ["📜 Quest board"]
    for key, progress in state.quests.items():
        quest = c.QUESTS[key]
        lines.append(f"• Active: {quest.title} {progress}/{quest.count}")
    for key in state.done_quests:
        lines.append(f"• Done: {c.QUESTS[key].title}")
    rows = []
    for key in town.open_quests(state):
        quest = c.QUESTS[key]
        target = c.MONSTERS[quest.target]
        lines.append(
            f"• Open: {quest.title} — defeat {quest.count} × {target.label}"
            f" (reward {quest.reward_gold}g, {quest.reward_xp} XP)"
        )
        rows.append([Button(f"📜 {quest.title}", f"quest:{key}")])
    rows.append([Button("🏠 Town", "back")])
    return "\n".join(lines), rows


_TOWN_VIEWS = {"town": _town, "shop": _shop, "sell": _sell, "quests": _quests}


def render_status(state: GameState, compact: bool = False) -> str:
    if compact:
        return status_line(state)
    place = "Town" if state.location == "town" else c.AREAS[state.location].name
    if state.foe:
        place += f" (fighting {state.foe.label})"
    quests = ", ".join(
        f"{c.QUESTS[k].title} {n}/{c.QUESTS[k].count}" for k, n in state.quests.items()
    )
    return "\n".join(
        [
            "📊 Status",
            status_line(state),
            f"⚔️ Attack {state.attack} · 🛡️ Defence {state.defense}",
            f"📍 Location: {place}",
            bosses_line(state),
            f"📜 Quests: {quests or 'none'}",
        ]
    )


def render_inventory(state: GameState) -> str:
    return "\n".join(["🎒 Inventory", *inventory_lines(state), "", status_line(state)])
