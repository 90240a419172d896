"""Sentences the deterministic readers leave, and the optional model reading of them, kept only when grounded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from neuronaut.cli import main
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.worlds.swift.readme.leftovers import Leftover, find_leftovers, read_leftovers
from neuronaut.worlds.swift.readme.model_reader import SCHEMA, ModelLeftoverReader

README = ("# greet\n\nGreets people. With no arguments, greet prints `Hello, world!`.\n\n"
          "## Usage\n\n```\ngreet Ada   # prints Hello, Ada!\n```\n")
SENTENCE = Leftover(3, "With no arguments, greet prints `Hello, world!`.")


def answer(*examples: dict) -> dict:
    return {"examples": [{"stdout": "", "exit_status": 0, "stderr": "", **example} for example in examples]}


def test_a_sentence_stating_a_run_the_readers_could_not_read_is_listed():
    assert find_leftovers(README, "greet", read_lines={8}) == [SENTENCE]


def test_a_sentence_already_read_is_not_listed():
    assert find_leftovers(README, "greet", read_lines={3, 8}) == []


async def test_a_grounded_model_reading_becomes_a_case_tied_to_its_line():
    model = ScriptedModel(answer({"command": "greet", "stdout": "Hello, world!"}))
    cases, rejected = await read_leftovers(ModelLeftoverReader(model), [SENTENCE], "greet", {})
    (case,) = cases
    assert (case.line, case.source, case.args, case.stdout, rejected) == (3, "model", (), "Hello, world!\n", [])
    messages, schema = model.calls[0]
    assert schema == SCHEMA and "`greet`" in messages[0].content and messages[1].content == SENTENCE.text


async def test_an_output_the_sentence_does_not_contain_is_rejected_with_its_line():
    model = ScriptedModel(answer({"command": "greet", "stdout": "Hi there!"}))
    cases, (problem,) = await read_leftovers(ModelLeftoverReader(model), [SENTENCE], "greet", {})
    assert cases == [] and str(problem) == "line 3: read as 'greet', not kept: the sentence does not say 'Hi there!'"


async def test_a_reading_that_states_no_result_is_rejected():
    model = ScriptedModel(answer({"command": "greet"}))
    cases, (problem,) = await read_leftovers(ModelLeftoverReader(model), [SENTENCE], "greet", {})
    assert cases == [] and problem.message.endswith("it states no result")


async def test_a_malformed_model_answer_reads_nothing_and_raises_nothing():
    cases, rejected = await read_leftovers(ModelLeftoverReader(ScriptedModel("not json")), [SENTENCE], "greet", {})
    assert (cases, rejected) == ([], [])


def test_checks_lists_what_it_did_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    (tmp_path / "README.md").write_text(README)
    assert main(["swift", "checks", str(tmp_path / "README.md")]) == 0
    assert "not read, line 3: With no arguments, greet prints `Hello, world!`." in capsys.readouterr().out


def test_checks_with_a_model_adds_its_grounded_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "README.md").write_text(README)
    model = ScriptedModel(answer({"command": "greet", "stdout": "Hello, world!"}))
    monkeypatch.setattr("neuronaut.services.load_decision_model", lambda settings, name: model)
    assert main(["swift", "checks", str(tmp_path / "README.md"), "--json", "--model", "scripted"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(c["args"], c["source"], c["line"]) for c in data["checks"]] == [(["Ada"], "usage", 8), ([], "model", 3)]
    assert data["not_read"] == [] and data["rejected"] == []
