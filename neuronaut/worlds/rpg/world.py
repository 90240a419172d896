"""The Telegram RPG world: a game bot played through inline buttons.

The same world runs against the simulator (default, offline) or the real
Telethon server; only ``servers()`` differs. Goals are checked by reading the
chat, never by trusting the model.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Collection
from typing import Any

from neuronaut.decision import SKILL_PREFIX
from neuronaut.learning.goals import GoalSpace
from neuronaut.servers import chat_contract as contract
from neuronaut.servers.rpg import content
from neuronaut.servers.rpg import status as game_text
from neuronaut.servers.rpg.chat import SimulatedChat
from neuronaut.settings import Settings
from neuronaut.skills.model import Skill
from neuronaut.tools.types import ServerSpec, ToolOutcome, ToolSpec
from neuronaut.worlds.base import Check, Goal, Observation, ToolCaller, World
from neuronaut.worlds.capabilities import Choices, SkillMenus
from neuronaut.worlds.rpg import rules
from neuronaut.worlds.rpg.goals import RpgGoal, parse_goal, rpg_space
from neuronaut.worlds.rpg.settings import rpg_settings
from neuronaut.worlds.rpg.starters import rpg_starters

MAX_OBSERVATION_CHARS = 900
FIGHT_BUTTON = "⚔️ Attack"  # on screen only mid-fight
OUT_OF_FIGHT_SKILLS = frozenset({SKILL_PREFIX + "rest", SKILL_PREFIX + "buy"})  # the inn and the shop are in town


class RpgWorld(SkillMenus, World):
    name = "rpg"
    description = "a Telegram RPG game bot played by pressing inline buttons"
    examples_prompt = "rpg_examples"
    primitive_skills = ("hunt", "rest", "buy", "fight-boss")
    skill_examples_prompt = "rpg_skill_examples"  # instead of ``examples_prompt`` when the primitives are offered
    allowed_tools = frozenset({contract.PRESS_INLINE_BUTTON, contract.SEND_MESSAGE})
    hidden_args = {contract.PRESS_INLINE_BUTTON: frozenset({"message_id", "button_index"})}
    adaptive_skills = True  # a button not on screen is refused without effect; goals are checked from the chat
    reads_goal_first = True
    observation_tools = contract.READ_ONLY_TOOLS

    def __init__(self, chat_id: int | str | None = None, *, server: str = "simulator", game: str | None = None) -> None:
        """``game`` names a saved game shared by several runs (exploration); by default each run has its own."""
        self.chat_id = chat_id if chat_id is not None else SimulatedChat.CHAT_ID
        self.server = server
        self.game = game
        self.fixed_args = {
            contract.PRESS_INLINE_BUTTON: {"chat_id": self.chat_id},
            contract.SEND_MESSAGE: {"chat_id": self.chat_id},
            contract.GET_MESSAGES: {"chat_id": self.chat_id},  # for a baseline's reading calls: this chat only
        }

    def servers(self, settings: Settings, run_id: str) -> list[ServerSpec]:
        # The game's state lives with the run, so a resumed run finds the game where it left it.
        state_file = settings.worlds_dir / f"rpg-{_safe(self.game or run_id)}.json"
        state = ("--seed", str(rpg_settings(settings).seed), "--state", str(state_file))
        if self.server == "telegram":
            return [ServerSpec("telegram", sys.executable, ("-m", "neuronaut.servers.telegram"))]
        if self.server == "telegram-standin":
            return [ServerSpec("telegram", sys.executable, ("-m", "neuronaut.servers.telegram", "--standin", *state))]
        return [ServerSpec("rpg", sys.executable, ("-m", "neuronaut.servers.rpg", *state))]

    def parse_goal(self, text: str) -> RpgGoal:
        return parse_goal(text)

    def starter_skills(self) -> list[Skill]:
        return rpg_starters()

    def goal_space(self) -> GoalSpace:
        return rpg_space()

    def explore_options(self) -> dict[str, Any]:
        return {"game": f"explore-{self.name}"}  # one game across all goals: the curriculum climbs one hero's ladder

    def briefing(self) -> str:
        return self.prompt("rpg_rules")

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

    def skill_choices(self, progress: dict[str, Any]) -> Choices:
        # Only what the shop would sell and the gold pays for: any other buy is refused and changes nothing.
        if not any(key in progress for key in ("items", "potions", "gold")):
            return {}  # the checker read neither the inventory nor the status line
        return {"skill:buy": {"item": rules.wares(progress)}}

    def menu(self, choices: Choices, offered: Collection[str]) -> tuple[Choices, frozenset[str]]:
        # Mid-fight the inn and the shop are out of reach. A boss's own button begins a fight played one press
        # (one call) per blow; with the fight-boss skill on offer, the skill plays it whole, rested and with potions.
        buttons = choices.get(contract.PRESS_INLINE_BUTTON, {}).get("button_text", [])
        closed = OUT_OF_FIGHT_SKILLS if FIGHT_BUTTON in buttons else frozenset()
        if SKILL_PREFIX + "fight-boss" in offered:
            kept = [b for b in buttons if not any(name in b for name in content.BOSS_NAMES)]
            if kept and len(kept) < len(buttons):
                press = choices[contract.PRESS_INLINE_BUTTON]
                choices = {**choices, contract.PRESS_INLINE_BUTTON: {**press, "button_text": kept}}
        return choices, closed

    async def check(self, goal: Goal, tools: ToolCaller) -> Check:
        target = goal if isinstance(goal, RpgGoal) else parse_goal(goal.text)
        hero = await self._hero(tools, need_details=target.kind in ("boss", "item"))
        if hero is None:
            return Check(False, "no status visible in the chat yet")
        achieved = target.satisfied_by(hero)
        summary = ", ".join(f"{k} {v}" for k, v in hero.items() if k in ("level", "xp", "hp", "gold"))
        return Check(achieved, ("goal holds: " if achieved else "not yet: ") + summary, hero,
                     0.0 if achieved else target.distance(hero))

    async def condition(self, name: str, tools: ToolCaller) -> bool:
        # "hurt": below half HP, where a hunt rests first: a hero who hunts on regardless dies and loses XP.
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
        /inventory) pushes it further up. Ten messages on, the last ten miss it: the hero's numbers would come
        from the latest /status reply however old, and the model would see no buttons.
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
