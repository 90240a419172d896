"""The Telegram RPG world: a game bot played through inline buttons (Dungeon Quest by default)."""

from __future__ import annotations

from typing import Any

from neuronaut.errors import UserError
from neuronaut.settings import Settings
from neuronaut.worlds import WorldPlugin
from neuronaut.worlds.base import World


def create(settings: Settings, **options: Any) -> World:
    from neuronaut.worlds.rpg.world import RpgWorld  # the simulator's tables load with the world, not the list

    if settings.rpg_server == "simulator":
        return RpgWorld(**options)
    if settings.rpg_server == "telegram" and not settings.rpg_chat:
        raise UserError("rpg_server is 'telegram' but rpg_chat is not set: name the game bot's chat (@username or id)")
    chat = settings.rpg_chat if settings.rpg_server == "telegram" else None
    return RpgWorld(chat_id=chat, server=settings.rpg_server, **options)


plugin = WorldPlugin("rpg", "a Telegram RPG bot played through inline buttons (the simulated Dungeon Quest by default)",
                     create)
