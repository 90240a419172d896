"""Worlds by name, found through the ``neuronaut.worlds`` entry-point group.

A world package registers a ``WorldPlugin`` (``name = "package.module:plugin"`` under
``[project.entry-points."neuronaut.worlds"]``); NeuroNaut's own worlds are registered the same way in its
``pyproject.toml``, so a world installed with pip is found exactly like them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

from neuronaut.errors import UserError
from neuronaut.settings import Settings
from neuronaut.worlds.base import Check, Goal, Observation, World
from neuronaut.worlds.configured import ConfiguredServers

ENTRY_POINT_GROUP = "neuronaut.worlds"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorldPlugin:
    name: str
    description: str  # one line, for `neuronaut worlds`
    create: Callable[..., World]  # (settings, **world options) -> World


def world_plugins() -> dict[str, WorldPlugin]:
    """The installed worlds by name; one that fails to load is logged and left out."""
    found: dict[str, WorldPlugin] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            plugin = entry.load()
        except Exception as exc:  # a broken third-party package must not take the others down
            log.warning("the world %r (%s) failed to load: %s", entry.name, entry.value, exc)
            continue
        if not isinstance(plugin, WorldPlugin):
            log.warning("the world entry point %r is not a WorldPlugin: %r", entry.name, plugin)
            continue
        found.setdefault(entry.name, plugin)
    return found


def get_world(name: str, settings: Settings | None = None, **options: Any) -> World:
    """The world called ``name``, joined by the servers declared in settings for it; ``options`` are
    world-specific (e.g. ``spec`` for swift)."""
    plugins = world_plugins()
    plugin = plugins.get(name)
    if plugin is None:
        raise UserError(f"unknown world {name!r}; installed worlds: {', '.join(sorted(plugins)) or 'none'}")
    settings = settings or Settings.load()
    world = plugin.create(settings, **options)
    if "configured" not in vars(world):  # a world that plays configured servers as its own says which join it
        world.configured = ConfiguredServers.serving(settings, name)
    return world


__all__ = ["Check", "Goal", "Observation", "World", "WorldPlugin", "get_world", "world_plugins"]
