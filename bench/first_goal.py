"""One goal on fresh games, our agent against LangGraph's ReAct baseline, every decision recorded.

    python bench/first_goal.py --variants full react --seeds 2 3 4 --goal "reach level 2" --max-steps 30

For each variant × seed: a fresh home and a fresh game (RPG over stdio), the goal pursued once, and the LLM
calls made before the world's checker saw it hold (``—`` if it never did). Every prompt and answer is
appended to ``--out`` (JSON lines), to read why a run went wrong; ``--show`` prints those decisions.
Variants: ``react``, ``full`` and ``full`` with parts off (``no-skills``, ``no-memory``, ``no-critic``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from learning_curve import Counted, arm_settings, read_game  # noqa: E402

from neuronaut.api import arun_goal  # noqa: E402
from neuronaut.learning.react_baseline import ReactBaseline  # noqa: E402
from neuronaut.services import load_decision_model  # noqa: E402
from neuronaut.settings import Settings  # noqa: E402
from neuronaut.tools.hub import ToolHub  # noqa: E402
from neuronaut.servers.chat_contract import GET_MESSAGES  # noqa: E402
from neuronaut.worlds.rpg.world import RpgWorld  # noqa: E402

VARIANTS = ("full", "react", "no-skills", "no-memory", "no-critic")


class Recorded(Counted):
    """Counts calls and dates milestones (``Counted``), and keeps each prompt's last turn and the answer."""

    def __init__(self, inner: Any, worlds_dir: Path) -> None:
        super().__init__(inner, worlds_dir)
        self.log: list[dict[str, Any]] = []

    async def decide(self, messages, schema):
        completion = await super().decide(messages, schema)
        self.log.append({"user": str(messages[-1].content), "answer": completion.raw, "game": read_game(self.worlds_dir)})
        return completion


async def run(variant: str, seed: int, base: Settings, inner: Any, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"first-{variant}-{seed}-") as tmp:
        settings = arm_settings(base, Path(tmp), seed)
        model, started = Recorded(inner, settings.worlds_dir), time.perf_counter()
        if variant == "react":
            world = RpgWorld()
            async with ToolHub(world.servers(settings, "react"), log_dir=settings.logs_dir) as hub:
                status = (await ReactBaseline(model, hub, world, reading=(GET_MESSAGES,)).run(args.goal, max_llm_calls=args.max_steps)).status
        else:
            switches = {f"use_{part}": f"no-{part}" != variant for part in ("skills", "memory", "critic")}
            status = (await arun_goal(args.goal, world="rpg", settings=settings, decision_model=model,
                                      thread_id="first", max_steps=args.max_steps, **switches)).status
        model.note()
        return {"variant": variant, "seed": seed, "status": status, "calls": model.calls, "marks": model.marks,
                "hero": read_game(settings.worlds_dir), "wall_s": round(time.perf_counter() - started),
                "log": model.log}


def show(path: Path) -> None:
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        print(f"{record['variant']} seed {record['seed']}: {record['status']}, {record['calls']} calls")
        for entry in record["log"]:
            screen = entry["user"].split("Observation (untrusted):")[-1].split("Goal:")[0]
            print(f"  {' '.join(screen.split())[-90:]}\n    → {entry['answer'][:160]}")


async def main_async(args: argparse.Namespace) -> None:
    base = Settings.load()
    inner = await asyncio.to_thread(load_decision_model, base, args.model)
    print(f"LLM calls until {args.goal!r} held (— : not within {args.max_steps} steps)")
    try:
        for seed in args.seeds:
            for variant in args.variants:
                result = await run(variant, seed, base, inner, args)
                with args.out.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(result, ensure_ascii=False) + "\n")
                held = result["calls"] if result["status"] == "achieved" else "—"
                print(f"  seed {seed} {variant:<10} {held:>4} calls   milestones at call {result['marks'] or '-'}"
                      f"   [{result['wall_s']} s]", flush=True)
    finally:
        getattr(inner, "close", lambda: None)()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", nargs="+", default=["full", "react"], choices=VARIANTS)
    parser.add_argument("--seeds", type=int, nargs="+", default=[2, 3, 4])
    parser.add_argument("--goal", default="reach level 2")
    parser.add_argument("--max-steps", type=int, default=30, help="steps (ReAct: LLM calls) for the goal")
    parser.add_argument("--model", default=None, help="a preset or GGUF path (default: the settings' model)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out" / "first_goal.jsonl")
    parser.add_argument("--show", type=Path, help="print the decisions recorded in this file, then exit")
    args = parser.parse_args(argv)
    if args.show:
        show(args.show)
        return 0
    logging.basicConfig(level=logging.WARNING)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    asyncio.run(main_async(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
