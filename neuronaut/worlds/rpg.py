"""The Telegram RPG world: a game bot played through inline buttons.

The same world runs against the simulator (default, offline) or the real
Telethon server; only ``servers()`` differs. Goals are checked by reading the
chat, never by trusting the model.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from neuronaut.decision import SKILL_PREFIX
from neuronaut.errors import UserError
from neuronaut.prompts import load_prompt
from neuronaut.servers import chat_contract as contract
from neuronaut.servers.rpg import content
from neuronaut.servers.rpg import status as game_text
from neuronaut.settings import Settings
from neuronaut.tools.types import ServerSpec, ToolOutcome, ToolSpec
from neuronaut.worlds.base import Check, Observation, ToolCaller, World

MAX_OBSERVATION_CHARS = 900
FIGHT_BUTTON = "⚔️ Attack"  # on screen only mid-fight
OUT_OF_FIGHT_SKILLS = frozenset({SKILL_PREFIX + "rest", SKILL_PREFIX + "buy"})  # the inn and the shop are in town


@dataclass(frozen=True)
class RpgGoal:
    kind: str  # level | gold | boss | item
    target: Any

    def holds(self, hero: dict[str, Any]) -> bool:
        if self.kind == "level":
            return hero.get("level", 0) >= self.target
        if self.kind == "gold":
            return hero.get("gold", 0) >= self.target
        if self.kind == "boss":
            beaten = [b.lower() for b in hero.get("bosses", [])]
            return bool(beaten) if self.target == "first" else any(self.target in b for b in beaten)
        return any(self.target in item.lower() for item in hero.get("items", []))

    def distance(self, hero: dict[str, Any]) -> float | None:
        """Levels still to go (XP towards the next one counted as a fraction), gold still to earn, or, for a
        boss, the levels to the one it is fought from plus one for the fight itself.

        An item is there or not. A boss's distance lets the agent see a run that keeps busy at the boss without
        getting nearer: on seed 4 the 1.5 B model bought 8 potions in a row before its first boss fight."""
        if self.kind == "gold" and isinstance(hero.get("gold"), int):
            return float(max(0, self.target - hero["gold"]))
        if self.kind not in ("level", "boss") or not isinstance(hero.get("level"), int):
            return None
        fraction = hero.get("xp", 0) / hero["xp_next"] if hero.get("xp_next") else 0.0
        if self.kind == "level":
            return max(0.0, self.target - hero["level"] - fraction)
        from neuronaut.learning.rpg_goals import boss_ready_level

        ready = boss_ready_level(self.target)
        return None if ready is None else 1.0 + max(0.0, ready - hero["level"] - fraction)


_GOAL_FORMS = (
    (re.compile(r"\b(?:reach|get to|hit) level (\d+)\b"), "level", int),
    (re.compile(r"\b(?:have|collect|earn|get|hold) (?:at least |>= ?|≥ ?)?(\d+) gold\b"), "gold", int),
    (re.compile(r"\b(?:defeat|beat|kill|slay) (?:the )?first boss\b"), "boss", lambda _: "first"),
    (re.compile(r"\b(?:defeat|beat|kill|slay) (?:the )?(?:boss )?(.+)$"), "boss", str.strip),
    (re.compile(r"\b(?:own|buy|have|get|obtain) (?:a |an |the )?(.+)$"), "item", str.strip),
)

GOAL_HELP = "reach level N, have N gold, defeat the first boss, defeat <boss>, own <item>"


def parse_goal(goal: str) -> RpgGoal:
    text = " ".join(goal.lower().split())
    for pattern, kind, convert in _GOAL_FORMS:
        match = pattern.search(text)
        if match:
            return RpgGoal(kind, convert(match.group(1) if match.groups() else match.group(0)))
    raise UserError(f"the rpg world cannot check the goal {goal!r}; goals it checks: {GOAL_HELP}")


class RpgWorld(World):
    name = "rpg"
    description = "a Telegram RPG game bot played by pressing inline buttons"
    examples_prompt = "rpg_examples"
    primitive_skills = ("hunt", "rest", "buy", "fight-boss")
    skill_examples_prompt = "rpg_skill_examples"  # instead of ``examples_prompt`` when the primitives are offered
    allowed_tools = frozenset({contract.PRESS_INLINE_BUTTON, contract.SEND_MESSAGE})
    hidden_args = {contract.PRESS_INLINE_BUTTON: frozenset({"message_id", "button_index"})}
    adaptive_skills = True  # a button not on screen is refused without effect; goals are checked from the chat
    reads_goal_first = True

    def __init__(self, chat_id: int | str | None = None, *, server: str = "simulator", game: str | None = None) -> None:
        """``game`` names a saved game shared by several runs (exploration); by default each run has its own."""
        from neuronaut.servers.rpg.chat import SimulatedChat

        self.chat_id = chat_id if chat_id is not None else SimulatedChat.CHAT_ID
        self.server = server
        self.game = game
        self.fixed_args = {
            contract.PRESS_INLINE_BUTTON: {"chat_id": self.chat_id},
            contract.SEND_MESSAGE: {"chat_id": self.chat_id},
        }

    def servers(self, settings: Settings, run_id: str) -> list[ServerSpec]:
        # The game's state lives with the run, so a resumed run finds the game where it left it.
        state = ("--seed", str(settings.rpg_seed), "--state", str(settings.worlds_dir / f"rpg-{_safe(self.game or run_id)}.json"))
        if self.server == "telegram":
            return [ServerSpec("telegram", sys.executable, ("-m", "neuronaut.servers.telegram"))]
        if self.server == "telegram-standin":
            return [ServerSpec("telegram", sys.executable, ("-m", "neuronaut.servers.telegram", "--standin", *state))]
        return [ServerSpec("rpg", sys.executable, ("-m", "neuronaut.servers.rpg", *state))]

    def validate_goal(self, goal: str) -> None:
        parse_goal(goal)

    def briefing(self) -> str:
        return load_prompt("rpg_rules")

    def goal_needs(self, goal: str, progress: dict[str, Any]) -> str:
        from neuronaut.learning.rpg_goals import rpg_needs

        return rpg_needs(goal, progress)

    def summarize_outcome(self, outcome: ToolOutcome) -> str:
        # A press answers with a toast ("Victory! +4 XP"); the rest of its JSON is bookkeeping.
        structured = outcome.structured or {}
        if outcome.ok and structured.get("callback_answer"):
            return str(structured["callback_answer"])[:120]
        if outcome.ok and "message" in structured:
            return "sent"
        return outcome.summary(160)

    def needs_approval(self, spec: ToolSpec) -> bool:
        # Pressing game buttons in the game's own chat is the whole point; other chats are out of reach anyway.
        return False

    async def prepare(self, tools: ToolCaller) -> None:
        messages = await self._messages(tools, limit=1)
        if not messages:
            await tools.call(contract.SEND_MESSAGE, {"chat_id": self.chat_id, "text": "/start"})

    async def observe(self, tools: ToolCaller) -> Observation:
        seen = await self._messages(tools, limit=10)
        messages = await self._with_screen(tools, seen)
        screen = _screen(messages)
        in_view = _screen(seen)
        # Bots edit their game screen in place; a reply posted after the screen's last edit is news. A screen
        # posted again is not the measure: all the bot said since the old one scrolled away is.
        read = sorted({m.get("id", 0): m for m in [*seen, *messages]}.values(), key=lambda m: m.get("id", 0))
        news = [m for m in read if not m.get("outgoing") and not m.get("buttons")
                and (in_view is None or _freshness(m) > _freshness(in_view))]
        parts = []
        if news:
            parts.append("Bot said: " + news[-1]["text"])
        if screen:
            parts.append(f"Game screen:\n{screen['text']}")
        text = "\n".join(parts) or "The chat is empty."
        buttons = [b["text"] for b in screen["buttons"]] if screen else []
        if buttons:
            text += "\nButtons: " + " | ".join(f"[{b}]" for b in buttons)
        choices = {contract.PRESS_INLINE_BUTTON: {"button_text": buttons}} if buttons else {}
        return Observation(text=text[-MAX_OBSERVATION_CHARS:], choices=choices)

    def skill_choices(self, progress: dict[str, Any]) -> dict[str, dict[str, list[Any]]]:
        # Offered owned Leather Armour, the 1.5 B model bought it four times at the Red Dragon (level 13, every
        # piece of gear owned): each buy failed, as the shop lists no gear the hero has, and the budget ran out.
        # Potions at the cap (9) were bought 28 times in one "reach level 5" run (seed 5), and gear the gold did not
        # cover up to 7 times per game: each buy refused.
        if not any(key in progress for key in ("items", "potions", "gold")):
            return {}  # the checker read neither the inventory nor the status line
        from neuronaut.learning.rpg_goals import wares

        return {"skill:buy": {"item": wares(progress)}}

    def menu(self, choices: dict[str, dict[str, list[Any]]],
             offered: Collection[str]) -> tuple[dict[str, dict[str, list[Any]]], frozenset[str]]:
        # Mid-fight the inn and the shop are out of reach: shown the fight's buttons, the 1.5 B model ran the rest
        # skill four times at the Goblin King, each failing (seed 8). A boss's own button begins a fight the model
        # then plays one press (one call) per blow; the fight-boss skill plays it whole, rested and with potions.
        # Pressed raw there, it cost 11 calls where the skill took 5.
        buttons = choices.get(contract.PRESS_INLINE_BUTTON, {}).get("button_text", [])
        closed = OUT_OF_FIGHT_SKILLS if FIGHT_BUTTON in buttons else frozenset()
        if SKILL_PREFIX + "fight-boss" in offered:
            kept = [b for b in buttons if not any(name in b for name in content.BOSS_NAMES)]
            if kept and len(kept) < len(buttons):
                press = choices[contract.PRESS_INLINE_BUTTON]
                choices = {**choices, contract.PRESS_INLINE_BUTTON: {**press, "button_text": kept}}
        return choices, closed

    def partial_goal(self, goal: str, start: dict[str, Any], now: dict[str, Any]) -> str | None:
        target = parse_goal(goal)
        before, reached = start.get(target.kind), now.get(target.kind)
        if target.kind not in ("level", "gold") or not isinstance(before, int) or not isinstance(reached, int):
            return None
        if target.kind == "gold":
            reached -= reached % 10  # round numbers, like the curriculum's: "have 30 gold" at 34
        if not before < reached < target.target:
            return None
        return f"reach level {reached}" if target.kind == "level" else f"have {reached} gold"

    def goal_family(self, goal: str) -> str:
        try:
            return parse_goal(goal).kind
        except UserError:
            return ""

    def goal_holds(self, goal: str, progress: dict[str, Any]) -> bool | None:
        from neuronaut.learning.rpg_goals import rpg_goal_holds

        return rpg_goal_holds(goal, progress)

    async def check(self, goal: str, tools: ToolCaller) -> Check:
        target = parse_goal(goal)
        hero = await self._hero(tools, need_details=target.kind in ("boss", "item"))
        if hero is None:
            return Check(False, "no status visible in the chat yet")
        achieved = target.holds(hero)
        summary = ", ".join(f"{k} {v}" for k, v in hero.items() if k in ("level", "xp", "hp", "gold"))
        return Check(achieved, ("goal holds: " if achieved else "not yet: ") + summary, hero,
                     0.0 if achieved else target.distance(hero))

    async def condition(self, name: str, tools: ToolCaller) -> bool:
        # "hurt": below half HP, where a hunt rests first. Hunting on regardless, a level 2 hero died 4 to 5
        # times in 20 hunts (XP lost each time) and never reached level 3 (seeds 2, 3 and 4).
        if name != "hurt":
            return False
        hero = await self._hero(tools, need_details=False)
        return hero is not None and "hp" in hero and "max_hp" in hero and hero["hp"] < hero["max_hp"] / 2

    async def _hero(self, tools: ToolCaller, *, need_details: bool) -> dict[str, Any] | None:
        messages = await self._with_screen(tools, await self._messages(tools, limit=10))
        hero: dict[str, Any] | None = None
        for message in sorted(messages, key=_status_order, reverse=True):
            hero = _status_reading(message["text"]) if not message.get("outgoing") else None
            if hero:
                break
        if need_details:
            details = await self._ask(tools, "/status") + "\n" + await self._ask(tools, "/inventory")
            hero = {**(hero or {}), **(_status_reading(details) or {})}
            hero["bosses"] = game_text.parse_bosses(details)
            hero["items"] = game_text.parse_inventory(details)
        return hero

    async def _with_screen(self, tools: ToolCaller, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The last ``messages`` read, or, when the game screen scrolled out of them, the last ones after ``/start``
        posted it again.

        The bot edits one screen in place, so each message after it (a notice, the checker's own /status and
        /inventory) pushes it further up. Ten messages on, the last ten missed it: the hero's numbers came from
        the latest /status reply however old (seed 12: XP read as 36 through 20 hunts that took it to 418, so
        the level skill stopped as "no closer" and the rails saw no progress), and the model saw no buttons.
        ``/start`` posts the screen where the game stands, mid-fight too, and changes nothing else."""
        if messages and _screen(messages) is None:
            await tools.call(contract.SEND_MESSAGE, {"chat_id": self.chat_id, "text": "/start"})
            messages = await self._messages(tools, limit=10)
        return messages

    async def _ask(self, tools: ToolCaller, command: str) -> str:
        await tools.call(contract.SEND_MESSAGE, {"chat_id": self.chat_id, "text": command})
        messages = await self._messages(tools, limit=2)
        return "\n".join(m["text"] for m in messages if not m.get("outgoing"))

    async def _messages(self, tools: ToolCaller, *, limit: int) -> list[dict[str, Any]]:
        outcome = await tools.call(contract.GET_MESSAGES, {"chat_id": self.chat_id, "limit": limit})
        if not outcome.ok or not outcome.structured:
            return []
        return list(outcome.structured.get("messages", []))


def _status_reading(text: str) -> dict[str, Any] | None:
    """The last status line in ``text``, with the potions carried when the line counts them."""
    hero: dict[str, Any] | None = game_text.parse_status(text)
    if hero and (potions := game_text.parse_potions(text)) is not None:
        hero["potions"] = potions
    return hero


def _screen(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((m for m in reversed(messages) if m.get("buttons")), None)


def _freshness(message: dict[str, Any]) -> tuple[str, int]:
    return (message.get("edit_date") or message.get("date") or "", message.get("id", 0))


def _status_order(message: dict[str, Any]) -> tuple[str, bool, int]:
    # Dates have one-second resolution and a skill presses many times a second: a screen edited in the same
    # second as a newer notice ("Level up!") is at least as current. Reading the notice instead pinned a hunting
    # hero's HP at its level-up value.
    date, message_id = _freshness(message)
    return (date, bool(message.get("buttons")), message_id)


def _safe(run_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", run_id)[:80]
