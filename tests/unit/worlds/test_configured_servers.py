"""A server declared in settings joins any world its ``worlds`` list names, with its tools, approvals and
fixed arguments; here the tally fixture joins the RPG world over stdio."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from neuronaut.api import arun_goal
from neuronaut.errors import UserError
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.settings import Settings
from neuronaut.worlds import get_world
from tests.helpers import fighter, tools

TALLY = Path(__file__).resolve().parents[2] / "fixtures" / "servers" / "tally.py"


def _settings(home: Path, book: Path, **tally: Any) -> Settings:
    server = {"command": sys.executable, "args": [str(TALLY), str(book)], "worlds": ["rpg"], **tally}
    return Settings.load(env={"NEURONAUT_HOME": str(home), "NEURONAUT_EMBEDDING_MODEL": "hash-64"},
                         servers={"tally": server})


class AddsOnceThenFights:
    """Calls the tally's ``add`` the first time it is offered, then plays like ``fighter``; keeps the schemas."""

    def __init__(self) -> None:
        self.schemas: list[dict[str, Any]] = []
        self.added = False

    def __call__(self, messages: list[Any], schema: dict[str, Any]) -> dict[str, Any]:
        self.schemas.append(schema)
        if "add" in tools(schema) and not self.added:
            self.added = True
            return {"thought": "count this", "tool": "add", "args": {"amount": 2}}
        return fighter(messages, schema)


def _args_of(schema: dict[str, Any], tool: str) -> set[str]:
    branch = next(b for b in schema["anyOf"] if b["properties"]["tool"].get("const") == tool)
    return set(branch["properties"]["args"]["properties"])


async def test_a_configured_server_joins_the_rpg_world_with_its_listed_tools_and_fixed_args(home, tmp_path) -> None:
    book = tmp_path / "tally.jsonl"
    policy = AddsOnceThenFights()
    settings = _settings(home, book, tools=["add"], fixed_args={"label": "rpg"})
    result = await arun_goal("reach level 2", settings=settings, decision_model=ScriptedModel(fallback=policy),
                             max_steps=60, thread_id="joined")
    assert result.status == "achieved"  # the world's own tools still play the game
    offered = set(tools(policy.schemas[0]))
    assert {"add", "press_inline_button"} <= offered and not {"total", "clear"} & offered
    assert _args_of(policy.schemas[0], "add") == {"amount"}  # the fixed label is hidden from the model
    assert [json.loads(line) for line in book.read_text().splitlines()] == [{"amount": 2, "label": "rpg"}]


async def test_its_approve_list_holds_in_a_world_that_asks_for_nothing(home, tmp_path) -> None:
    book = tmp_path / "tally.jsonl"
    questions: list[dict[str, Any]] = []
    settings = _settings(home, book, approve=["add"], fixed_args={"label": "rpg"})
    result = await arun_goal("reach level 2", settings=settings,
                             decision_model=ScriptedModel(fallback=AddsOnceThenFights()), max_steps=60,
                             thread_id="asked", approver=lambda q: questions.append(q) or False)
    assert result.status == "achieved"
    assert [q["tool"] for q in questions] == ["add"]  # the RPG world's own presses need no approval
    assert not book.exists()  # refused: the call never reached the server


def test_a_server_for_other_worlds_stays_out(home, tmp_path) -> None:
    settings = _settings(home, tmp_path / "tally.jsonl", worlds=["generic"])
    assert not get_world("rpg", settings).configured
    assert "tally" in get_world("generic", settings).configured


def test_a_configured_server_may_not_take_a_world_servers_name(home, tmp_path) -> None:
    from neuronaut.worlds.joined import server_specs

    settings = Settings.load(env={"NEURONAUT_HOME": str(home)},
                             servers={"rpg": {"command": sys.executable, "args": [str(TALLY)], "worlds": ["rpg"]}})
    with pytest.raises(UserError, match=r"\[servers\.rpg\] has the name of a server of the rpg world"):
        server_specs(get_world("rpg", settings), settings, "r")
