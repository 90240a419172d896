"""The Swift world: build a Swift executable package from a README until its examples pass."""

from __future__ import annotations

from typing import Any

from neuronaut.settings import Settings
from neuronaut.worlds import WorldPlugin
from neuronaut.worlds.base import World


def create(settings: Settings, **options: Any) -> World:
    from neuronaut.worlds.swift.world import SwiftWorld

    return SwiftWorld(**options)


plugin = WorldPlugin("swift", "a Swift executable package built from a README until its examples pass", create)
