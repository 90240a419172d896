"""Tool faults through the real loop: an MCP server that crashes, hangs or writes garbage mid-run.

A small counter world (``CounterWorld``) talks to ``servers/faulty_counter.py``
over stdio; the server misbehaves on the calls it is told to and records every
start and every side effect that really happened. The loop, the tool hub, the
ledger and the checkpoints are the real ones.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from neuronaut.api import arun_goal, aresume
from neuronaut.errors import ToolServerError, UserError
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.settings import Settings
from neuronaut.tools.types import ServerSpec
from neuronaut.worlds.base import Check, Goal, Observation, ToolCaller, World
from tests.reliability.conftest import SERVERS, fast_settings, use_world

pytestmark = pytest.mark.integration

SERVER = SERVERS / "faulty_counter.py"
BUMP = {"thought": "count", "tool": "bump", "args": {}}
TIMEOUT_S = "2"  # a hung call is given up after this long


class CounterWorld(World):
    name = "counter"
    description = "a counter that goes up by one per bump"
    allowed_tools = frozenset({"bump"})

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir

    def servers(self, settings: Settings, run_id: str) -> list[ServerSpec]:
        return [ServerSpec("faulty", sys.executable, (str(SERVER), str(self.state_dir)))]

    def parse_goal(self, text: str) -> Goal:
        if not re.fullmatch(r"count to \d+", text):
            raise UserError(f"the counter world checks 'count to N', not {text!r}")
        return Goal(text)

    async def observe(self, tools: ToolCaller) -> Observation:
        return Observation(text=(await tools.call("read_counter", {})).text)

    async def check(self, goal: Goal, tools: ToolCaller) -> Check:
        outcome = await tools.call("read_counter", {})
        value = int(outcome.text.rsplit("=", 1)[-1]) if outcome.ok else -1
        return Check(value >= int(goal.text.split()[-1]), f"counter {value}")


class Game:
    """The faulty server's state directory: what to break, and what really happened."""

    def __init__(self, root: Path) -> None:
        self.dir = root / "counter"
        self.dir.mkdir(parents=True)

    def break_(self, faults: dict[str, Any]) -> None:
        (self.dir / "faults.json").write_text(json.dumps(faults))

    def heal(self) -> None:
        (self.dir / "faults.json").unlink()

    @property
    def starts(self) -> int:
        return int((self.dir / "starts").read_text())

    def calls(self, tool: str) -> int:
        return json.loads((self.dir / "calls.json").read_text()).get(tool, 0)

    @property
    def effects(self) -> list[int]:
        path = self.dir / "effects.jsonl"
        return [json.loads(line)["bump"] for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture
def game(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Game:
    game = Game(tmp_path)
    use_world(monkeypatch, "counter", lambda: CounterWorld(game.dir))
    return game


@pytest.fixture
def settings(home: Path) -> Settings:
    return fast_settings(home, NEURONAUT_TOOL_TIMEOUT_S=TIMEOUT_S)


class Recorder:
    def __init__(self) -> None:
        self.acts: list[dict[str, Any]] = []

    def __call__(self, event: dict[str, Any]) -> None:
        if event.get("node") == "act":
            self.acts.append(event)


async def count(settings: Settings, target: int, thread: str, max_steps: int = 8, events: Any = None):
    return await arun_goal(f"count to {target}", world="counter", settings=settings, thread_id=thread,
                           decision_model=ScriptedModel(fallback=BUMP), max_steps=max_steps, events=events)


@pytest.mark.parametrize("fault", ["crash", "hang", "garbage"])
async def test_a_failed_read_restarts_the_server_and_is_retried(game: Game, settings: Settings, fault: str) -> None:
    game.break_({"read_counter": {"3": fault}})  # the perceive of step 1
    result = await count(settings, 3, f"read-{fault}")
    assert result.status == "achieved", result.stop_reason
    assert game.starts == 2  # detected, restarted once
    assert game.effects == [1, 2, 3]  # and nothing happened twice


@pytest.mark.parametrize(("fault", "reached_game"), [("crash_after", True), ("hang", False), ("crash", False)])
async def test_a_side_effect_cut_off_by_a_fault_is_reported_not_repeated(
        game: Game, settings: Settings, fault: str, reached_game: bool) -> None:
    game.break_({"bump": {"2": fault}})  # the act of step 1
    recorder = Recorder()
    result = await count(settings, 3, f"bump-{fault}", events=recorder)
    assert result.status == "achieved", result.stop_reason
    assert game.calls("bump") == result.steps  # one attempt per act: the hub never re-sent a bump
    assert game.effects == [1, 2, 3]
    cut = recorder.acts[1]
    assert not cut["ok"] and "check the state before acting again" in cut["outcome"]
    assert result.steps == (3 if reached_game else 4)


@pytest.mark.parametrize("target", ["read_counter", "bump"])
async def test_garbage_on_stdout_is_caught_at_once_not_at_the_timeout(
        game: Game, home: Path, target: str) -> None:
    game.break_({target: {"2": "garbage"}})  # the second bump, or the first verify
    settings = fast_settings(home, NEURONAUT_TOOL_TIMEOUT_S="120")
    result = await count(settings, 3, f"garbage-{target}")
    assert result.status == "achieved", result.stop_reason
    assert result.wall_s < 30  # the call was given up on long before its 120 s timeout
    assert game.starts == 2 and game.effects == [1, 2, 3]


async def test_a_server_that_keeps_failing_stops_the_run_with_a_clear_reason(game: Game, settings: Settings) -> None:
    game.break_({"read_counter": {"3+": "crash"}})
    result = await count(settings, 5, "dead")
    assert result.status == "failed"
    assert "'faulty'" in result.stop_reason and "neuronaut resume dead" in result.stop_reason
    assert result.steps == 1
    assert game.calls("read_counter") == 2 + 3  # two good reads, then three attempts (two restarts) and it gave up
    assert game.starts == 3  # no restart after the last attempt: nothing would have used it


async def test_a_run_stopped_by_a_dead_server_resumes_once_it_is_healthy(game: Game, settings: Settings) -> None:
    game.break_({"read_counter": {"3+": "crash"}})
    stopped = await count(settings, 5, "revive")
    game.heal()
    result = await aresume("revive", settings=settings, decision_model=ScriptedModel(fallback=BUMP))
    assert (stopped.status, result.status) == ("failed", "achieved")
    assert result.resumed_from_step == stopped.steps
    assert game.effects == [1, 2, 3, 4, 5]


async def test_a_server_that_cannot_start_is_a_clear_error(game: Game, settings: Settings) -> None:
    game.break_({"startup": "crash"})
    with pytest.raises(ToolServerError, match="cannot start MCP server 'faulty'"):
        await count(settings, 3, "never")
