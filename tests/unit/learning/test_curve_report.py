"""The learning curve's report: its measures, and one table over runs made in separate processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.curve_report import (
    MILESTONE_NAMES,
    ReportError,
    load,
    main,
    milestones_held,
    per_100_calls,
    seed_by_seed,
    table,
)

EVERY_ONE_BY = dict.fromkeys(MILESTONE_NAMES, 0)


def write_run(out: Path, results: dict, budget: int | None = 30, name: str = "learning_curve.json") -> Path:
    out.mkdir(parents=True, exist_ok=True)
    record = {"lifelong": True, "results": results} | ({"budget": budget} if budget else {})
    (out / name).write_text(json.dumps(record))
    return out


def test_milestones_held_tell_an_early_arm_from_a_late_one_that_reaches_as_many() -> None:
    early, late = {"Lv 2": 0, "Lv 3": 6}, {"Lv 2": 20, "Lv 3": 30}

    assert milestones_held(early, 30) == (30 + 24) / 30
    assert milestones_held(late, 30) == 10 / 30
    shown = table({"early": {2: early}, "late": {2: late}}, [2], 30)
    assert "6.7 (6.7)" in shown and "1.80 (1.80)" in shown and "0.33 (0.33)" in shown


def test_a_game_that_reaches_every_milestone_is_charged_the_calls_until_its_last() -> None:
    quick = EVERY_ONE_BY | {"Boss 3": 11}
    slow = quick | {"Boss 3": 21}

    assert per_100_calls(quick, 30) == pytest.approx(100 * len(MILESTONE_NAMES) / 11)
    assert per_100_calls(slow, 30) == pytest.approx(100 * len(MILESTONE_NAMES) / 21)
    assert per_100_calls({"Lv 2": 3}, 30) == pytest.approx(100 / 30)  # fell short: the whole budget
    assert per_100_calls(EVERY_ONE_BY, 30) == 100 * len(MILESTONE_NAMES)  # all free: one call


def test_runs_of_one_arm_on_other_seeds_merge_into_one_row(tmp_path: Path) -> None:
    first = write_run(tmp_path / "full-23", {"full": {"2": {"Lv 2": 3}, "3": {"Lv 2": 5}}})
    second = write_run(tmp_path / "full-45", {"full": {"4": {"Lv 2": 7}}}, name="learning_curve.partial.json")

    results, budget, lifelong = load([first, second / "learning_curve.partial.json"])

    assert results == {"full": {2: {"Lv 2": 3}, 3: {"Lv 2": 5}, 4: {"Lv 2": 7}}}
    assert (budget, lifelong) == (30, True)


def test_the_same_game_in_two_outputs_is_refused_naming_both(tmp_path: Path) -> None:
    first = write_run(tmp_path / "a", {"full": {"4": {"Lv 2": 3}}})
    again = write_run(tmp_path / "b", {"full": {"4": {"Lv 2": 9}}})

    with pytest.raises(ReportError, match=r"full seed 4 is in both .*a.* and .*b"):
        load([first, again])


def test_outputs_of_other_budgets_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="different budgets"):
        load([write_run(tmp_path / "a", {"full": {"2": {}}}, budget=30),
              write_run(tmp_path / "b", {"no-memory": {"2": {}}}, budget=60)])


def test_a_directory_without_output_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path)]) == 2
    assert "holds no learning_curve.json" in capsys.readouterr().err


def test_the_first_arm_is_compared_game_by_game_with_each_other() -> None:
    results = {"full": {1: {"Lv 2": 3}, 2: {"Lv 2": 3}, 3: {}},
               "no-memory": {1: {"Lv 2": 9}, 2: {"Lv 2": 3}, 3: {"Lv 2": 1}}}

    lines = seed_by_seed(results, [1, 2, 3], 30).splitlines()

    # Per 100 calls, a game that falls short is charged the whole budget: seeds 1 and 2 tie on it.
    assert lines[1].split() == ["no-memory", "per", "100", "calls", "0", "/", "2", "/", "1"]
    assert lines[2].split() == ["no-memory", "held", "1", "/", "1", "/", "1"]


def test_the_report_prints_only_the_seeds_every_arm_played(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    full = write_run(tmp_path / "full", {"full": {"2": {"Lv 2": 3}, "3": {"Lv 2": 3}}})
    other = write_run(tmp_path / "other", {"no-critic": {"3": {"Lv 2": 6}}})

    assert main([str(full), str(other), "--plot", str(tmp_path / "curve.png")]) == 0

    shown = capsys.readouterr().out
    assert "seeds 3;" in shown and "seeds 2, 3" not in shown
    assert (tmp_path / "curve.png").stat().st_size > 0
