"""`langgraph dev --no-browser` serves graphs/agent.py; a run completes through langgraph-sdk."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.integration.conftest import cli_env

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PROJECT = Path(__file__).parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"langgraph dev exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/ok", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise AssertionError("langgraph dev did not come up")


@pytest.fixture
def dev_server(home: Path, tmp_path: Path):
    port = free_port()
    env = cli_env(home, LANGGRAPH_CLI_NO_ANALYTICS="1", LANGSMITH_TRACING="false")
    log = (tmp_path / "langgraph-dev.log").open("w")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "langgraph"), "dev", "--no-browser", "--no-reload",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


async def test_a_run_completes_through_the_sdk(dev_server: str) -> None:
    from langgraph_sdk import get_client

    client = get_client(url=dev_server)
    assistants = await client.assistants.search(graph_id="agent")
    thread = await client.threads.create()
    state = await client.runs.wait(
        thread["thread_id"], assistants[0]["assistant_id"],
        input={"goal": "reach level 9", "world": "rpg", "options": {"max_steps": 2}},
    )
    assert state["step"] == 2 and state["status"] == "budget_exhausted"
    assert state["decision"]["tool"]
    history = await client.threads.get_history(thread["thread_id"], limit=50)
    assert len(history) >= 10  # the dev server checkpointed every node
