"""How well a learned routine carries over: learn "reach level 2" in one game, then solve it in others with no model.

No LLM: a scripted player learns the skill through the real agent (RPG server over
stdio, SQLite, Chroma with hash embeddings), then the same goal is pursued on
other seeds where the model may not be asked at all, so only the skill (run as a
habit) can reach it. Players, side by side:

- ``fighter``: always the most aggressive button (a clean routine);
- ``sloppy-30``: like the fighter, but 30 % of presses are any button on screen
  (Flee, Shop, a locked boss...), the kind of detours a small model's routine holds.

    python bench/skill_transfer.py --seeds 1 2 3 4 5 6 --games 5
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from neuronaut.api import arun_goal  # noqa: E402
from neuronaut.llm.scripted import ScriptedModel  # noqa: E402
from neuronaut.settings import Settings  # noqa: E402
from tests.helpers import CRITIC_ANSWER, fighter, is_critic, offered  # noqa: E402

Policy = Callable[[list[Any], dict[str, Any]], dict[str, Any]]


def sloppy(share: float, seed: int) -> Policy:
    rng = random.Random(seed)

    def policy(messages: list[Any], schema: dict[str, Any]) -> dict[str, Any]:
        buttons = offered(schema)
        if not is_critic(schema) and buttons and rng.random() < share:
            return {"thought": "try", "tool": "press_inline_button", "args": {"button_text": rng.choice(buttons)}}
        return fighter(messages, schema)

    return policy


def idle(messages: list[Any], schema: dict[str, Any]) -> dict[str, Any]:
    """What the model does if asked: nothing useful, so only the skill can reach the goal."""
    if is_critic(schema):
        return CRITIC_ANSWER
    return {"thought": "look", "tool": "send_message", "args": {"text": "/status"}}


PLAYERS: dict[str, Callable[[int], Policy]] = {
    "fighter": lambda seed: fighter,
    "sloppy-30": lambda seed: sloppy(0.3, seed),
}


async def trial(player: str, seed: int, games: int, goal: str) -> tuple[bool, list[int]]:
    """Learn on ``seed``; then the skill's tool calls on each other game (-1: goal not reached)."""
    with tempfile.TemporaryDirectory(prefix="transfer-") as home:
        base = Settings.load(env={"NEURONAUT_HOME": home, "NEURONAUT_EMBEDDING_MODEL": "hash-128"})
        learn = await arun_goal(goal, settings=base.with_world("rpg", seed=seed), thread_id="learn",
                                decision_model=ScriptedModel(fallback=PLAYERS[player](seed)), max_steps=120)
        if learn.status != "achieved" or not learn.skills_learned:
            return False, []
        calls = []
        for game in range(games):
            other = base.with_world("rpg", seed=1000 * seed + game + 1)
            result = await arun_goal(goal, settings=other, decision_model=ScriptedModel(fallback=idle),
                                     max_steps=1, thread_id=f"game-{game}")
            solved = result.status == "achieved" and result.llm_calls == 0
            calls.append(_tool_calls(other, f"game-{game}") if solved else -1)
        return True, calls


def _tool_calls(settings: Settings, thread: str) -> int:
    import sqlite3

    with sqlite3.connect(settings.ledger_db) as db:
        return db.execute("SELECT COUNT(*) FROM tool_calls WHERE thread_id = ?", (thread,)).fetchone()[0]


async def main_async(args: argparse.Namespace) -> None:
    print(f"{'player':<10} {'learned':>8} {'solved alone':>13}  median tool calls  (each learning seed)")
    for player in args.players:
        learned, results = 0, []
        per_seed = []
        for seed in args.seeds:
            ok, calls = await trial(player, seed, args.games, args.goal)
            learned += ok
            results += calls
            per_seed.append(f"{sum(c >= 0 for c in calls)}/{len(calls)}" if ok else "-")
        solved = [c for c in results if c >= 0]
        median = f"{statistics.median(solved):.0f}" if solved else "-"
        print(f"{player:<10} {learned:>4}/{len(args.seeds):<3} {len(solved):>6}/{len(results):<6} {median:>10}"
              f"          ({', '.join(per_seed)})", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5, 6])
    parser.add_argument("--games", type=int, default=5, help="other games per learning seed")
    parser.add_argument("--players", nargs="+", default=list(PLAYERS), choices=PLAYERS)
    parser.add_argument("--goal", default="reach level 2")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main_async(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
