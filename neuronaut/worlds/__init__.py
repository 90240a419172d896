"""Worlds by name."""

from __future__ import annotations

from typing import Any

from neuronaut.errors import UserError
from neuronaut.settings import Settings
from neuronaut.worlds.base import Check, Observation, World

WORLD_NAMES = ("rpg", "swift", "generic")


def get_world(name: str, settings: Settings | None = None, **options: Any) -> World:
    """The world called ``name``; ``options`` are world-specific (e.g. ``spec`` for swift)."""
    if name == "generic":
        from neuronaut.worlds.generic import GenericWorld

        return GenericWorld(settings or Settings.load(), **options)
    if name == "swift":
        from neuronaut.worlds.swift.world import SwiftWorld

        return SwiftWorld(**options)
    if name == "rpg":
        from neuronaut.worlds.rpg import RpgWorld

        if settings is None or settings.rpg_server == "simulator":
            return RpgWorld(**options)
        if settings.rpg_server == "telegram" and not settings.rpg_chat:
            raise UserError("rpg_server is 'telegram' but rpg_chat is not set: name the game bot's chat (@username or id)")
        chat = settings.rpg_chat if settings.rpg_server == "telegram" else None
        return RpgWorld(chat_id=chat, server=settings.rpg_server, **options)
    raise UserError(f"unknown world {name!r}; known worlds: {', '.join(WORLD_NAMES)}")


__all__ = ["Check", "Observation", "World", "get_world", "WORLD_NAMES"]
