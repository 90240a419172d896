"""The terminal: `neuronaut run | resume | worlds | models | mcp | skills | swift checks | servers | telegram login`.

The CLI owns the terminal: live progress on stderr, the summary on stdout,
and with ``--json`` the last stdout line is the RunResult. Errors a person must
fix print as one line and exit 2, with no traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Any

from neuronaut.errors import NeuronautError

EXIT_USAGE = 2


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        from neuronaut.settings import Settings

        settings = Settings.load()
        logging.basicConfig(level=getattr(logging, settings.log_level.upper(), logging.WARNING),
                            format="%(levelname)s %(name)s: %(message)s")
        return int(args.handler(args, settings) or 0)
    except NeuronautError as exc:
        print(f"neuronaut: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("neuronaut: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="neuronaut", description="A local-first, lifelong-learning agent.")
    sub = parser.add_subparsers(dest="command")

    run = sub.add_parser("run", help="pursue a goal in a world")
    run.add_argument("goal", nargs="?", default="", help="what to achieve (optional when the world implies it)")
    run.add_argument("--world", default=None, help="one of `neuronaut worlds` (default: the world setting, rpg)")
    run.add_argument("--spec", default=None, help="swift world: the README spec to build")
    run.add_argument("--servers", default=None, help="generic world: comma-separated MCP servers from settings")
    run.add_argument("--chat", default=None,
                     help="game world: the bot's chat, ID or @username (default: the only bot chat)")
    run.add_argument("--model", default=None, help="a preset name or a path to a .gguf file")
    run.add_argument("--max-steps", type=int, default=None)
    run.add_argument("--max-wall", type=float, default=None, help="time budget in seconds")
    run.add_argument("--max-tokens", type=int, default=None, help="token budget (prompt + completion)")
    run.add_argument("--thread", default=None, help="thread id for the checkpoint (default: a new one)")
    run.add_argument("--no-skills", action="store_true", help="ablation: no skill library")
    run.add_argument("--no-memory", action="store_true", help="ablation: no episodic memory")
    run.add_argument("--no-critic", action="store_true", help="ablation: no LLM critic")
    run.add_argument("--json", action="store_true", help="print the RunResult as JSON on the last line")
    run.add_argument("--approve-reads", action="store_true",
                     help="let tools that only read run without asking (writes still ask)")
    run.set_defaults(handler=_cmd_run)

    exp = sub.add_parser("explore", help="let the curriculum propose goals and pursue them until a budget or Ctrl-C")
    exp.add_argument("--world", default=None)
    exp.add_argument("--model", default=None)
    exp.add_argument("--goals", type=int, default=None, help="stop after this many goals")
    exp.add_argument("--steps", type=int, default=None, help="stop after this many steps in all")
    exp.add_argument("--max-steps-per-goal", type=int, default=None)
    exp.add_argument("--run-dir", default=None, help="where PROGRESS.md lives (default: checkpoints/explore/<world>)")
    exp.add_argument("--curriculum", choices=("model", "ladder", "random"), default="model",
                     help="who picks the next goal: the model among feasible candidates (default), the world's "
                          "ladder in order (manual curriculum), or chance")
    exp.add_argument("--no-curriculum", dest="curriculum", action="store_const", const="random",
                     help="ablation: goals drawn at random (same as --curriculum random)")
    exp.add_argument("--no-skills", action="store_true", help="ablation: no skill library")
    exp.add_argument("--no-memory", action="store_true", help="ablation: no episodic memory")
    exp.add_argument("--no-critic", action="store_true", help="ablation: no LLM critic")
    exp.set_defaults(handler=_cmd_explore)

    res = sub.add_parser("resume", help="continue a checkpointed run")
    res.add_argument("thread")
    res.add_argument("--model", default=None)
    res.add_argument("--max-steps", type=int, default=None, help="raise the step budget")
    res.add_argument("--json", action="store_true")
    res.add_argument("--approve-reads", action="store_true",
                     help="let tools that only read run without asking (writes still ask)")
    answer = res.add_mutually_exclusive_group()
    answer.add_argument("--approve", dest="approve", action="store_const", const=True, default=None,
                        help="allow the tool call the run is waiting on")
    answer.add_argument("--deny", dest="approve", action="store_const", const=False, help="refuse it")
    res.set_defaults(handler=_cmd_resume)

    status = sub.add_parser("status", help="checkpointed runs (safe while a run is writing)")
    status.add_argument("--limit", type=int, default=20)
    status.set_defaults(handler=_cmd_status)

    from neuronaut.llm.server import add_arguments

    serve = sub.add_parser("serve-model", help="serve a bundled model on an OpenAI-compatible HTTP endpoint")
    add_arguments(serve)
    serve.set_defaults(handler=_cmd_serve_model)

    models = sub.add_parser("models", help="list model presets and whether each is installed")
    models.set_defaults(handler=_cmd_models)

    from neuronaut.cli_plugins import add_parsers as add_plugin_parsers

    add_plugin_parsers(sub)  # worlds, mcp

    telegram = sub.add_parser("telegram", help="the real Telegram account")
    telegram.add_argument("action", choices=["login"], help="create a Telethon session string interactively")
    telegram.set_defaults(handler=_cmd_telegram)

    from neuronaut.cli_servers import add_parser as add_servers_parser
    from neuronaut.cli_skills import add_parser as add_skills_parser

    add_skills_parser(sub)
    from neuronaut.cli_swift import add_parser as add_swift_parser

    add_swift_parser(sub)
    add_servers_parser(sub)
    return parser


def _cmd_run(args: argparse.Namespace, settings: Any) -> int:
    from neuronaut.api import new_thread_id, run_goal

    world = args.world or settings.world
    thread = args.thread or new_thread_id(world)
    if args.approve_reads:
        settings = settings.model_copy(update={"approve_reads": True})
    try:
        result = run_goal(args.goal, world=world, model=args.model, max_steps=args.max_steps, thread_id=thread,
                          settings=settings, use_skills=not args.no_skills, use_memory=not args.no_memory,
                          events=Progress(), world_options=_world_options(args),
                          max_wall_s=args.max_wall, max_tokens=args.max_tokens,
                          approver=_ask_person if sys.stdin.isatty() else None, use_critic=not args.no_critic)
    except KeyboardInterrupt:
        print(f"neuronaut: interrupted; continue with: neuronaut resume {thread}", file=sys.stderr)
        return 130
    return _finish(result, args.json)


def _cmd_explore(args: argparse.Namespace, settings: Any) -> int:
    import asyncio
    from pathlib import Path

    from neuronaut.api import load_decision_model
    from neuronaut.learning.curriculum import Curriculum
    from neuronaut.learning.explore import explore
    from neuronaut.learning.progress_file import ProgressFile
    from neuronaut.worlds import get_world

    world = get_world(args.world or settings.world, settings)
    run_dir = Path(args.run_dir) if args.run_dir else settings.checkpoints_dir / "explore" / world.name
    settings.apply_process_environment()
    model = load_decision_model(settings, args.model)
    summary = asyncio.run(explore(
        world=world, settings=settings, curriculum=Curriculum.for_world(world, pick=args.curriculum), model=model,
        run_options={"use_skills": not args.no_skills, "use_memory": not args.no_memory,
                     "use_critic": not args.no_critic},
        progress_file=ProgressFile(run_dir, world=world.name), budget_goals=args.goals, budget_steps=args.steps,
        max_steps_per_goal=args.max_steps_per_goal,
        world_options=world.explore_options(),
    ))
    for attempt in summary.attempts:
        print(f"{attempt.status:<17} {attempt.goal:<32} {attempt.steps:>4} steps {attempt.llm_calls:>4} LLM calls")
    print(f"stopped: {summary.stop_reason}\nprogress file: {run_dir / 'PROGRESS.md'}")
    return 0


def _cmd_resume(args: argparse.Namespace, settings: Any) -> int:
    from neuronaut.api import resume

    if args.approve_reads:
        settings = settings.model_copy(update={"approve_reads": True})
    result = resume(args.thread, settings=settings, model=args.model, max_steps=args.max_steps, events=Progress(),
                    approve=args.approve, approver=_ask_person if sys.stdin.isatty() else None)
    return _finish(result, args.json)


def _world_options(args: argparse.Namespace) -> dict[str, Any] | None:
    options: dict[str, Any] = {}
    if args.spec:
        options["spec"] = args.spec
    if args.servers:
        options["servers"] = [s.strip() for s in args.servers.split(",") if s.strip()]
    if getattr(args, "chat", None):
        options["chat"] = args.chat
    return options or None


def _ask_person(question: dict[str, Any]) -> bool | str:
    reply = input(f"\n{question.get('question', 'Allow this action?')} [y/N/a = always allow this tool] ")
    if reply.strip().lower() in ("a", "always"):
        return "always"  # the act node remembers the tool as allowed
    return reply.strip().lower() in ("y", "yes")


def _finish(result: Any, as_json: bool) -> int:
    lines = [
        f"status      {result.status}" + (f" ({result.stop_reason})" if result.stop_reason else ""),
        f"goal        {result.goal}",
        f"thread      {result.thread_id}",
        f"steps       {result.steps}" + (f" (resumed from step {result.resumed_from_step})"
                                          if result.resumed_from_step is not None else ""),
        f"llm calls   {result.llm_calls}",
        f"tokens      {result.prompt_tokens} prompt + {result.completion_tokens} completion",
        f"wall time   {result.wall_s:.1f} s",
        f"skills      learned: {', '.join(result.skills_learned) or '—'}; used: {', '.join(result.skills_used) or '—'}",
    ]
    if getattr(result, "answer", ""):
        lines.append(f"answer      {result.answer}")
    print("\n".join(lines))
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    return 0 if result.status == "achieved" else 1


def _cmd_status(args: argparse.Namespace, settings: Any) -> int:
    import asyncio

    from neuronaut.api import peek_runs

    rows = asyncio.run(peek_runs(settings, limit=args.limit))
    if not rows:
        print(f"no runs in {settings.checkpoint_db}")
    for row in rows:
        print(f"{row['thread_id']:<34} {row['status']:<17} step {row['step']:>4}  {row['checkpoints']:>4} ckpts  "
              f"{row['goal']}")
    return 0


def _cmd_serve_model(args: argparse.Namespace, settings: Any) -> int:
    from neuronaut.llm.server import run

    return int(run(args, settings) or 0)


def _cmd_models(args: argparse.Namespace, settings: Any) -> int:
    from neuronaut.llm.presets import DEFAULT_PRESET, PRESETS, status

    for name, preset in PRESETS.items():
        mark = "*" if name == DEFAULT_PRESET else " "
        print(f"{mark} {name:<20} {status(preset, settings.models_dir):<42} {preset.description}")
    return 0


def _cmd_telegram(args: argparse.Namespace, settings: Any) -> int:
    import asyncio

    from neuronaut.servers.telegram.login import login_interactive

    api_id = settings.telegram_api_id or int(input("API id (from my.telegram.org): ").strip() or 0)
    api_hash = settings.telegram_api_hash or input("API hash: ").strip()
    session = asyncio.run(login_interactive(api_id, api_hash))
    print("Logged in. Keep this session string private: it is a full credential for the account.", file=sys.stderr)
    print("Store it as NEURONAUT_TELEGRAM_SESSION or telegram_session in neuronaut.toml (mode 0600):", file=sys.stderr)
    print(session)
    return 0


class Progress:
    """Live, one line per node, on stderr (stdout stays clean for --json)."""

    def __call__(self, event: dict[str, Any]) -> None:
        node, step = event.get("node"), event.get("step", 0)
        detail = ""
        if node == "perceive":
            detail = " ".join(str(event.get("observation", "")).split())[:90]
        elif node == "plan":
            decision = event.get("decision") or {}
            detail = decision.get("error") or f"{decision.get('tool')}({_args(decision.get('args', {}))})"
        elif node == "act":
            detail = ("ok: " if event.get("ok") else "failed: ") + str(event.get("outcome", ""))[:90]
        elif node == "verify":
            detail = str((event.get("verdict") or {}).get("reason", ""))[:90]
        elif node == "learn":
            detail = str(event.get("status", ""))
        print(f"[{step:>3}] {node:<8} {event.get('wall_s', 0):6.2f}s  {detail}", file=sys.stderr, flush=True)


def _args(args: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in args.items())


if __name__ == "__main__":
    sys.exit(main())
