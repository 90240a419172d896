"""The RPG world's own settings: ``[worlds.rpg]`` in neuronaut.toml or ``NEURONAUT_WORLDS='{"rpg": {...}}'``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from neuronaut.settings import Settings


class RpgSettings(BaseModel):
    seed: int = Field(1, description="The simulated game's seed: other monsters and rolls.")
    server: Literal["simulator", "telegram", "telegram-standin"] = Field(
        "simulator",
        description="Which server plays the RPG: the simulator, real Telegram, or Telethon on a stand-in network.",
    )
    chat: str | None = Field(None, description="The game bot's chat (id or @username) on real Telegram.")

    model_config = {"frozen": True, "extra": "forbid"}


def rpg_settings(settings: Settings) -> RpgSettings:
    return settings.world_section("rpg", RpgSettings)
