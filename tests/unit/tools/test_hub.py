"""The tool hub against a real stdio MCP server that crashes, hangs and fails on request."""

import sys
from pathlib import Path

import pytest

from neuronaut.errors import ToolServerError
from neuronaut.tools.hub import ToolHub
from neuronaut.tools.types import ServerSpec

FLAKY = Path(__file__).parents[2] / "fixtures" / "servers" / "flaky.py"


@pytest.fixture
async def hub(tmp_path: Path):
    spec = ServerSpec("flaky", sys.executable, (str(FLAKY), str(tmp_path / "crashed")))
    async with ToolHub([spec], timeout_s=3, max_restarts=2) as opened:
        yield opened


async def test_catalogue_reads_annotations(hub: ToolHub) -> None:
    assert hub.catalogue["echo"].read_only
    assert hub.catalogue["hang"].destructive


async def test_call_returns_text(hub: ToolHub) -> None:
    outcome = await hub.call("echo", {"text": "hi"})
    assert outcome.ok and outcome.text == "hi"


async def test_unknown_tool_is_an_observation(hub: ToolHub) -> None:
    outcome = await hub.call("rm_rf", {})
    assert not outcome.ok and "available: " in outcome.error


async def test_invalid_arguments_are_an_observation(hub: ToolHub) -> None:
    outcome = await hub.call("echo", {"text": {"nested": True}})
    assert not outcome.ok


async def test_tool_error_is_an_observation(hub: ToolHub) -> None:
    outcome = await hub.call("fail", {"reason": "no such button"})
    assert not outcome.ok and "no such button" in outcome.error


async def test_crashed_server_is_restarted_and_read_only_call_retried(hub: ToolHub) -> None:
    outcome = await hub.call("crash_once", {})
    assert outcome.ok and outcome.text == "recovered"


async def test_server_that_keeps_crashing_raises(hub: ToolHub) -> None:
    with pytest.raises(ToolServerError, match="failed 3 times"):
        await hub.call("always_crash", {})


async def test_hung_side_effecting_call_is_reported_not_repeated(hub: ToolHub) -> None:
    outcome = await hub.call("hang", {"seconds": 30})
    assert not outcome.ok and "check the state before acting again" in outcome.error
    assert (await hub.call("echo", {"text": "still here"})).text == "still here"


async def test_a_server_that_cannot_start_is_a_clear_error(tmp_path: Path) -> None:
    spec = ServerSpec("ghost", sys.executable, ("-c", "import sys; sys.exit(3)"))
    with pytest.raises(ToolServerError, match="ghost"):
        async with ToolHub([spec]):
            pass
