"""Fixtures for the game world's tests (the helpers are in ``gamekit``)."""

from tests.unit.worlds.game.gamekit import make_world

__all__ = ["make_world"]
