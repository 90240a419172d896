"""The game world: any chat game bot behind an MCP server speaking the chat tools, learned from play."""

from __future__ import annotations

from typing import Any

from neuronaut.settings import Settings
from neuronaut.worlds import WorldPlugin
from neuronaut.worlds.base import World


def create(settings: Settings, **options: Any) -> World:
    from neuronaut.worlds.game.world import GameWorld

    return GameWorld(settings, **options)


plugin = WorldPlugin("game", "a chat game bot it has never seen, over any server speaking the chat tools "
                     "([servers.<name>] with worlds = [\"game\"])", create)
