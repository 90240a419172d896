"""PooledChatModel (LiteLLM router) against tiny in-process OpenAI-compatible servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import socket
import threading
from collections.abc import AsyncIterator
from typing import Any

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

if importlib.util.find_spec("litellm") is None:  # not importorskip: importing litellm early fetches a price list
    pytest.skip("the model pool needs requirements/pool.txt installed", allow_module_level=True)
uvicorn = pytest.importorskip("uvicorn")
from starlette.applications import Starlette  # noqa: E402  (after the skip: uvicorn brings starlette)
from starlette.requests import Request  # noqa: E402
from starlette.responses import JSONResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

from neuronaut.errors import UserError  # noqa: E402
from neuronaut.llm.base import ModelOutputError  # noqa: E402
from neuronaut.llm.grammar import schema_to_gbnf  # noqa: E402
from neuronaut.llm.openai_compat import ModelEndpointError  # noqa: E402
from neuronaut.llm.pool import PooledChatModel, PoolPolicy  # noqa: E402

SCHEMA = {"type": "object", "properties": {"button_text": {"enum": ["🌲 Forest", "🛒 Shop"]}},
          "required": ["button_text"]}
MESSAGES = [SystemMessage("You press buttons."), HumanMessage("Buttons: [🌲 Forest] | [🛒 Shop]")]


class FakeBackend:
    """An OpenAI-compatible chat endpoint that records bodies and answers ``content`` after ``delay_s``."""

    def __init__(self, content: str = '{"button_text": "🌲 Forest"}', delay_s: float = 0.0) -> None:
        self.content, self.delay_s = content, delay_s
        self.bodies: list[dict[str, Any]] = []
        app = Starlette(routes=[Route("/v1/chat/completions", self._chat, methods=["POST"]),
                                Route("/v1/models", self._models)])
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}/v1"
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="error", lifespan="off"))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True)

    async def _chat(self, request: Request) -> JSONResponse:
        self.bodies.append(json.loads(await request.body()))
        await asyncio.sleep(self.delay_s)
        return JSONResponse({"id": "x", "object": "chat.completion", "created": 0, "model": "m",
                             "choices": [{"index": 0, "finish_reason": "stop",
                                          "message": {"role": "assistant", "content": self.content}}],
                             "usage": {"prompt_tokens": 40, "completion_tokens": 9, "total_tokens": 49}})

    async def _models(self, request: Request) -> JSONResponse:
        return JSONResponse({"object": "list", "data": [{"id": "m", "object": "model"}]})

    def __enter__(self) -> FakeBackend:
        self._thread.start()
        while not self._server.started:
            self._thread.join(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._sock.close()


def dead_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


@pytest.fixture(autouse=True)
def offline_litellm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # Settings sets it in a real run


@pytest.fixture
async def pools() -> AsyncIterator[list[PooledChatModel]]:
    made: list[PooledChatModel] = []
    yield made
    for pool in made:
        await pool.aclose()


def pool_of(pools: list[PooledChatModel], *urls: str, **kwargs: Any) -> PooledChatModel:
    pool = PooledChatModel(list(urls), model="m", policy=PoolPolicy(retries=3, cooldown_s=60, timeout_s=10), **kwargs)
    pools.append(pool)
    return pool


async def test_the_grammar_reaches_the_backend_through_the_router(pools: list[PooledChatModel]) -> None:
    with FakeBackend() as backend:
        completion = await pool_of(pools, backend.url).decide(MESSAGES, SCHEMA)
    assert backend.bodies[0]["grammar"] == schema_to_gbnf(SCHEMA)
    assert backend.bodies[0]["messages"][1]["content"] == "Buttons: [🌲 Forest] | [🛒 Shop]"
    assert completion.data == {"button_text": "🌲 Forest"}
    assert (completion.prompt_tokens, completion.completion_tokens) == (40, 9)
    assert completion.extra["endpoint"] == backend.url


async def test_a_dead_backend_costs_no_failed_decision_and_is_cooled_down(pools: list[PooledChatModel]) -> None:
    dead = dead_url()
    with FakeBackend() as live:
        pool = pool_of(pools, dead, live.url)
        results = await asyncio.gather(*(pool.decide(MESSAGES, SCHEMA) for _ in range(6)))
        cooling = await pool.cooling_down()
    assert all(r.data == {"button_text": "🌲 Forest"} for r in results)
    assert pool.served == {live.url: 6} and len(live.bodies) == 6
    assert cooling == [dead]


async def test_concurrent_decisions_spread_over_idle_backends(pools: list[PooledChatModel]) -> None:
    # Each answer takes a moment, so the requests overlap and the least busy backend changes.
    with FakeBackend(delay_s=0.3) as first, FakeBackend(delay_s=0.3) as second:
        pool = pool_of(pools, first.url, second.url)
        await asyncio.gather(*(pool.decide(MESSAGES, SCHEMA) for _ in range(4)))
    assert len(first.bodies) >= 1 and len(second.bodies) >= 1
    assert sum(pool.served.values()) == 4


async def test_a_malformed_answer_is_the_models_error_and_is_not_retried(pools: list[PooledChatModel]) -> None:
    with FakeBackend(content="{not json") as backend:
        with pytest.raises(ModelOutputError) as caught:
            await pool_of(pools, backend.url).decide(MESSAGES, SCHEMA)
    assert len(backend.bodies) == 1
    assert caught.value.completion is not None and caught.value.completion.prompt_tokens == 40


async def test_every_backend_down_is_a_user_error(pools: list[PooledChatModel]) -> None:
    pool = pool_of(pools, dead_url(), dead_url())
    with pytest.raises(ModelEndpointError, match="every attempt on the model pool failed") as caught:
        await pool.decide(MESSAGES, SCHEMA)
    assert isinstance(caught.value, UserError)


async def test_start_fails_only_when_no_endpoint_answers(pools: list[PooledChatModel]) -> None:
    dead = dead_url()
    with FakeBackend() as live:
        assert await pool_of(pools, dead, live.url).start() == {dead: False, live.url: True}
    with pytest.raises(ModelEndpointError, match="no model endpoint of the pool answers"):
        await pool_of(pools, dead).start()


def test_a_pool_without_endpoints_is_a_user_error() -> None:
    with pytest.raises(UserError, match="at least one endpoint"):
        PooledChatModel([])


async def test_close_unhooks_the_pool_from_litellms_global_callbacks() -> None:
    import litellm

    with FakeBackend() as backend:
        pool = PooledChatModel([backend.url], model="m")
        counter = pool._router.leastbusy_logger
        await pool.decide(MESSAGES, SCHEMA)  # LiteLLM spreads its callbacks over more lists on first use
        await pool.aclose()
    lists = [getattr(litellm, name, None) or [] for name in dir(litellm) if name.endswith(("callback", "callbacks"))]
    assert not any(any(c is counter for c in lst) for lst in lists if isinstance(lst, list))
