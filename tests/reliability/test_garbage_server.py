"""An MCP server that prints garbage on stdout is caught at once, not at the call's timeout.

The server (``servers/garbage.py``) is real and talks over stdio; after the
stray line it never answers, so only noticing the garbage gets the call on
before the (deliberately long) timeout. Its state directory counts starts, so
the tests also see that a server is restarted only when another call follows.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from neuronaut.errors import ToolServerError
from neuronaut.tools.hub import ToolHub
from neuronaut.tools.types import ServerSpec
from tests.reliability.conftest import SERVERS

pytestmark = pytest.mark.integration

TIMEOUT_S = 60.0  # what the garbage would cost if it were only caught by the timeout
PROMPT_S = 15.0  # generous for two cores shared with other work, and far below the timeout


class Garbage:
    def __init__(self, root: Path) -> None:
        self.dir = root / "garbage"

    def spec(self, *extra: str) -> ServerSpec:
        return ServerSpec("garbage", sys.executable, (str(SERVERS / "garbage.py"), str(self.dir), *extra))

    def plan(self, **modes: object) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "plan.json").write_text(json.dumps(modes))

    def count(self, name: str) -> int:
        path = self.dir / name
        return int(path.read_text()) if path.exists() else 0


@pytest.fixture
def garbage(tmp_path: Path) -> Garbage:
    return Garbage(tmp_path)


async def timed_call(hub: ToolHub, tool: str) -> tuple[object, float]:
    started = time.perf_counter()
    outcome = await hub.call(tool, {})
    return outcome, time.perf_counter() - started


async def test_garbage_during_a_read_restarts_the_server_and_the_read_is_retried(garbage: Garbage) -> None:
    garbage.plan(look=["garbage"])
    async with ToolHub([garbage.spec()], timeout_s=TIMEOUT_S) as hub:
        outcome, took = await timed_call(hub, "look")
    assert outcome.ok and outcome.text == "all quiet"
    assert took < PROMPT_S
    assert garbage.count("starts") == 2


async def test_garbage_during_a_side_effect_is_reported_not_repeated(garbage: Garbage) -> None:
    garbage.plan(poke=["garbage"])
    async with ToolHub([garbage.spec()], timeout_s=TIMEOUT_S) as hub:
        cut, took = await timed_call(hub, "poke")
        assert garbage.count("starts") == 1  # not restarted yet: nothing needed it
        after = await hub.call("poke", {})
    assert not cut.ok and "not JSON-RPC" in cut.error and "check the state before acting again" in cut.error
    assert took < PROMPT_S
    assert after.ok and after.text == "poked 1 times"  # the cut-off poke was never sent again
    assert garbage.count("starts") == 2  # restarted once, for the call that followed


async def test_a_server_that_keeps_printing_garbage_stops_with_a_clear_reason(garbage: Garbage) -> None:
    garbage.plan(look="garbage")
    started = time.perf_counter()
    async with ToolHub([garbage.spec()], timeout_s=TIMEOUT_S) as hub:
        with pytest.raises(ToolServerError, match=r"'garbage' failed 3 times in a row .*not JSON-RPC"):
            await hub.call("look", {})
    assert time.perf_counter() - started < 2 * PROMPT_S
    assert garbage.count("starts") == 3  # the first start and two restarts, none after the last attempt


async def test_a_server_that_prints_a_banner_on_stdout_cannot_start(garbage: Garbage) -> None:
    with pytest.raises(ToolServerError, match=r"cannot start MCP server 'garbage': it wrote something that is not "
                                              r"JSON-RPC to stdout"):
        async with ToolHub([garbage.spec("--banner")], timeout_s=TIMEOUT_S):
            pass
    assert garbage.count("starts") == 1


async def test_a_side_effecting_tool_that_keeps_failing_stops_with_a_clear_reason(garbage: Garbage) -> None:
    garbage.plan(poke="garbage")
    async with ToolHub([garbage.spec()], timeout_s=TIMEOUT_S) as hub:
        first, second = await hub.call("poke", {}), await hub.call("poke", {})
        with pytest.raises(ToolServerError, match=r"'garbage' failed 3 times in a row \(last on poke\)"):
            await hub.call("poke", {})
    assert not first.ok and not second.ok  # each reported to the model first, then the run must stop
    assert garbage.count("pokes") == 0 and garbage.count("starts") == 3
