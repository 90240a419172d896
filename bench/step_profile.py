"""Where the time of a step goes: LLM prefill, LLM decode, tool calls, retrieval, checkpointing.

    python bench/step_profile.py [--model qwen2.5-coder-1.5b] [--steps 20] [--goal "reach level 5"] [--no-fresh]

Runs the real agent (real model, RPG server over stdio, Chroma, SQLite) for a
fixed number of steps in a temporary home, then prints per-node figures and,
per step, the prompt tokens against the tokens actually prefilled — the gap is
llama.cpp's KV-prefix reuse.

The per-node records come from the run's events (every node emits its timing
record), not from the final state, which keeps only the last
``state.TIMINGS_WINDOW`` of them: every step of a long run counts.

Non-LLM time per step is every node's wall time minus its model calls, plus the
step's share of the checkpoint writes (median and p90 over the steps).

Then the first decision of a fresh process (a one-step run in a new home), cold
and with the prefix state the profiled run saved, alternating, twice each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
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
    non_llm: dict[int, float] = {}
    for r in rows:
        llm = r["llm_s"] if "llm_s" in r else r.get("prefill_s", 0.0) + r.get("decode_s", 0.0)
        non_llm[r.get("step", 0)] = non_llm.get(r.get("step", 0), 0.0) + max(r.get("wall_s", 0.0) - llm, 0.0)
    return {"nodes": nodes, "node_wall_s": sum(r.get("wall_s", 0.0) for r in rows), "plans": plans,
            "non_llm_s": non_llm}


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
    per_step = sorted(v + TimedSaver.spent_s / max(len(figures["non_llm_s"]), 1) for v in figures["non_llm_s"].values())
    if per_step:
        p90 = per_step[min(len(per_step) - 1, int(0.9 * len(per_step)))]
        print(f"non-LLM work per step: median {1000 * statistics.median(per_step):.0f} ms, p90 {1000 * p90:.0f} ms "
              f"(nodes' wall minus model calls, plus checkpoint writes)\n")
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


def first_plan(timings: list[dict[str, Any]]) -> dict[str, Any]:
    plans = aggregate(timings)["plans"]
    return plans[0] if plans else {}


def fresh_first_decisions(args: argparse.Namespace, saved_cache: Path, pairs: int = 2) -> None:
    print("\nfirst decision in a fresh process (a one-step run in a new home)")
    print(f"{'prefix state':<24} {'plan wall s':>11} {'llm s':>7} {'prefilled':>9} {'of prompt':>9} {'load avg':>8}")
    for _ in range(pairs):
        for label, source in (("none (cold)", None), ("saved by the run above", saved_cache)):
            with tempfile.TemporaryDirectory() as home:
                if source is not None:
                    shutil.copytree(source, Path(home) / "checkpoints" / "prefix-cache")
                command = [sys.executable, __file__, "--steps", "1", "--goal", args.goal, "--home", home, "--json"]
                if args.model:
                    command += ["--model", args.model]
                out = subprocess.run(command, capture_output=True, text=True, check=True)
            plan = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{label:<24} {plan.get('wall_s', 0):>11.2f} {plan.get('llm_s', 0):>7.2f} "
                  f"{plan.get('prefill_tokens', 0):>9} {plan.get('prompt_tokens', 0):>9} {os.getloadavg()[0]:>8.2f}",
                  flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--goal", default="reach level 5", help="a goal the run will not reach early")
    parser.add_argument("--no-fresh", action="store_true", help="skip the fresh-process first decisions")
    parser.add_argument("--home", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    shared = Settings.load()
    if args.json:  # a child of fresh_first_decisions: one run, its first plan record as JSON
        settings = Settings.load(home=Path(args.home), models_path=shared.models_dir)
        result = asyncio.run(profile(settings, args.model, args.steps, args.goal))
        print(json.dumps(first_plan(result["timings"])))
        return
    print(f"load average at start {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as home:
        settings = Settings.load(home=Path(home), models_path=shared.models_dir)  # reuse the assembled model
        result = asyncio.run(profile(settings, args.model, args.steps, args.goal))
        print(f"load average at end {os.getloadavg()[0]:.2f}")
        report(result["values"], result["wall"], result["timings"])
        if not args.no_fresh:
            fresh_first_decisions(args, settings.checkpoints_dir / "prefix-cache")


if __name__ == "__main__":
    main()
