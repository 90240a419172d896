"""Where the time of a step goes: LLM prefill, LLM decode, tool calls, retrieval, checkpointing.

    python bench/step_profile.py [--model qwen2.5-coder-1.5b] [--steps 20] [--goal "reach level 5"]

Runs the real agent (real model, RPG server over stdio, Chroma, SQLite) for a
fixed number of steps in a temporary home, then prints per-node figures and,
per step, the prompt tokens against the tokens actually prefilled — the gap is
llama.cpp's KV-prefix reuse.

The per-node records come from the run's events (every node emits its timing
record), not from the final state, which keeps only the last
``state.TIMINGS_WINDOW`` of them: every step of a long run counts.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

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


NODES = ("perceive", "plan", "act", "verify", "learn")
FIGURES = ("wall_s", "prefill_s", "decode_s", "tool_s", "retrieval_s", "memory_s")


class TimingLog:
    """An events callback keeping every node's timing record of the run."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    def __call__(self, event: dict[str, Any]) -> None:
        if isinstance(event.get("timing"), dict):
            self.records.append(dict(event["timing"]))


def aggregate(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Per node: call count and summed figures; plus the plan records in step order.

    A node that ran again for the same step (after an interrupt or a retry) counts once, with its last record.
    """
    latest = {(r.get("node"), r.get("step")): r for r in records}
    rows = list(latest.values())
    nodes = {}
    for node in NODES:
        mine = [r for r in rows if r.get("node") == node]
        nodes[node] = {"calls": len(mine), **{key: sum(r.get(key, 0.0) for r in mine) for key in FIGURES}}
    plans = sorted((r for r in rows if r.get("node") == "plan"), key=lambda r: r.get("step", 0))
    return {"nodes": nodes, "node_wall_s": sum(r.get("wall_s", 0.0) for r in rows), "plans": plans}


async def profile(settings: Settings, model: str | None, steps: int, goal: str) -> dict:
    prepare_data_dirs(settings)
    world = get_world("rpg", settings)
    async with AsyncExitStack() as stack:
        timings = TimingLog()
        services = await open_services(stack, settings, world, "profile", model=model, events=timings)
        saver = await stack.enter_async_context(TimedSaver.from_conn_string(str(settings.checkpoint_db)))
        graph = build_graph(checkpointer=saver)
        config = {"configurable": {"thread_id": "profile"}, "recursion_limit": 10_000}
        started = time.perf_counter()
        state = initial_state(goal, "rpg", RunOptions(max_steps=steps, use_skills=True, use_memory=True))
        await graph.ainvoke(state, config, context=services, durability="sync")
        wall = time.perf_counter() - started
        values = (await graph.aget_state(config)).values
    return {"values": values, "wall": wall, "timings": timings.records}


def report(values: dict, wall: float, timings: list[dict[str, Any]]) -> None:
    figures = aggregate(timings)
    steps = values.get("step", 0)
    print(f"{steps} steps in {wall:.1f} s ({wall / max(steps, 1):.2f} s/step), status {values.get('status')}\n")
    print(f"{'node':<9} {'calls':>5} {'wall s':>8} {'prefill s':>9} {'decode s':>9} {'tools s':>8} {'retrieval s':>11} {'memory s':>9}")
    for node, total in figures["nodes"].items():
        print(f"{node:<9} {total['calls']:>5} {total['wall_s']:>8.2f} {total['prefill_s']:>9.2f} "
              f"{total['decode_s']:>9.2f} {total['tool_s']:>8.2f} {total['retrieval_s']:>11.2f} "
              f"{total['memory_s']:>9.2f}")
    node_sum = figures["node_wall_s"]
    print(f"{'checkpoint':<9} {TimedSaver.writes:>5} {TimedSaver.spent_s:>8.2f}   (SQLite writes, durability=sync)")
    print(f"{'other':<9} {'':>5} {max(wall - node_sum - TimedSaver.spent_s, 0):>8.2f}   (graph overhead)\n")
    plans = figures["plans"]
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
        report(result["values"], result["wall"], result["timings"])


if __name__ == "__main__":
    main()
