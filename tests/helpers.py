"""Scripted policies for the ScriptedModel: they read the decision schema, like a model would."""

from __future__ import annotations

import re
from typing import Any

from neuronaut.learning.critic import is_critic_schema

PREFERENCE = ("⚔️ Attack", "🔍 Explore", "🌲 Forest", "✅ Continue", "🏠 Town")


def offered(schema: dict[str, Any], tool: str = "press_inline_button", arg: str = "button_text") -> list[str]:
    """The values the schema allows for ``tool``'s argument ``arg`` (empty when none are offered)."""
    for branch in schema.get("anyOf", [schema]):
        if branch["properties"]["tool"].get("const") == tool:
            return list(branch["properties"]["args"]["properties"].get(arg, {}).get("enum", []))
    return []


def tools(schema: dict[str, Any]) -> list[str]:
    """The tools (and skills, as ``skill:<name>``) the schema offers."""
    return [branch["properties"]["tool"]["const"] for branch in schema.get("anyOf", [schema])]


is_critic = is_critic_schema


def saved_game(settings: Any, name: str, **hero: object) -> dict[str, str]:
    """A started game saved under ``name`` with the hero's fields set; the world options that play it."""
    from neuronaut.servers.rpg.chat import SimulatedChat
    from neuronaut.worlds.rpg.settings import rpg_settings

    chat = SimulatedChat(seed=rpg_settings(settings).seed, state_path=settings.worlds_dir / f"rpg-{name}.json")
    for field, value in hero.items():
        setattr(chat.bot.game, field, value)
    chat.send_message(chat.CHAT_ID, "/start")  # the town screen shows the hero so; the game is saved
    return {"game": name}


CRITIC_ANSWER = {"reasoning": "not there yet", "success": False, "critique": "keep winning fights for XP"}


def fighter(messages: list[Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Press the most aggressive button on screen: enough to reach level 2."""
    if is_critic(schema):
        return CRITIC_ANSWER
    buttons = offered(schema)
    choice = next((b for b in PREFERENCE if b in buttons), buttons[0] if buttons else "/start")
    if not buttons:
        return {"thought": "start the game", "tool": "send_message", "args": {"text": "/start"}}
    return {"thought": "fight for XP", "tool": "press_inline_button", "args": {"button_text": choice}}


def sends_forever(text: str):
    """A policy that sends ``text`` at every step (and answers the critic): a model stuck in a loop."""

    def policy(messages: list[Any], schema: dict[str, Any]) -> dict[str, Any]:
        if is_critic(schema):
            return CRITIC_ANSWER
        return {"thought": "again", "tool": "send_message", "args": {"text": text}}

    return policy


def hunter(messages: list[Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Compose the RPG's starter skills: hunt while HP is above half, else rest; press buttons without them."""
    if is_critic(schema):
        return CRITIC_ANSWER
    hp = re.findall(r"❤️ (\d+)/(\d+)", str(messages[-1].content))
    wounded = bool(hp) and int(hp[-1][0]) * 2 <= int(hp[-1][1])
    wanted = "skill:rest" if wounded else "skill:hunt"
    if wanted in tools(schema):
        return {"thought": "one skill for it", "tool": wanted, "args": {}}
    return fighter(messages, schema)
