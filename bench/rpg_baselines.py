"""Baselines for Dungeon Quest: a random and an expert player, through the real MCP server.

Each game runs ``python -m neuronaut.servers.rpg --seed N`` over stdio and plays
it with the official MCP client, exactly as the agent would, then reports the
press at which each milestone was first seen in the chat:

    python bench/rpg_baselines.py --seeds 1 2 3 --max-presses 600

Exits non-zero if the expert misses level 5 or the first boss on any seed,
since then the game's balance (or the server) is broken.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from neuronaut.servers import chat_contract as contract
from neuronaut.servers.chat_contract import ChatMessage, MessageList
from neuronaut.servers.rpg.chat import SimulatedChat
from neuronaut.servers.rpg.policies import Policy, expert_policy, random_policy
from neuronaut.servers.rpg.status import parse_bosses, parse_status

CHAT = SimulatedChat.CHAT_ID
FIRST_BOSS = "Goblin King"
MILESTONES = ("Lv 2", "Lv 3", "Lv 5", "Boss")
POLICIES: dict[str, Callable[[int], Policy]] = {
    "random": lambda seed: random_policy(seed),
    "expert": lambda seed: expert_policy(),
}


async def _messages(session: ClientSession) -> list[ChatMessage]:
    result = await session.call_tool(contract.GET_MESSAGES, {"chat_id": CHAT, "limit": 20})
    return MessageList.model_validate(result.structuredContent).messages


def _note(marks: dict[str, int], messages: list[ChatMessage], press: int) -> None:
    for message in messages:
        status = parse_status(message.text)
        for level in (2, 3, 5):
            if status and status["level"] >= level:
                marks.setdefault(f"Lv {level}", press)
        if FIRST_BOSS in (parse_bosses(message.text) or []):
            marks.setdefault("Boss", press)


async def play(policy: Policy, seed: int, max_presses: int) -> dict[str, int]:
    """Play one game; returns {milestone: press count when first reached}."""
    server = StdioServerParameters(command=sys.executable, args=["-m", "neuronaut.servers.rpg", "--seed", str(seed)])
    marks: dict[str, int] = {}
    async with stdio_client(server) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        await session.call_tool(contract.SEND_MESSAGE, {"chat_id": CHAT, "text": "/start"})
        for press in range(1, max_presses + 1):
            messages = await _messages(session)
            _note(marks, messages, press - 1)
            if len(marks) == len(MILESTONES):
                break
            screen = next(m for m in reversed(messages) if m.buttons)
            button = policy(screen)
            result = await session.call_tool(
                contract.PRESS_INLINE_BUTTON, {"chat_id": CHAT, "button_index": button.index}
            )
            if result.isError:
                raise RuntimeError(f"press {press} of {button.text!r} failed: {result.content}")
        else:
            _note(marks, await _messages(session), max_presses)
    return marks


def _table(results: dict[tuple[str, int], dict[str, int]], seeds: list[int]) -> str:
    names = list(POLICIES)
    header = ["seed"] + [f"{name} {m}" for name in names for m in MILESTONES]
    rows = [header]
    for seed in seeds:
        rows.append([str(seed)] + [str(results[name, seed].get(m, "—")) for name in names for m in MILESTONES])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


async def main_async(seeds: list[int], max_presses: int) -> int:
    results = {}
    for name, make in POLICIES.items():
        for seed in seeds:
            results[name, seed] = await play(make(seed), seed, max_presses)
    print(f"Presses until each milestone (max {max_presses}; — = not reached)")
    print(_table(results, seeds))
    failed = [seed for seed in seeds if not {"Lv 5", "Boss"} <= results["expert", seed].keys()]
    if failed:
        print(f"FAIL: the expert missed level 5 or the {FIRST_BOSS} on seeds {failed}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--max-presses", type=int, default=600)
    args = parser.parse_args(argv)
    return asyncio.run(main_async(args.seeds, args.max_presses))


if __name__ == "__main__":
    sys.exit(main())
