"""The Telegram RPG world: a game bot played through inline buttons (Dungeon Quest by default)."""

from __future__ import annotations

from typing import Any

from neuronaut.errors import UserError
from neuronaut.settings import Settings
from neuronaut.worlds import WorldPlugin
from neuronaut.worlds.base import World


def create(settings: Settings, **options: Any) -> World:
    from neuronaut.worlds.rpg.settings import rpg_settings
    from neuronaut.worlds.rpg.world import RpgWorld  # the simulator's tables load with the world, not the list

    own = rpg_settings(settings)
    if own.server == "simulator":
        return RpgWorld(**options)
    if own.server == "telegram" and not own.chat:
        raise UserError("[worlds.rpg] server is 'telegram' but chat is not set: name the game bot's chat "
                        "(@username or id)")
    chat = own.chat if own.server == "telegram" else None
    return RpgWorld(chat_id=chat, server=own.server, **options)


plugin = WorldPlugin("rpg", "a Telegram RPG bot played through inline buttons (the simulated Dungeon Quest by default)",
                     create)
