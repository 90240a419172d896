"""Where the time of a step goes: LLM prefill, LLM decode, tool calls, retrieval, checkpointing.

    python bench/step_profile.py [--model qwen2.5-coder-1.5b] [--steps 20] [--goal "reach level 5"]

Runs the real agent (real model, RPG server over stdio, Chroma, SQLite) for a
fixed number of steps in a temporary home, then prints per-node figures and,
per step, the prompt tokens against the tokens actually prefilled — the gap is
llama.cpp's KV-prefix reuse.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from contextlib import AsyncExitStack
from pathlib import Path

from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from neuronaut.api import open_services, prepare_data_dirs
from neuronaut.graph import build_graph
from neuronaut.settings import Settings
from neuronaut.state import RunOptions, initial_state
from neuronaut.worlds import get_world


class TimedSaver(AsyncSqliteSaver):
    """The real SQLite saver, timing every write."""

    spent_s = 0.0
    writes = 0

    async def aput(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return await super().aput(*args, **kwargs)
        finally:
            TimedSaver.spent_s += time.perf_counter() - started
            TimedSaver.writes += 1

    async def aput_writes(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return await super().aput_writes(*args, **kwargs)
        finally:
            TimedSaver.spent_s += time.perf_counter() - started


async def profile(settings: Settings, model: str | None, steps: int, goal: str) -> dict:
    prepare_data_dirs(settings)
    world = get_world("rpg", settings)
    async with AsyncExitStack() as stack:
        services = await open_services(stack, settings, world, "profile", model=model)
        saver = await stack.enter_async_context(TimedSaver.from_conn_string(str(settings.checkpoint_db)))
        graph = build_graph(checkpointer=saver)
        config = {"configurable": {"thread_id": "profile"}, "recursion_limit": 10_000}
        started = time.perf_counter()
        state = initial_state(goal, "rpg", RunOptions(max_steps=steps, use_skills=True, use_memory=True))
        await graph.ainvoke(state, config, context=services, durability="sync")
        wall = time.perf_counter() - started
        values = (await graph.aget_state(config)).values
    return {"values": values, "wall": wall}


def report(values: dict, wall: float) -> None:
    timings = values.get("timings", [])
    steps = values.get("step", 0)
    print(f"{steps} steps in {wall:.1f} s ({wall / max(steps, 1):.2f} s/step), status {values.get('status')}\n")
    print(f"{'node':<9} {'calls':>5} {'wall s':>8} {'prefill s':>9} {'decode s':>9} {'tools s':>8} {'retrieval s':>11} {'memory s':>9}")
    for node in ("perceive", "plan", "act", "verify", "learn"):
        rows = [t for t in timings if t["node"] == node]
        total = lambda key: sum(r.get(key, 0.0) for r in rows)  # noqa: E731
        print(f"{node:<9} {len(rows):>5} {total('wall_s'):>8.2f} {total('prefill_s'):>9.2f} {total('decode_s'):>9.2f} "
              f"{total('tool_s'):>8.2f} {total('retrieval_s'):>11.2f} {total('memory_s'):>9.2f}")
    node_sum = sum(t.get("wall_s", 0.0) for t in timings)
    print(f"{'checkpoint':<9} {TimedSaver.writes:>5} {TimedSaver.spent_s:>8.2f}   (SQLite writes, durability=sync)")
    print(f"{'other':<9} {'':>5} {max(wall - node_sum - TimedSaver.spent_s, 0):>8.2f}   (graph overhead)\n")
    plans = [t for t in timings if t["node"] == "plan"]
    print(f"{'step':>4} {'prompt tok':>10} {'prefilled':>9} {'reused':>7} {'decoded':>7} {'prefill s':>9} {'decode s':>8}")
    for t in plans:
        prompt, pre = t.get("prompt_tokens", 0), t.get("prefill_tokens", 0)
        reuse = 1 - pre / prompt if prompt else 0
        print(f"{t['step']:>4} {prompt:>10} {pre:>9} {reuse:>6.0%} {t.get('completion_tokens', 0):>7} "
              f"{t.get('prefill_s', 0):>9.2f} {t.get('decode_s', 0):>8.2f}")
    if plans:
        decode_tps = sum(t.get("completion_tokens", 0) for t in plans) / max(sum(t.get("decode_s", 0) for t in plans), 1e-9)
        prefill_tps = sum(t.get("prefill_tokens", 0) for t in plans) / max(sum(t.get("prefill_s", 0) for t in plans), 1e-9)
        print(f"\ndecode {decode_tps:.1f} tok/s, prefill {prefill_tps:.1f} tok/s, median prefilled tokens/step "
              f"{statistics.median(t.get('prefill_tokens', 0) for t in plans):.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--goal", default="reach level 5", help="a goal the run will not reach early")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        shared = Settings.load()
        settings = Settings.load(home=Path(home), models_path=shared.models_dir)  # reuse the assembled model
        result = asyncio.run(profile(settings, args.model, args.steps, args.goal))
        report(result["values"], result["wall"])


if __name__ == "__main__":
    main()
