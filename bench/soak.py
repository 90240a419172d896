"""Soak: one long run, sampling memory and storage every N steps — all of it should stay bounded.

    python bench/soak.py [--steps 1000] [--every 100] [--scripted] [--model smollm2-135m] [--keep]

The real agent (RPG server over stdio, SQLite checkpoints with pruning, the tool
ledger, Chroma memory, the skill library) in a fresh NEURONAUT_HOME, with the
tiny model or, with ``--scripted``, the scripted fighter policy (no LLM: minutes
instead of hours). Every ``--every`` steps it prints the agent's RSS, the MCP
server's RSS, the checkpoint database (file + WAL, rows), the ledger, the
memory and skill counts and the game's state file; at the end, the growth over
the second half of the run per 100 steps, which is what "bounded" is judged on.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import deque
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver  # noqa: E402

from neuronaut.api import open_services, prepare_data_dirs  # noqa: E402
from neuronaut.graph import build_graph  # noqa: E402
from neuronaut.settings import Settings  # noqa: E402
from neuronaut.state import RunOptions, initial_state  # noqa: E402
from neuronaut.storage import configure_saver_connection  # noqa: E402
from neuronaut.worlds import get_world  # noqa: E402

THREAD = "soak"
TINY_MODEL = "smollm2-135m"


@dataclass
class Sample:
    step: int
    wall_s: float
    rss_mb: float
    server_rss_mb: float
    db_kb: float
    db_rows: int
    writes_rows: int
    ledger_kb: float
    ledger_rows: int
    memories: int
    skills: int
    chat_kb: float

    HEADER = (f"{'step':>5} {'wall s':>7} {'RSS MB':>7} {'srv MB':>7} {'ckpt KB':>8} {'ckpts':>6} {'writes':>6} "
              f"{'ledger KB':>9} {'calls':>6} {'memory':>6} {'skills':>6} {'game KB':>7}")

    def row(self) -> str:
        return (f"{self.step:>5} {self.wall_s:>7.0f} {self.rss_mb:>7.1f} {self.server_rss_mb:>7.1f} {self.db_kb:>8.0f} "
                f"{self.db_rows:>6} {self.writes_rows:>6} {self.ledger_kb:>9.0f} {self.ledger_rows:>6} "
                f"{self.memories:>6} {self.skills:>6} {self.chat_kb:>7.0f}")


def rss_mb(pid: int | str = "self") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def child_pids() -> list[int]:
    pids = []
    for task in Path("/proc/self/task").iterdir():
        try:
            pids += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return pids


def size_kb(*paths: Path) -> float:
    return sum(p.stat().st_size for p in paths if p.exists()) / 1024


def rows(db: Path, query: str, *params: Any) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute(query, params).fetchone()[0]
    except sqlite3.OperationalError:  # the saver creates its tables on first use
        return 0
    finally:
        conn.close()


def sample(settings: Settings, services: Any, step: int, started: float) -> Sample:
    db, ledger = settings.checkpoint_db, settings.ledger_db
    return Sample(
        step=step, wall_s=time.perf_counter() - started, rss_mb=rss_mb(),
        server_rss_mb=sum(rss_mb(pid) for pid in child_pids()),
        db_kb=size_kb(db, Path(f"{db}-wal")),
        db_rows=rows(db, "select count(*) from checkpoints where thread_id=?", THREAD),
        writes_rows=rows(db, "select count(*) from writes where thread_id=?", THREAD),
        ledger_kb=size_kb(ledger, Path(f"{ledger}-wal")),
        ledger_rows=rows(ledger, "select count(*) from tool_calls"),
        memories=services.memory.count() if services.memory is not None else 0,
        skills=len(services.skills.list()) if services.skills is not None else 0,
        chat_kb=size_kb(*settings.worlds_dir.glob("rpg-*.json")),
    )


async def soak(settings: Settings, steps: int, every: int, goal: str, scripted: bool,
               use_memory: bool = True) -> tuple[list[Sample], dict]:
    prepare_data_dirs(settings)
    world = get_world("rpg", settings)
    samples: list[Sample] = []
    async with AsyncExitStack() as stack:
        model = None
        if scripted:
            from neuronaut.llm.scripted import ScriptedModel
            from tests.helpers import fighter

            model = ScriptedModel(fallback=fighter)
            model.calls = deque(maxlen=1)  # it records every prompt: over 1,000 steps that is the harness's RSS
        holder: dict[str, Any] = {}
        started = time.perf_counter()

        def on_event(event: dict[str, Any]) -> None:
            if event.get("node") == "learn" and event.get("step", 0) % every == 0:
                samples.append(sample(settings, holder["services"], event["step"], started))
                print(samples[-1].row(), flush=True)

        services = await open_services(stack, settings, world, THREAD, decision_model=model, events=on_event)
        holder["services"] = services
        saver = await stack.enter_async_context(AsyncSqliteSaver.from_conn_string(str(settings.checkpoint_db)))
        await configure_saver_connection(saver.conn)
        graph = build_graph(checkpointer=saver)
        config = {"configurable": {"thread_id": THREAD}, "recursion_limit": 1_000_000}
        print(Sample.HEADER, flush=True)
        samples.append(sample(settings, services, 0, started))
        print(samples[-1].row(), flush=True)
        state = initial_state(goal, "rpg", RunOptions(max_steps=steps, use_skills=True, use_memory=use_memory))
        await graph.ainvoke(state, config, context=services, durability="sync")
        values = (await graph.aget_state(config)).values
        if not samples or samples[-1].step != values.get("step"):
            samples.append(sample(settings, services, values.get("step", 0), started))
            print(samples[-1].row(), flush=True)
    return samples, values


def growth(samples: list[Sample]) -> str:
    """Growth per 100 steps over the second half of the run."""
    if len(samples) < 3:
        return "too few samples to judge growth"
    last = samples[-1]
    mid = min(samples, key=lambda s: abs(s.step - last.step / 2))
    span = max(last.step - mid.step, 1) / 100
    per = lambda field: (getattr(last, field) - getattr(mid, field)) / span  # noqa: E731
    return (f"second half (steps {mid.step}→{last.step}), per 100 steps: RSS {per('rss_mb'):+.1f} MB, server RSS "
            f"{per('server_rss_mb'):+.1f} MB, checkpoint DB {per('db_kb'):+.0f} KB ({per('db_rows'):+.0f} checkpoints), "
            f"ledger {per('ledger_kb'):+.0f} KB ({per('ledger_rows'):+.0f} calls), memory {per('memories'):+.0f} items, "
            f"skills {per('skills'):+.1f}, game state {per('chat_kb'):+.0f} KB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--every", type=int, default=100, help="sample every N steps")
    parser.add_argument("--scripted", action="store_true", help="the scripted fighter instead of a model")
    parser.add_argument("--model", default=TINY_MODEL)
    parser.add_argument("--goal", default="reach level 99", help="a goal the run will not reach")
    parser.add_argument("--real-embeddings", action="store_true", help="MiniLM instead of hash embeddings")
    parser.add_argument("--no-memory", action="store_true", help="ablation: no episodic memory writes")
    parser.add_argument("--when-stuck", choices=("steer", "stop"), default="steer",
                        help="steer (default): a cycling model is pushed on, so the run lasts its steps")
    parser.add_argument("--keep", action="store_true", help="keep the home directory (printed)")
    args = parser.parse_args(argv)
    home = Path(tempfile.mkdtemp(prefix="soak-"))
    shared = Settings.load()
    env = {"NEURONAUT_HOME": str(home), "NEURONAUT_MODEL": args.model, "NEURONAUT_N_CTX": "4096",
           "NEURONAUT_WHEN_STUCK": args.when_stuck}
    if not args.real_embeddings:
        env["NEURONAUT_EMBEDDING_MODEL"] = "hash-64"
    # The retention caps are the user's (environment or neuronaut.toml), e.g. NEURONAUT_MEMORY_STEPS_KEPT=100.
    caps = {name: getattr(shared, name)
            for name in ("checkpoints_kept", "ledger_steps_kept", "memory_steps_kept", "n_threads")}
    settings = Settings.load(env=env, models_path=shared.models_dir, **caps)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    print(f"soak: {args.steps} steps, {'scripted fighter' if args.scripted else args.model}, goal {args.goal!r}, "
          f"checkpoints kept per thread {settings.checkpoints_kept}, ledger steps kept per thread "
          f"{settings.ledger_steps_kept}, memory steps kept per world {settings.memory_steps_kept}, when stuck: "
          f"{settings.when_stuck}, home {home}",
          flush=True)
    try:
        samples, values = asyncio.run(soak(settings, args.steps, args.every, args.goal, args.scripted,
                                           use_memory=not args.no_memory))
        print(f"\nended: {values.get('status')} at step {values.get('step')} ({values.get('stop_reason', '')})")
        print(growth(samples))
    finally:
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
