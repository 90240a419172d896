"""Worlds by name."""

from __future__ import annotations

from neuronaut.errors import UserError
from neuronaut.worlds.base import Check, Observation, World

WORLD_NAMES = ("rpg",)


def get_world(name: str) -> World:
    if name == "rpg":
        from neuronaut.worlds.rpg import RpgWorld

        return RpgWorld()
    raise UserError(f"unknown world {name!r}; known worlds: {', '.join(WORLD_NAMES)}")


__all__ = ["Check", "Observation", "World", "get_world", "WORLD_NAMES"]
