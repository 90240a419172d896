"""The generic world: any MCP servers declared in settings; the critic judges the final answer."""

from __future__ import annotations

from typing import Any

from neuronaut.settings import Settings
from neuronaut.worlds import WorldPlugin
from neuronaut.worlds.base import World


def create(settings: Settings, **options: Any) -> World:
    from neuronaut.worlds.generic.world import GenericWorld

    return GenericWorld(settings, **options)


plugin = WorldPlugin("generic", "any MCP servers declared as [servers.<name>]; the critic judges the final answer",
                     create)
