"""PROGRESS.md: readable by people, read back by the next session, never half-written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from neuronaut.learning.progress_file import FILE_NAME, ProgressFile


@pytest.fixture
def progress(tmp_path: Path) -> ProgressFile:
    return ProgressFile(tmp_path / "run", world="rpg", clock=lambda: "2025-01-01T00:00:00Z")


def test_goals_round_trip(progress: ProgressFile) -> None:
    progress.record_goal("reach level 2", "achieved", 14, 15, ["reach-level-2"], thread_id="t1",
                         progress={"level": 2, "gold": 18})
    progress.record_goal("have 30 gold", "budget_exhausted", 40, 41, [], thread_id="t2")
    summary = progress.read()
    assert summary.completed == ["reach level 2"] and summary.failed == ["have 30 gold"]
    assert (summary.steps, summary.llm_calls, summary.skills_learned) == (54, 56, ["reach-level-2"])
    assert summary.progress == {"level": 2, "gold": 18} and summary.world == "rpg"
    assert summary.updated == "2025-01-01T00:00:00Z"


def test_a_directory_holds_progress_md(progress: ProgressFile) -> None:
    progress.record_goal("reach level 2", "achieved", 1, 1)
    assert progress.path.name == FILE_NAME
    text = progress.path.read_text()
    assert "| 1 | reach level 2 | achieved |" in text and "Last update: 2025-01-01T00:00:00Z" in text


def test_started_goal_is_unfinished_until_recorded(progress: ProgressFile) -> None:
    progress.start_goal("reach level 3", "t3", {"game": "g"})
    unfinished = progress.read().unfinished
    assert (unfinished.goal, unfinished.thread_id, unfinished.world_options) == ("reach level 3", "t3", {"game": "g"})
    progress.record_goal("reach level 3", "achieved", 5, 5, thread_id="t3")
    assert progress.read().unfinished is None


def test_interrupted_goal_stays_resumable(progress: ProgressFile) -> None:
    progress.start_goal("reach level 3", "t3")
    progress.record_goal("reach level 3", "interrupted", 2, 2, thread_id="t3")
    summary = progress.read()
    assert summary.unfinished.thread_id == "t3" and summary.entries == []


def test_a_failed_write_leaves_the_old_file_and_no_temp_files(progress: ProgressFile, monkeypatch) -> None:
    progress.record_goal("reach level 2", "achieved", 1, 1)
    before = progress.path.read_text()

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        progress.record_goal("have 30 gold", "achieved", 1, 1)
    assert progress.path.read_text() == before
    assert sorted(p.name for p in progress.path.parent.iterdir()) == [FILE_NAME]


def test_pipes_and_comment_markers_survive(progress: ProgressFile) -> None:
    progress.record_goal("own a | b", "achieved", 1, 1, progress={"note": "a --> b"})
    summary = progress.read()
    assert summary.completed == ["own a | b"] and summary.progress == {"note": "a --> b"}


def test_a_row_deleted_by_hand_is_forgotten(progress: ProgressFile) -> None:
    progress.record_goal("reach level 2", "failed", 1, 1)
    progress.record_goal("have 30 gold", "achieved", 1, 1)
    text = progress.path.read_text()
    progress.path.write_text("\n".join(line for line in text.splitlines() if "reach level 2" not in line))
    assert progress.read().failed == [] and progress.read().completed == ["have 30 gold"]


def test_missing_file_is_an_empty_summary(progress: ProgressFile) -> None:
    summary = progress.read()
    assert summary.entries == [] and summary.unfinished is None and not progress.path.exists()
