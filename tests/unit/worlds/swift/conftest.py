"""The world most Swift world tests start from: greet, with an empty package (no scaffolded manifest)."""

from __future__ import annotations

import pytest

from neuronaut.settings import Settings
from neuronaut.worlds.swift.world import SwiftWorld
from tests.unit.worlds.swift.fakes import GREET


@pytest.fixture
def world(settings: Settings) -> SwiftWorld:
    """An empty package: no manifest written for the model (scaffold=False)."""
    world = SwiftWorld(GREET, scaffold=False)
    world.servers(settings, "run 1")
    return world
