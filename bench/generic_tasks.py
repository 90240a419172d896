"""Questions with checked answers over MCP servers from PyPI that no prompt here was written for.

    python bench/generic_tasks.py [--model qwen2.5-coder-1.5b] [--tasks shop-shipped,time-tokyo] [--max-steps 8]
                                  [--sqlite PATH] [--calculator PATH]

Servers: ``mcp-server-sqlite`` on a small shop database the bench creates, ``mcp-server-time``,
``mcp-server-git`` on a repository the bench creates, ``mcp-server-calculator``, and NeuroNaut's own files
server on notes whose answers sit past the first 160 characters of the file. Each task runs in a fresh
home with the generic world, reads allowed up front (``approve_reads``) and every approval question answered
yes and counted, as a person at the terminal would. Prints per task: answer correct, tool calls, approvals
asked, write tools called, LLM calls, wall time. Tasks marked ``held-out`` were never run while the prompts
and the generic world were tuned.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from neuronaut.api import arun_goal, load_decision_model
from neuronaut.cli import Progress
from neuronaut.settings import Settings
from neuronaut.tools.hub import ToolHub
from neuronaut.worlds import get_world

CITIES = ("Lyon", "Oslo", "Porto", "Quito")
STATUSES = ("shipped", "pending", "cancelled", "shipped", "delivered")


@dataclass(frozen=True)
class Task:
    name: str
    server: str
    goal: str
    expected: str  # the answer must contain it (numbers are compared as numbers)
    held_out: bool = False


def shop_rows() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    customers = [(n, f"Customer {chr(64 + n)}", CITIES[(n * 7) % 4]) for n in range(1, 13)]
    orders = [(n, 1 + (n * 5) % 12 if n <= 40 else 4, round(10 + (n * 37) % 90 + (n % 3) * 0.5, 2),
               STATUSES[n % 5]) for n in range(1, 43)]
    return customers, orders


def make_shop(path: Path) -> None:
    customers, orders = shop_rows()
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, city TEXT)")
        db.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), "
                   "total REAL, status TEXT)")
        db.executemany("INSERT INTO customers VALUES (?, ?, ?)", customers)
        db.executemany("INSERT INTO orders VALUES (?, ?, ?, ?)", orders)


def shop_answers() -> dict[str, str]:
    customers, orders = shop_rows()
    city = {cid: c for cid, _, c in customers}
    spent: dict[str, float] = {}
    for _, cid, total, _ in orders:
        spent[city[cid]] = spent.get(city[cid], 0) + total
    counts: dict[int, int] = {}
    for _, cid, _, _ in orders:
        counts[cid] = counts.get(cid, 0) + 1
    top = max(counts, key=lambda c: (counts[c], -c))
    return {"shipped": str(sum(1 for o in orders if o[3] == "shipped")),
            "city": max(spent, key=spent.get),
            "busiest": next(name for cid, name, _ in customers if cid == top),
            "porto": str(sum(1 for c in customers if c[2] == "Porto"))}


def make_repo(path: Path) -> None:
    path.mkdir()
    git = lambda *a, **env: subprocess.run(["git", "-C", str(path), *a], check=True, capture_output=True,  # noqa: E731
                                           env={"PATH": "/usr/bin:/bin", "HOME": str(path), **env})
    git("init", "-q")
    for n, (author, message) in enumerate([("Ada Byron", "Start the garden planner"),
                                           ("Lin Wei", "Add watering schedule"),
                                           ("Sam Okafor", "Fix frost dates for the north beds")]):
        (path / "planner.txt").write_text(f"version {n}\n")
        git("add", "planner.txt")
        name, email = author, author.split()[0].lower() + "@example.com"
        git("commit", "-qm", message, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email, GIT_COMMITTER_NAME=name,
            GIT_COMMITTER_EMAIL=email)


def make_notes(path: Path) -> None:
    path.mkdir()
    filler = [f"- {topic}: see the operations wiki for the current procedure." for topic in
              ("backups", "log rotation", "certificates", "alerts", "on-call", "deploys", "rollbacks")]
    (path / "service.md").write_text("# Ledger service\n\nOperational notes.\n\n" + "\n".join(filler)
                                     + "\n\n## Network\nThe service listens on port 8731 behind the proxy.\n")
    lines = [f"{n}. Routine check {n}: nothing to report for this item, move on to the next one." for n in
             range(1, 70)]
    lines.insert(55, "56. The maintenance code for the pumps is 5092.")
    (path / "manual.txt").write_text("\n".join(lines) + "\n")


def tasks() -> list[Task]:
    shop = shop_answers()
    london = datetime.now(ZoneInfo("Europe/London")).replace(hour=9, minute=30, second=0, microsecond=0)
    tokyo = london.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M")
    return [
        Task("shop-shipped", "shop", "How many orders have the status 'shipped'?", shop["shipped"]),
        Task("shop-city", "shop", "Which city's customers spent the most in total?", shop["city"]),
        Task("shop-busiest", "shop", "What is the name of the customer who placed the most orders?",
             shop["busiest"], held_out=True),
        Task("shop-porto", "shop", "How many customers live in Porto?", shop["porto"], held_out=True),
        Task("time-tokyo", "time", "What time is it in Tokyo when it is 09:30 in London today?", tokyo),
        Task("time-kolkata", "time", "What is the UTC offset of Asia/Kolkata right now?", "+05:30", held_out=True),
        Task("git-latest", "git", "What is the message of the most recent commit in the repository?",
             "Fix frost dates for the north beds"),
        Task("git-first-author", "git", "Who made the first commit in the repository?", "Ada Byron", held_out=True),
        Task("calc-product", "calculator", "What is 1234 * 5678 - 91?", str(1234 * 5678 - 91)),
        Task("calc-mixed", "calculator", "What is (17.5 + 2.25) * 8?", "158", held_out=True),
        Task("files-port", "files", "Which port does the service listen on, according to service.md?", "8731"),
        Task("files-code", "files", "What is the maintenance code for the pumps in manual.txt?", "5092",
             held_out=True),
    ]


def servers(kind: str, root: Path, sqlite: str, calculator: str) -> dict[str, Any]:
    python = sys.executable
    if kind == "shop":
        make_shop(root / "shop.db")
        return {"shop": {"command": sqlite, "args": ["--db-path", str(root / "shop.db")]}}
    if kind == "time":
        return {"time": {"command": python, "args": ["-m", "mcp_server_time"]}}
    if kind == "git":
        make_repo(root / "repo")
        return {"git": {"command": python, "args": ["-m", "mcp_server_git", "--repository", str(root / "repo")],
                        "fixed_args": {"repo_path": str(root / "repo")}}}
    if kind == "calculator":
        return {"calculator": {"command": calculator}}
    make_notes(root / "notes")
    return {"files": {"command": python, "args": ["-m", "neuronaut.servers.files", str(root / "notes")]}}


def correct(answer: str, expected: str) -> bool:
    if re.fullmatch(r"[+-]?\d+(\.\d+)?", expected):
        found = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", answer.replace(",", ""))]
        return float(expected) in found
    return expected.lower() in answer.lower()


async def write_tools(settings: Settings) -> set[str]:
    """The tools the generic world takes to write, from the servers' own listing."""
    world = get_world("generic", settings)
    async with ToolHub(world.servers(settings, "bench")) as hub:
        return {name for name, spec in hub.catalogue.items() if not world.access(spec).reads}


async def run_task(task: Task, model: Any, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"nn-{task.name}-") as tmp:
        root = Path(tmp)
        settings = Settings.load(env={"NEURONAUT_HOME": str(root / "home")}, approve_reads=True,
                                 servers=servers(task.server, root, args.sqlite, args.calculator))
        writes = await write_tools(settings)
        asked: list[str] = []
        decisions: list[str] = []
        called: list[str] = []

        progress = Progress() if args.verbose else None

        def events(event: dict[str, Any]) -> None:
            if progress is not None:
                progress(event)
            if event.get("node") == "plan":
                decisions.append(str((event.get("decision") or {}).get("tool", "")))
            elif event.get("node") == "act" and decisions:
                called.append(decisions[-1])

        def approver(question: dict[str, Any]) -> bool:
            asked.append(str(question.get("tool")))
            return True

        started = time.perf_counter()
        result = await arun_goal(task.goal, world="generic", settings=settings, decision_model=model,
                                 max_steps=args.max_steps, thread_id=task.name, events=events, approver=approver)
        return {"task": task.name, "held_out": task.held_out, "ok": correct(result.answer, task.expected),
                "status": result.status, "calls": sum(1 for c in called if c and c != "finish"),
                "asked": len(asked), "writes": sum(1 for c in called if c in writes), "llm": result.llm_calls,
                "wall_s": time.perf_counter() - started, "answer": result.answer, "expected": task.expected,
                "tools": " ".join(called)}


def report(rows: list[dict[str, Any]]) -> None:
    print(f"{'task':<18}{'set':<9}{'correct':<9}{'status':<18}{'calls':>6}{'asked':>6}{'writes':>7}{'llm':>5}"
          f"{'wall s':>8}  answer (expected)")
    for r in rows:
        print(f"{r['task']:<18}{'held-out' if r['held_out'] else 'tuning':<9}{'yes' if r['ok'] else 'no':<9}"
              f"{r['status']:<18}{r['calls']:>6}{r['asked']:>6}{r['writes']:>7}{r['llm']:>5}{r['wall_s']:>8.1f}  "
              f"{r['answer'][:70]!r} ({r['expected']})")
        print(f"{'':<18}tools: {r['tools']}")
    for label, chosen in (("tuning", [r for r in rows if not r["held_out"]]),
                          ("held-out", [r for r in rows if r["held_out"]]), ("all", rows)):
        if chosen:
            right = sum(r["ok"] for r in chosen)
            print(f"{label:<9} {right}/{len(chosen)} correct ({100 * right / len(chosen):.0f} %), "
                  f"write tools called: {sum(r['writes'] for r in chosen)}, "
                  f"approvals asked: {sum(r['asked'] for r in chosen)}")


def main() -> None:
    bin_dir = Path(sys.executable).parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--tasks", default="", help="comma-separated task names (default: all)")
    parser.add_argument("--max-steps", type=int, default=8)
    parser.add_argument("--verbose", action="store_true", help="print each step on stderr, as `neuronaut run` does")
    parser.add_argument("--sqlite", default=str(bin_dir / "mcp-server-sqlite"), help="the mcp-server-sqlite command")
    parser.add_argument("--calculator", default=str(bin_dir / "mcp-server-calculator"),
                        help="the mcp-server-calculator command")
    args = parser.parse_args()
    chosen = [t for t in tasks() if not args.tasks or t.name in args.tasks.split(",")]
    missing = {"shop": args.sqlite, "calculator": args.calculator}
    for kind, command in missing.items():
        if not Path(command).exists():
            print(f"skipping the {kind} tasks: {command} not found (pip install the server or pass its path)")
            chosen = [t for t in chosen if t.server != kind]
    model = load_decision_model(Settings.load(), args.model)
    rows: list[dict[str, Any]] = []
    try:
        asyncio.run(run_all(chosen, model, args, rows))
    finally:
        model.close()
        report(rows)


async def run_all(chosen: list[Task], model: Any, args: argparse.Namespace, rows: list[dict[str, Any]]) -> None:
    for task in chosen:
        rows.append(await run_task(task, model, args))
        row = rows[-1]
        print(f"done {task.name}: {'correct' if row['ok'] else 'wrong'}, {row['calls']} calls, {row['asked']} asked, "
              f"{row['writes']} writes, {row['wall_s']:.0f} s, answer {row['answer']!r}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
