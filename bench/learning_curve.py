"""Learning curves on the simulated RPG: milestones reached against LLM calls, per arm, over seeds.

    python bench/learning_curve.py --seeds 1 2 3 --llm-calls 300 [--model qwen2.5-coder-1.5b]
    python bench/learning_curve.py --smoke --seeds 1 --llm-calls 40     # plumbing only: a scripted model
    python bench/curve_report.py OUT_DIR...   # one table over runs made in separate processes (curve_report.py)

Arms: ``full`` (explore: curriculum + skills + memory + critic), the ablations
``no-skills``, ``no-memory``, ``no-critic``, ``no-curriculum`` (goals drawn at
random, Voyager's "random curriculum"), ``ladder`` (the hand-ordered ladder picks
goals without the model, Voyager's "manual curriculum"), and ``react``
(LangGraph's prebuilt ReAct agent, same model and tools, pursuing the ladder's goals in order). Each arm × seed plays ONE game in a
temporary home of its own (no arm profits from another's skills or memories);
the model is loaded once. With ``--lifelong`` an arm keeps one home across its
seeds, played in order: each seed is a new game (a level-1 hero, a progress file
of its own) but the skills and memories of the arm's earlier games are there, as
for an agent that runs for days. The first seed's game is the same either way;
the later ones show what experience is worth to each arm (ReAct keeps nothing). Every LLM call of an arm (plan, critic, curriculum,
ReAct) goes through a counter that first reads the game's state file, so a
milestone (level 2/3/5/7/9/11, the three bosses) is dated by the LLM calls made before
it showed: the same yardstick for every arm. Our arms run with
``when_stuck="steer"`` (an unattended run); ReAct has no such rail.

Then the "second solve": a goal solved on a fresh game, then again on another
fresh game with what the first run learned; the target is ≤ 20 % of the calls.
``--arms`` with no names runs the second solve alone.

One game spans an exploration's goals: each goal is its own thread, and all of
them play the saved game named ``bench-<arm>-<seed>`` (``rpg-<game>.json``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a checkout: the report sits beside it
    sys.path.insert(0, str(ROOT))

from bench.curve_report import MILESTONE_NAMES, plot, seed_by_seed, table  # noqa: E402
from neuronaut.api import arun_goal, load_decision_model  # noqa: E402
from neuronaut.learning.critic import is_critic_schema  # noqa: E402
from neuronaut.learning.curriculum import Curriculum, CurriculumExhausted  # noqa: E402
from neuronaut.learning.explore import explore  # noqa: E402
from neuronaut.worlds.rpg.goals import holds as rpg_holds  # noqa: E402
from neuronaut.worlds.rpg.rules import ladder as rpg_ladder  # noqa: E402
from neuronaut.learning.progress_file import ProgressFile  # noqa: E402
from neuronaut.learning.react_baseline import ReactBaseline  # noqa: E402
from neuronaut.llm.scripted import ScriptedModel  # noqa: E402
from neuronaut.settings import Settings  # noqa: E402
from neuronaut.tools.hub import ToolHub  # noqa: E402
from neuronaut.servers.chat_contract import GET_MESSAGES  # noqa: E402
from neuronaut.worlds.rpg.settings import rpg_settings  # noqa: E402
from neuronaut.worlds.rpg.world import RpgWorld  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
# Up the game's ladder far enough that no arm reaches them all within a short budget: once the full agent beat
# the first boss in 13 calls of 30, four milestones could no longer tell arms apart; once it beat the Crystal
# Golem in 20 calls of 30 (gold goals gone from the curriculum), six could not.
MILESTONES = dict(zip(MILESTONE_NAMES, (
    lambda g: g["level"] >= 2, lambda g: g["level"] >= 3, lambda g: g["level"] >= 5,
    lambda g: "goblin_king" in g["bosses"], lambda g: g["level"] >= 7, lambda g: "golem" in g["bosses"],
    lambda g: g["level"] >= 9, lambda g: g["level"] >= 11, lambda g: "dragon" in g["bosses"]), strict=True))
ARMS = ("full", "no-skills", "no-memory", "no-critic", "no-curriculum", "ladder", "react")
PICKS = {"no-curriculum": "random", "ladder": "ladder"}


def read_game(worlds_dir: Path, game: str = "*") -> dict[str, Any] | None:
    """The hero of the newest state of ``game`` in ``worlds_dir``, straight from the server's file."""
    files = sorted(worlds_dir.glob(f"rpg-{game}.json"), key=lambda p: p.stat().st_mtime)
    if not files:
        return None
    game = json.loads(files[-1].read_text(encoding="utf-8"))["bot"]["game"]
    return {"level": game["level"], "xp": game["xp"], "hp": game["hp"], "gold": game["gold"],
            "potions": game["potions"], "bosses": list(game["bosses"]), "items": list(game["items"])}


def hero_progress(game: dict[str, Any]) -> dict[str, Any]:
    """The game's state in the checker's vocabulary (names, not keys), for the curriculum.

    Every key the checker reads from the status line too: explore merges each probe into what it knew, so a
    key left out kept the new game's value (HP 20/20 and XP 0/10 beside level 29 in the curriculum's prompt)."""
    from neuronaut.servers.rpg import content as c

    level = game["level"]
    return {"level": level, "xp": game["xp"], "xp_next": c.xp_to_next(level), "hp": game["hp"],
            "max_hp": c.max_hp_for(level), "gold": game["gold"],
            "bosses": [c.MONSTERS[b].name for b in game["bosses"]],
            "items": ["Potion"] * bool(game["potions"]) + [c.ITEMS[i].name for i in game["items"]]}


class Counted:
    """A DecisionModel that dates milestones: before each call it reads the game, then counts the call.

    The critic's calls are also counted apart: with the critic silent, full and no-critic are one program, so
    a gap between them means something only if the critic spoke."""

    def __init__(self, inner: Any, worlds_dir: Path, game: str = "*") -> None:
        self.inner, self.name, self.worlds_dir, self.game = inner, inner.name, worlds_dir, game
        self.calls = self.critic_calls = 0
        self.marks: dict[str, int] = {}

    def note(self) -> None:
        game = read_game(self.worlds_dir, self.game)
        for name, reached in MILESTONES.items():
            if game and reached(game):
                self.marks.setdefault(name, self.calls)

    async def decide(self, messages, schema):
        self.note()
        self.calls += 1
        self.critic_calls += is_critic_schema(schema)
        return await self.inner.decide(messages, schema)

    async def compose(self, messages, max_tokens, temperature=None):
        self.note()
        self.calls += 1
        return await self.inner.compose(messages, max_tokens, temperature)


class UntilEveryMilestone:
    """The arm's curriculum, until every milestone is dated: then the game is over, as far as the bench goes.

    An LLM-call budget alone does not end a game once learned skills reach the next goals without a call: the
    full agent, all milestones dated by call 29 of 30, went on climbing a level a goal, for free, past level 33."""

    def __init__(self, inner: Curriculum, model: Counted) -> None:
        self.inner, self.model, self.space = inner, model, inner.space

    async def propose(self, model: Any, **kwargs: Any) -> Any:
        self.model.note()
        if len(self.model.marks) == len(MILESTONES):
            raise CurriculumExhausted("every milestone is dated")
        return await self.inner.propose(model, **kwargs)


def arm_settings(base: Settings, home: Path, seed: int) -> Settings:
    # An exploration is an unattended run: a cycle is steered out of, not the end of the goal.
    return base.model_copy(update={"home": home, "models_path": base.models_dir,
                                   "when_stuck": "steer"}).with_world("rpg", seed=seed)


async def run_explore_arm(arm: str, settings: Settings, model: Counted, args: argparse.Namespace) -> None:
    switches = {"use_skills": arm != "no-skills", "use_memory": arm != "no-memory", "use_critic": arm != "no-critic"}

    async def run_goal(goal: str, *, thread_id: str, world_options: dict[str, Any], max_steps: int | None):
        return await arun_goal(goal, world="rpg", settings=settings, decision_model=model, thread_id=thread_id,
                               max_steps=min(max_steps or args.max_steps, args.max_steps),
                               world_options=world_options, **switches)

    async def probe(result: Any) -> dict[str, Any]:
        found = read_game(settings.worlds_dir, model.game)
        return hero_progress(found) if found else {}

    curriculum = UntilEveryMilestone(
        Curriculum.for_world(RpgWorld(), pick=PICKS.get(arm, "model"), seed=rpg_settings(settings).seed), model)
    summary = await explore(world=RpgWorld(), settings=settings, run_goal=run_goal, progress_probe=probe,
                            curriculum=curriculum, model=model, run_options=switches,
                            progress_file=ProgressFile(settings.home / f"PROGRESS-{model.game}.md", world="rpg"),
                            budget_llm_calls=args.llm_calls, budget_goals=args.max_goals,
                            world_options={"game": model.game})
    logging.info("%s: %d goals, %d done; %s", arm, len(summary.attempts), len(summary.completed), summary.stop_reason)


async def run_react_arm(settings: Settings, model: Counted, args: argparse.Namespace) -> None:
    world = RpgWorld()
    async with ToolHub(world.servers(settings, "react"), log_dir=settings.logs_dir) as hub:
        baseline = ReactBaseline(model, hub, world, reading=(GET_MESSAGES,))
        for goal in rpg_ladder():
            left = args.llm_calls - model.calls
            found = read_game(settings.worlds_dir, model.game)
            if left <= 0:
                break
            if found and rpg_holds(goal, hero_progress(found)):
                continue
            run = await baseline.run(goal, max_llm_calls=min(left, args.max_steps))
            logging.info("react: %s → %s (%d calls)", goal, run.status, run.llm_calls)
    model.note()


async def run_arm(arm: str, seed: int, base: Settings, inner: Any, args: argparse.Namespace,
                  home: Path | None = None, keep: Path | None = None) -> dict[str, int]:
    """One game of ``arm`` on ``seed``: in ``home`` (kept, with what earlier games left there) or a fresh one.
    The game's progress file is copied into ``keep``, if given."""
    with tempfile.TemporaryDirectory(prefix=f"curve-{arm}-{seed}-") as tmp:
        settings = arm_settings(base, home or Path(tmp), seed)
        model = Counted(inner, settings.worlds_dir, game="react" if arm == "react" else f"bench-{arm}-{seed}")
        try:
            if arm == "react":
                await run_react_arm(settings, model, args)
            else:
                await run_explore_arm(arm, settings, model, args)
        except Exception as exc:  # noqa: BLE001 - one broken arm must not hide the others' results
            logging.error("%s seed %d failed: %s: %s", arm, seed, type(exc).__name__, exc)
        model.note()
        logging.info("%s seed %d: %d LLM calls, %d of them the critic's", arm, seed, model.calls, model.critic_calls)
        progress = settings.home / f"PROGRESS-{model.game}.md"
        if keep is not None and progress.exists():  # the home goes with the arm; what it did is worth reading
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copy2(progress, keep / progress.name)
        return dict(model.marks)


async def second_solve(goal: str, seed: int, base: Settings, inner: Any, args: argparse.Namespace) -> tuple[int, int]:
    """LLM calls to solve ``goal`` on a fresh game, then on another fresh game with the skill just learned.

    The second game has another seed (other monsters, other damage rolls), so the skill is not replayed onto
    the very game it was learned in."""
    with tempfile.TemporaryDirectory(prefix="second-solve-") as tmp:
        first = arm_settings(base, Path(tmp), seed)
        calls = []
        for thread, settings in (("first", first), ("second", first.with_world("rpg", seed=seed + 1000))):
            result = await arun_goal(goal, world="rpg", settings=settings, decision_model=inner,
                                     thread_id=f"solve-{thread}", max_steps=args.max_steps)
            logging.info("second solve, %s run: %s in %d calls, skills %s", thread, result.status,
                         result.llm_calls, result.skills_used or result.skills_learned)
            calls.append(result.llm_calls if result.status == "achieved" else -1)
        return calls[0], calls[1]


def smoke_policy(messages, schema) -> dict[str, Any]:
    """A scripted stand-in for --smoke: fight, pick the first candidate goal, critique briefly."""
    props = schema.get("properties", {})
    if "goal" in props:
        return {"reasoning": "next rung", "goal": props["goal"]["enum"][0]}
    if is_critic_schema(schema):
        return {"reasoning": "not yet", "success": False, "critique": "keep fighting"}
    branches = {b["properties"]["tool"]["const"]: b for b in schema.get("anyOf", [schema])}
    press = branches.get("press_inline_button")
    offered = press["properties"]["args"]["properties"].get("button_text", {}).get("enum") if press else None
    shown = re.findall(r"\[([^\]]+)\]", str(messages[-1].content).rsplit("Buttons:", 1)[-1])
    buttons = offered or shown
    for wanted in ("Attack", "Explore", "Forest", "Continue", "Town"):
        for button in buttons:
            if wanted in button and "🔒" not in button:
                return {"thought": "fight", "tool": "press_inline_button", "args": {"button_text": button}}
    return {"thought": "start", "tool": "send_message", "args": {"text": "/start"}}


async def main_async(args: argparse.Namespace) -> int:
    base = Settings.load(embedding_model="hash-128" if args.smoke else None)
    if args.smoke:
        inner: Any = ScriptedModel(fallback=smoke_policy)
    else:
        inner = await asyncio.to_thread(load_decision_model, base, args.model)
    results: dict[str, dict[int, dict[str, int]]] = {}
    args.out.mkdir(parents=True, exist_ok=True)
    partial = args.out / "learning_curve.partial.json"
    try:
        for arm in args.arms:
            results[arm] = {}
            with tempfile.TemporaryDirectory(prefix=f"lifelong-{arm}-") as lifelong:
                for seed in args.seeds:
                    home = Path(lifelong) if args.lifelong and arm != "react" else None
                    results[arm][seed] = await run_arm(arm, seed, base, inner, args, home, keep=args.out)
                    # Printed and saved as each game ends: a run cut short keeps what it measured.
                    print(f"{arm} seed {seed}: {results[arm][seed] or 'no milestone'}", flush=True)
                    partial.write_text(json.dumps({"budget": args.llm_calls, "lifelong": args.lifelong,
                                                   "results": results}, indent=1))
        solves = [await second_solve(args.second_goal, seed, base, inner, args) for seed in args.seeds
                  if args.second_goal]
    finally:
        getattr(inner, "close", lambda: None)()
    if results:
        print("\n" + table(results, args.seeds, args.llm_calls, lifelong=args.lifelong))
        if compared := seed_by_seed(results, args.seeds, args.llm_calls):
            print("\n" + compared)
        out = args.out / "learning_curve.png"
        plot(results, args.seeds, args.llm_calls, out)
        print(f"\nplot: {out}")
    (args.out / "learning_curve.json").write_text(json.dumps({"budget": args.llm_calls, "lifelong": args.lifelong,
                                                              "results": results, "second_solve": solves}, indent=1))
    if not solves:
        return 0
    print(f"\nSecond solve of {args.second_goal!r} (LLM calls; -1 = not solved; target: second ≤ 20 % of first)")
    for seed, (first, second) in zip(args.seeds, solves, strict=True):
        share = f"{100 * second / first:.0f} %" if first > 0 and second >= 0 else "n/a"
        print(f"  seed {seed} then {seed + 1000}: first {first}, second {second} → {share}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--llm-calls", type=int, default=300, help="LLM-call budget per arm and seed")
    parser.add_argument("--max-steps", type=int, default=60, help="step limit of one goal")
    parser.add_argument("--max-goals", type=int, default=60,
                        help="goal limit of one game (goals a learned skill reaches cost no LLM call)")
    parser.add_argument("--model", default=None, help="a preset or GGUF path (default: the settings' model)")
    parser.add_argument("--arms", nargs="*", default=list(ARMS), choices=ARMS,
                        help="which arms to run (none: only the second solve)")
    parser.add_argument("--second-goal", default="reach level 2", help="'' skips the second solve")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--lifelong", action="store_true",
                        help="one home per arm across its seeds, in order: later games keep the skills and memories")
    parser.add_argument("--smoke", action="store_true", help="a scripted model and hash embeddings: plumbing only")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "chromadb", "mcp", "neuronaut.tools"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
