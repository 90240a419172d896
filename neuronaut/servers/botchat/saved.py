"""A simulated game's random generator in its JSON state file, so a resumed game rolls what it would have rolled."""

from __future__ import annotations

import random
from typing import Any


def rng_to_json(rng: random.Random) -> list[Any]:
    version, internal, gauss = rng.getstate()
    return [version, list(internal), gauss]


def rng_from_json(saved: list[Any]) -> random.Random:
    version, internal, gauss = saved
    rng = random.Random()
    rng.setstate((version, tuple(internal), gauss))
    return rng
