"""The loopback pool: two real llama_cpp.server processes (SmolLM2) behind the LiteLLM router.

Several agents' worth of concurrent decisions go through PooledChatModel; one
backend is killed mid-run and no decision fails; it is cooled down; once
restarted it receives traffic again. Requests per backend are counted from each
server's own access log, so the router's bookkeeping is not taken on trust.
Every process is killed at the end, even when the test fails.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from neuronaut.decision import Action, decision_schema
from neuronaut.llm.pool import PooledChatModel, PoolPolicy
from neuronaut.llm.server import ServerProcess, free_port

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("litellm") is None, reason="needs requirements/pool.txt"),
    pytest.mark.skipif(importlib.util.find_spec("fastapi") is None, reason="needs llama-cpp-python[server]"),
]

MODEL = "smollm2-135m"
AGENTS = 3
COOLDOWN_S = 6.0
SCREENS = [
    ("🏠 Town · ❤️ 20/20 · Lv 1", ["🌲 Forest", "🛒 Shop", "🛏️ Inn (5g)"]),
    ("A Slime appears! You ❤️ 18/20", ["⚔️ Attack", "🛡️ Defend", "🏃 Flee"]),
    ("You won! +6 XP", ["🔍 Explore", "🏠 Town"]),
]


def decision(turn: int) -> tuple[list, dict, list[str]]:
    screen, buttons = SCREENS[turn % len(SCREENS)]
    action = Action("press_inline_button", "Press a button.",
                    {"type": "object", "properties": {"button_text": {"enum": buttons}}, "required": ["button_text"]})
    messages = [SystemMessage("You play a Telegram RPG by pressing buttons. Answer with one JSON object."),
                HumanMessage(f"Game screen: {screen}\nButtons: " + " | ".join(f"[{b}]" for b in buttons))]
    return messages, decision_schema([action]), buttons


async def agent(pool: PooledChatModel, turns: int, done: list[str]) -> None:
    """One agent's decisions, one after another, as the graph makes them."""
    for turn in range(turns):
        messages, schema, buttons = decision(turn)
        completion = await pool.decide(messages, schema)
        assert completion.data["tool"] == "press_inline_button"
        assert completion.data["args"]["button_text"] in buttons  # the grammar kept the emoji
        done.append(completion.extra["endpoint"])


def start_backends(count: int, tmp_path: Path) -> Iterator[list[ServerProcess]]:
    servers = [ServerProcess(MODEL, free_port(), tmp_path / f"backend-{i}.log", n_ctx=2048, threads=1)
               for i in range(count)]
    try:
        for server in servers:
            server.start(ready_within_s=180)
        yield servers
    finally:
        for server in servers:  # even when the test (or a start) failed
            server.kill()


@pytest.fixture
def backends(tmp_path: Path, home: Path) -> Iterator[list[ServerProcess]]:
    yield from start_backends(2, tmp_path)


@pytest.fixture
def backend(tmp_path: Path, home: Path) -> Iterator[ServerProcess]:
    for servers in start_backends(1, tmp_path):
        yield servers[0]


@pytest.fixture
async def pool(backends: list[ServerProcess], monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[PooledChatModel]:
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no price-list download at import
    model = PooledChatModel([b.url for b in backends], model=MODEL, max_tokens=256,
                            policy=PoolPolicy(retries=3, allowed_fails=1, cooldown_s=COOLDOWN_S, timeout_s=120))
    assert await model.start() == {b.url: True for b in backends}
    yield model
    await model.aclose()


async def wait_until(predicate, within_s: float) -> bool:  # noqa: ANN001 — an async predicate
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if await predicate():
            return True
        await asyncio.sleep(0.1)
    return False


async def test_pool_survives_a_killed_backend_and_takes_it_back(
        pool: PooledChatModel, backends: list[ServerProcess]) -> None:
    first, second = backends

    # 1. Both backends healthy: concurrent agents spread over both.
    done: list[str] = []
    await asyncio.gather(*(agent(pool, 2, done) for _ in range(AGENTS)))
    assert len(done) == AGENTS * 2
    assert first.chat_requests_served() > 0 and second.chat_requests_served() > 0

    # 2. The second backend dies mid-run: every decision still succeeds, and it is cooled down.
    done.clear()
    seen_cooling: list[list[str]] = []

    async def kill_after_first_decisions() -> None:
        while len(done) < 2:
            await asyncio.sleep(0.05)
        second.kill()
        await wait_until(lambda: _cooling_includes(pool, second.url, seen_cooling), within_s=120)

    await asyncio.gather(kill_after_first_decisions(), *(agent(pool, 4, done) for _ in range(AGENTS)))
    assert len(done) == AGENTS * 4  # no decision failed
    assert any(second.url in cooling for cooling in seen_cooling)
    served_before_restart = second.chat_requests_served()

    # 3. Restarted on the same port: once its cooldown ends it receives traffic again.
    second.start(ready_within_s=180)
    assert await wait_until(lambda: _not_cooling(pool, second.url), within_s=COOLDOWN_S + 60)
    done.clear()
    await asyncio.gather(*(agent(pool, 2, done) for _ in range(AGENTS)))
    assert len(done) == AGENTS * 2
    assert second.chat_requests_served() > served_before_restart
    assert second.url in done


async def _cooling_includes(pool: PooledChatModel, url: str, seen: list[list[str]]) -> bool:
    seen.append(await pool.cooling_down())
    return url in seen[-1]


async def _not_cooling(pool: PooledChatModel, url: str) -> bool:
    return url not in await pool.cooling_down()


async def test_a_new_request_does_not_cut_a_running_stream_short(backend: ServerProcess) -> None:
    # llama_cpp.server's default (interrupt_requests) ends a streamed answer as soon as another request waits.
    async with httpx.AsyncClient(timeout=120) as client:
        first = asyncio.create_task(_stream(client, backend.url))
        await asyncio.sleep(0.5)  # the first stream is generating when the second request arrives
        second = await _stream(client, backend.url)
        assert await first == "length" and second == "length"  # both ran to max_tokens


async def _stream(client: httpx.AsyncClient, url: str) -> str | None:
    """Stream one answer; returns its finish reason (None if the stream ended without one)."""
    body = {"model": MODEL, "messages": [{"role": "user", "content": "Count from 1 to 200, one number per line."}],
            "max_tokens": 48, "temperature": 0.0, "stream": True}
    finish = None
    async with client.stream("POST", f"{url}/chat/completions", json=body) as response:
        async for line in response.aiter_lines():
            if line.startswith("data: {"):
                finish = json.loads(line[6:])["choices"][0].get("finish_reason") or finish
    return finish
