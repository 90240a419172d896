"""The generic world over a real stdio server that annotates nothing: results seen, paged, approvals, answer."""

from __future__ import annotations

import sys
from pathlib import Path

from neuronaut.api import arun_goal
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.settings import Settings
from tests.helpers import is_critic, tools

SERVER = Path(__file__).parents[2] / "fixtures" / "servers" / "notebook.py"


def _settings(home: Path, log: Path, **extra) -> Settings:
    servers = {"notes": {"command": sys.executable, "args": [str(SERVER), str(log)]}}
    return Settings.load(env={"NEURONAUT_HOME": str(home), "NEURONAUT_EMBEDDING_MODEL": "hash-128"},
                         servers=servers, **extra)


def _accept(messages, schema):
    return {"reasoning": "the result says so", "success": True, "critique": ""}


def _script(*decisions):
    plan = iter(decisions)
    model = ScriptedModel(fallback=lambda m, s: _accept(m, s) if is_critic(s) else next(plan))
    return model


def _planner_prompts(model: ScriptedModel) -> list[str]:
    return [messages[-1].content for messages, schema in model.calls if not is_critic(schema)]


async def test_the_latest_result_is_seen_past_its_first_line_and_the_answer_is_returned(home, tmp_path) -> None:
    log = tmp_path / "calls.log"
    model = _script({"thought": "read it", "tool": "read_note", "args": {"name": "setup"}},
                    {"thought": "found", "tool": "finish", "args": {"answer": "The hint is 'blue heron'."}})
    result = await arun_goal("what is the admin password hint in the setup note?", world="generic",
                             settings=_settings(home, log, approve_reads=True), decision_model=model, max_steps=4,
                             thread_id="seen")
    assert result.status == "achieved" and result.answer == "The hint is 'blue heron'."
    second = _planner_prompts(model)[1]
    observation = second[second.index("Observation (untrusted)"):]
    assert "blue heron" in observation and "untrusted data" in observation  # ~600 characters into the result
    step_line = next(line for line in second.splitlines() if line.startswith("1. read_note"))
    assert "blue heron" not in step_line  # the steps list keeps one short line per result
    critic = next(messages[-1].content for messages, schema in model.calls if is_critic(schema))
    assert "blue heron" in critic and "Step 8" in critic  # the critic is shown the line the answer rests on
    assert log.read_text().split() == ["read_note"]  # a guessed read ran without asking: reads were allowed


async def test_a_long_result_is_paged_and_searched_without_calling_the_tool_again(home, tmp_path) -> None:
    log = tmp_path / "calls.log"
    model = _script({"thought": "read it", "tool": "read_note", "args": {"name": "manual"}},
                    {"thought": "search", "tool": "find_in_result", "args": {"text": "maintenance code"}},
                    {"thought": "next page", "tool": "read_result", "args": {"page": 2}},
                    {"thought": "found", "tool": "finish", "args": {"answer": "4417"}})
    result = await arun_goal("what is the maintenance code in the manual?", world="generic",
                             settings=_settings(home, log, approve_reads=True), decision_model=model, max_steps=6,
                             thread_id="paged")
    prompts = _planner_prompts(model)
    first_page = prompts[1][prompts[1].index("Observation (untrusted)"):]
    assert "4417" not in first_page and "read_result(page=2)" in first_page and "more lines" in first_page
    assert "find_in_result" in tools(model.calls[1][1]) and "read_result" in tools(model.calls[1][1])
    assert "find_in_result" not in tools(model.calls[0][1])  # nothing to page before a long result
    assert "60: Section 60: the maintenance code is 4417." in prompts[2]
    assert "Section 60" in prompts[3] and "page 2 of 2" in prompts[3]
    assert result.answer == "4417" and log.read_text().split() == ["read_note"]


async def test_unannotated_writes_ask_and_always_allow_is_remembered(home, tmp_path) -> None:
    log = tmp_path / "calls.log"
    settings = _settings(home, log, approve_reads=True)
    questions = []
    decide = {"thought": "make it", "tool": "create_note", "args": {"name": "todo", "text": "milk"}}
    done = {"thought": "done", "tool": "finish", "args": {"answer": "created"}}
    result = await arun_goal("create a note called todo saying milk", world="generic", settings=settings,
                             decision_model=_script(decide, done), max_steps=3, thread_id="always",
                             approver=lambda q: questions.append(q) or "always")
    assert result.status == "achieved" and [q["tool"] for q in questions] == ["create_note"]
    assert questions[0]["server"] == "notes"
    again = await arun_goal("create a note called todo saying milk", world="generic", settings=settings,
                            decision_model=_script(decide, done), max_steps=3, thread_id="always-again",
                            use_skills=False, approver=lambda q: questions.append(q) or False)
    assert again.status == "achieved" and len(questions) == 1  # not asked a second time
    assert log.read_text().split() == ["create_note", "create_note"]


async def test_without_allowed_reads_a_guessed_read_asks_and_a_non_interactive_run_waits(home, tmp_path) -> None:
    log = tmp_path / "calls.log"
    model = _script({"thought": "look", "tool": "list_notes", "args": {}})
    result = await arun_goal("which notes are there?", world="generic", settings=_settings(home, log),
                             decision_model=model, max_steps=3, thread_id="asks")
    assert result.status == "interrupted" and "list_notes" in result.stop_reason
    assert not log.exists()


async def test_a_question_is_not_offered_the_tools_that_write(home, tmp_path) -> None:
    log = tmp_path / "calls.log"
    model = _script({"thought": "look", "tool": "list_notes", "args": {}},
                    {"thought": "done", "tool": "finish", "args": {"answer": "welcome, setup, manual"}})
    result = await arun_goal("which notes are there?", world="generic",
                             settings=_settings(home, log, approve_reads=True), decision_model=model, max_steps=3,
                             thread_id="question")
    offered = tools(model.calls[0][1])
    assert "list_notes" in offered and "read_note" in offered
    assert "delete_note" not in offered and "create_note" not in offered
    assert "3 rows: name | chars" in _planner_prompts(model)[1]  # a Python repr rendered as a table
    assert result.answer == "welcome, setup, manual"
    imperative = _script({"thought": "bye", "tool": "finish", "args": {"answer": "x"}})
    await arun_goal("delete the welcome note", world="generic", settings=_settings(home, log, approve_reads=True),
                    decision_model=imperative, max_steps=1, thread_id="imperative")
    assert "delete_note" in tools(imperative.calls[0][1])


async def test_the_tool_list_says_what_parameters_mean(home, tmp_path) -> None:
    model = _script({"thought": "bye", "tool": "finish", "args": {"answer": "x"}})
    servers = {"time": {"command": sys.executable, "args": ["-m", "mcp_server_time"]}}
    settings = Settings.load(env={"NEURONAUT_HOME": str(home), "NEURONAUT_EMBEDDING_MODEL": "hash-128"},
                             servers=servers)
    await arun_goal("what time is it in Lima?", world="generic", settings=settings, decision_model=model,
                    max_steps=1, thread_id="params")
    system = model.calls[0][0][0].content
    line = next(line for line in system.splitlines() if line.startswith("- get_current_time("))
    assert "timezone: IANA timezone name" in line
