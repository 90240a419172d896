"""The learning curve's report: the table, the plot, and merging the outputs of runs made in separate processes.

    python bench/curve_report.py bench/out-full-23 bench/out-full-45 bench/out-no-memory-23 ...

On two cores an arm pair of a lifelong bench takes about an hour, so arms and seed pairs run as processes of
their own (``learning_curve.py --arms full --seeds 2 3 --out DIR``); this reads their ``learning_curve.json``
(or the ``.partial.json`` of a run cut short) and prints one table over every seed an arm has, seed by seed
against the first arm given, and saves the plot.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

Results = dict[str, dict[int, dict[str, int]]]  # arm → seed → milestone → LLM calls made before it showed

MILESTONE_NAMES = ("Lv 2", "Lv 3", "Lv 5", "Boss", "Lv 7", "Boss 2", "Lv 9", "Lv 11", "Boss 3")


class ReportError(Exception):
    """Outputs that cannot be merged into one table (nothing found, the same game twice, other budgets)."""


def within(results: Results, budget: int) -> Results:
    """Milestones reached within the budget only: an exploration's last goal may overrun it (its step limit is cut
    to the calls left, but a step can cost more than one call), ReAct's never does."""
    return {arm: {seed: {m: at for m, at in marks.items() if at <= budget} for seed, marks in by_seed.items()}
            for arm, by_seed in results.items()}


def per_100_calls(marks: dict[str, int], budget: int) -> float:
    """Milestones per 100 LLM calls spent on them: a game that reached them all is over for the bench, so it is
    charged the calls made until its last one; any other game had the whole budget to use.

    Dividing by the budget alone, every arm that reached all 9 scored 30.0: the full agent that beat the Red
    Dragon at call 11 tied the arm that needed 21."""
    spent = max(marks.values()) if len(marks) == len(MILESTONE_NAMES) else budget
    return 100 * len(marks) / max(1, spent)


def milestones_held(marks: dict[str, int], budget: int) -> float:
    """Milestones held on average over the budget's calls, the area under the curve divided by its width.

    Per 100 calls counts what a game that falls short reached by the end, so one that reaches 8 milestones by
    call 6 scores as one that needs all 30 calls; this tells them apart (8 × 24/30 = 6.4 against 0)."""
    return sum(max(0, budget - at) for at in marks.values()) / budget


def table(results: Results, seeds: list[int], budget: int, lifelong: bool = False) -> str:
    results = within(results, budget)
    rows = [["arm", *MILESTONE_NAMES, "per 100 calls (each seed)", "held (each seed)"]]
    for arm, by_seed in results.items():
        cells = [arm]
        for milestone in MILESTONE_NAMES:
            hits = [by_seed[s][milestone] for s in seeds if milestone in by_seed[s]]
            cells.append(f"{statistics.median(hits):.0f} ({len(hits)}/{len(seeds)})" if hits else f"— (0/{len(seeds)})")
        rates = [per_100_calls(by_seed[s], budget) for s in seeds]
        cells.append(f"{statistics.mean(rates):.1f} ({', '.join(f'{r:.1f}' for r in rates)})")
        held = [milestones_held(by_seed[s], budget) for s in seeds]
        cells.append(f"{statistics.mean(held):.2f} ({', '.join(f'{h:.2f}' for h in held)})")
        rows.append(cells)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    title = (f"LLM calls until each milestone (median over seeds that reached it; budget {budget} calls per arm "
             f"and seed), and milestones reached per 100 LLM calls (mean; seeds {', '.join(map(str, seeds))}"
             + ("; lifelong: each arm's seeds played in this order in one home" if lifelong else "") + "; a game "
             "that reached every milestone is charged the calls until its last one, any other the whole budget)"
             + "; held: milestones held on average over the budget's calls (the area under the arm's curve)")
    return title + "\n" + "\n".join(lines)


def seed_by_seed(results: Results, seeds: list[int], budget: int) -> str:
    """The first arm against each other arm, game by game: with a handful of seeds one game can swing a mean by
    20 points (seed 5's Red Dragon at call 30 or at call 7), so the count of games won says more."""
    results = within(results, budget)
    arms = list(results)
    if len(arms) < 2:
        return ""
    first = arms[0]
    lines = [f"{first} against each arm, game by game (better / tied / worse):"]
    for arm in arms[1:]:
        for name, measure in (("per 100 calls", per_100_calls), ("held", milestones_held)):
            ours = [measure(results[first][s], budget) for s in seeds]
            theirs = [measure(results[arm][s], budget) for s in seeds]
            better = sum(a > b + 1e-9 for a, b in zip(ours, theirs, strict=True))
            worse = sum(a < b - 1e-9 for a, b in zip(ours, theirs, strict=True))
            lines.append(f"  {arm:<14} {name:<14} {better} / {len(seeds) - better - worse} / {worse}")
    return "\n".join(lines)


def load(paths: list[Path]) -> tuple[Results, int, bool]:
    """The results of every output given (a run's ``--out`` directory or its JSON file), with their budget and
    whether they were lifelong runs. The same arm and seed in two outputs is an error: which one counts is the
    reader's choice, not the order of the arguments."""
    results: Results = {}
    budgets: set[int] = set()
    lifelong: set[bool] = set()
    origin: dict[tuple[str, int], Path] = {}
    for path in paths:
        data = json.loads(_output_file(path).read_text())
        if "budget" in data:
            budgets.add(int(data["budget"]))
        lifelong.add(bool(data.get("lifelong")))
        for arm, by_seed in data.get("results", {}).items():
            for seed, marks in by_seed.items():
                if (arm, int(seed)) in origin:
                    raise ReportError(f"{arm} seed {seed} is in both {origin[arm, int(seed)]} and {path}: "
                                      "leave one of them out")
                origin[arm, int(seed)] = path
                results.setdefault(arm, {})[int(seed)] = marks
    if not results:
        raise ReportError("no results in " + ", ".join(map(str, paths)))
    if len(budgets) > 1:
        raise ReportError(f"the outputs ran on different budgets ({sorted(budgets)}): their tables do not compare")
    if len(lifelong) > 1:
        raise ReportError("some outputs are lifelong runs and some are not: their tables do not compare")
    return results, budgets.pop() if budgets else 0, lifelong.pop()


def _output_file(path: Path) -> Path:
    if path.is_file():
        return path
    for name in ("learning_curve.json", "learning_curve.partial.json"):
        if (path / name).is_file():
            return path / name
    raise ReportError(f"{path} holds no learning_curve.json (nor a .partial.json of a run cut short)")


def plot(results: Results, seeds: list[int], budget: int, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 4.5))
    xs = list(range(budget + 1))
    for arm, by_seed in results.items():
        # Mean number of milestones reached by call x, over seeds: a step curve per arm.
        ys = [statistics.mean(sum(1 for at in by_seed[s].values() if at <= x) for s in seeds) for x in xs]
        axes.step(xs, ys, where="post", label=arm)
    axes.set(xlabel="LLM calls", ylabel="milestones reached (mean over seeds)", ylim=(0, len(MILESTONE_NAMES) + 0.2),
             title=f"NeuroNaut on the simulated RPG, seeds {', '.join(map(str, seeds))}")
    axes.set_yticks(range(len(MILESTONE_NAMES) + 1), ["none", *MILESTONE_NAMES])
    axes.legend(loc="upper left", fontsize="small")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120, bbox_inches="tight")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outputs", type=Path, nargs="+", help="runs' --out directories or their JSON files")
    parser.add_argument("--budget", type=int, help="LLM calls per arm and seed (outputs older than its record)")
    parser.add_argument("--plot", type=Path, help="where to save the plot (default: none)")
    args = parser.parse_args(argv)
    try:
        results, budget, lifelong = load(args.outputs)
    except (ReportError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    budget = args.budget or budget
    if not budget:
        print("error: the outputs do not record their budget: give --budget", file=sys.stderr)
        return 2
    # Only seeds every arm played: a mean over other games would not compare.
    seeds = sorted(set.intersection(*(set(by_seed) for by_seed in results.values())))
    if not seeds:
        print("error: no seed was played by every arm", file=sys.stderr)
        return 2
    print(table(results, seeds, budget, lifelong=lifelong))
    print("\n" + seed_by_seed(results, seeds, budget))
    if args.plot:
        plot(results, seeds, budget, args.plot)
        print(f"\nplot: {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
