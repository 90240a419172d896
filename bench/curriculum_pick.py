"""Which goal does the curriculum's model pick first in a new RPG game? Side by side: candidates with and
without what each still takes ("own Leather Armour (costs 25 gold, 15 more than you have)").

The real bundled model (or ``--model``), the real curriculum and prompt, the new hero's state; no game is
played. The ladder's first rung, "reach level 2", is the one a new hero can reach.

    python bench/curriculum_pick.py --samples 10
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from neuronaut.api import load_decision_model  # noqa: E402
from neuronaut.learning.curriculum import Curriculum  # noqa: E402
from neuronaut.worlds.rpg.goals import rpg_space  # noqa: E402
from neuronaut.settings import Settings  # noqa: E402
from neuronaut.worlds.rpg.world import RpgWorld  # noqa: E402


async def picks(model, curriculum: Curriculum, samples: int) -> Counter[str]:
    counted: Counter[str] = Counter()
    for _ in range(samples):
        proposal = await curriculum.propose(model, world=RpgWorld(), progress=curriculum.space.start,
                                            completed=[], failed=[])
        counted[proposal.goal] += 1
    return counted


async def main_async(args: argparse.Namespace) -> None:
    model = await asyncio.to_thread(load_decision_model, Settings.load(), args.model)
    space = rpg_space()
    variants = {
        "with what each takes": space,
        "bare candidates": dataclasses.replace(space, needs=lambda goal, progress: ""),
    }
    try:
        for name, variant in variants.items():
            counted = await picks(model, Curriculum(variant), args.samples)
            share = counted["reach level 2"]
            others = ", ".join(f"{goal} {n}" for goal, n in counted.most_common() if goal != "reach level 2")
            print(f"{name:<22} reach level 2: {share}/{args.samples}   others: {others or 'none'}", flush=True)
    finally:
        getattr(model, "close", lambda: None)()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10, help="proposals per variant")
    parser.add_argument("--model", default=None, help="a preset or GGUF path (default: the settings' model)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main_async(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
