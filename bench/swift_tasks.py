"""The agent on every bundled Swift spec: does the local model get each package to pass its README?

    python bench/swift_tasks.py [--model qwen2.5-coder-1.5b] [--specs greet fizzbuzz] [--max-steps 20]

Each task is a real run (``arun_goal`` in the swift world: real model, the
files and code servers over stdio, real ``swift build``) in a temporary home of
its own, so no task profits from another's memories or skills (``--shared-home``
lets them, to watch lifelong learning). The model is loaded once. One table
row per task: the outcome, examples passing at the end, steps, LLM calls, the
model's own builds and runs, the checker's builds, and wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neuronaut.api import arun_goal, load_decision_model
from neuronaut.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "swift"
BUILD_TOOLS = ("swift_build", "swift_run")


@dataclass
class Tally:
    """Counts what the run's events show: the model's build/run calls and the checker's last progress."""

    tools: list[str] = field(default_factory=list)
    progress: dict[str, Any] = field(default_factory=dict)
    trace: bool = False

    def __call__(self, event: dict[str, Any]) -> None:
        if event.get("node") == "plan":
            decision = event.get("decision") or {}
            self.tools.append(str(decision.get("tool", "")))
            if self.trace:
                print(f"  plan: {json.dumps(decision, ensure_ascii=False)[:1200]}", flush=True)
        elif event.get("node") == "verify":
            verdict = event.get("verdict") or {}
            self.progress = dict(verdict.get("progress") or {})
            if self.trace:
                print(f"  verify: {str(verdict.get('reason', ''))[:400]}", flush=True)


@dataclass
class Row:
    spec: str
    status: str
    passed: str
    steps: int
    llm_calls: int
    model_builds: int
    checks: int
    wall_s: float
    tokens: str = ""


async def run_task(spec: str, settings: Settings, decision_model: Any, max_steps: int, trace: bool = False) -> Row:
    tally = Tally(trace=trace)
    started = time.perf_counter()
    try:
        result = await arun_goal("", world="swift", world_options={"spec": f"examples/swift/{spec}/README.md"},
                                 settings=settings, decision_model=decision_model, max_steps=max_steps,
                                 thread_id=f"bench-{spec}-{int(time.time())}", events=tally)
    except Exception as exc:  # noqa: BLE001 - one broken task must not hide the others' results
        return Row(spec, f"error: {type(exc).__name__}: {exc}"[:60], "-", len(tally.tools), len(tally.tools),
                   _builds(tally), tally.progress.get("checks_run", 0), round(time.perf_counter() - started, 1))
    progress = tally.progress
    return Row(
        spec=spec, status=result.status, passed=f"{progress.get('passed', 0)}/{progress.get('total', '?')}",
        steps=result.steps, llm_calls=result.llm_calls, model_builds=_builds(tally),
        checks=progress.get("checks_run", 0), wall_s=result.wall_s,
        tokens=f"{result.prompt_tokens}/{result.completion_tokens}",
    )


def _builds(tally: Tally) -> int:
    return sum(tool in BUILD_TOOLS for tool in tally.tools)


def table(rows: list[Row]) -> str:
    header = ["spec", "status", "examples", "steps", "llm calls", "model builds", "checker builds", "wall s",
              "tokens in/out"]
    cells = [header] + [[r.spec, r.status, r.passed, str(r.steps), str(r.llm_calls), str(r.model_builds),
                         str(r.checks), f"{r.wall_s:.1f}", r.tokens] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def task_settings(base: Settings, home: Path) -> Settings:
    # The assembled model stays where it is: a temp home must not copy a 1 GB file.
    return Settings.load(home=home, models_path=base.models_dir, embedding_model=base.embedding_model,
                         tool_timeout_s=base.tool_timeout_s, max_decision_tokens=base.max_decision_tokens)


async def main_async(args: argparse.Namespace) -> list[Row]:
    # A decision may carry a whole main.swift: far more tokens than an RPG button press.
    base = Settings.load(models_path=args.models_dir, embedding_model=args.embedding,
                         max_decision_tokens=args.max_decision_tokens)
    model = await asyncio.to_thread(load_decision_model, base, args.model)
    rows: list[Row] = []
    try:
        with tempfile.TemporaryDirectory(prefix="swift-bench-") as tmp:
            for spec in args.specs:
                home = Path(tmp) / ("shared" if args.shared_home else spec)
                row = await run_task(spec, task_settings(base, home), model, args.max_steps, args.trace)
                rows.append(row)
                print(f"{spec}: {row.status} ({row.passed} examples, {row.steps} steps, {row.wall_s:.0f} s)",
                      flush=True)
    finally:
        model.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    specs = sorted(path.parent.name for path in EXAMPLES.glob("*/README.md"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="a preset or GGUF path (default: the settings' model)")
    parser.add_argument("--specs", nargs="+", default=specs, choices=specs, metavar="SPEC",
                        help=f"which specs to run (default: all of {', '.join(specs)})")
    parser.add_argument("--max-steps", type=int, default=20)
    parser.add_argument("--models-dir", type=Path, default=None, help="where the assembled model files are")
    parser.add_argument("--embedding", default=None, help="embedding model, e.g. hash-128 for no torch")
    parser.add_argument("--max-decision-tokens", type=int, default=768, help="room for a whole source file")
    parser.add_argument("--trace", action="store_true", help="print each decision and verdict as it happens")
    parser.add_argument("--shared-home", action="store_true", help="let later tasks use earlier tasks' memories")
    args = parser.parse_args(argv)
    rows = asyncio.run(main_async(args))
    print(f"\nSwift tasks, model {args.model or Settings.load().model}, at most {args.max_steps} steps each")
    print(table(rows))
    return 0 if all(row.status == "achieved" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
