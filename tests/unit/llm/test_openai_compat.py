"""OpenAIChatModel against a fake OpenAI-compatible endpoint (httpx.MockTransport), one behaviour per test."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from neuronaut.errors import UserError
from neuronaut.llm.base import ModelOutputError
from neuronaut.llm.grammar import schema_to_gbnf
from neuronaut.llm.openai_compat import ModelEndpointError, OpenAIChatModel

BASE = "http://fake-llm.test/v1"
SCHEMA = {"type": "object", "properties": {"button_text": {"enum": ["🌲 Forest", "🛒 Shop"]}},
          "required": ["button_text"]}
MESSAGES = [SystemMessage("You press buttons."), HumanMessage("Buttons: [🌲 Forest] | [🛒 Shop]")]


def chat_answer(content: str, *, finish: str = "stop", usage: dict | None = None, **extra: Any) -> dict:
    return {"id": "x", "object": "chat.completion", "model": "m",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}],
            "usage": usage if usage is not None else {"prompt_tokens": 40, "completion_tokens": 9}, **extra}


class FakeEndpoint:
    """Records every request and answers with ``reply(request)``."""

    def __init__(self, reply: Callable[[httpx.Request], httpx.Response]) -> None:
        self.reply = reply
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.reply(request)

    def body(self, index: int = -1) -> dict[str, Any]:
        return json.loads(self.requests[index].content)


def model_for(endpoint: FakeEndpoint, **kwargs: Any) -> OpenAIChatModel:
    return OpenAIChatModel(BASE, model="smollm2-135m", transport=httpx.MockTransport(endpoint), **kwargs)


def answering(content: str, **kwargs: Any) -> FakeEndpoint:
    return FakeEndpoint(lambda request: httpx.Response(200, json=chat_answer(content, **kwargs)))


def closed_port() -> int:
    with socket.socket() as sock:  # bound then closed: nothing listens there any more
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_request_carries_the_schema_as_a_grammar_with_emoji_intact() -> None:
    endpoint = answering('{"button_text": "🌲 Forest"}')
    await model_for(endpoint).decide(MESSAGES, SCHEMA)
    body = endpoint.body()
    assert body["grammar"] == schema_to_gbnf(SCHEMA)
    assert "\\U0001F332 Forest" in body["grammar"]
    assert "response_format" not in body  # the server would build a second, emoji-breaking grammar from it


async def test_response_format_mode_sends_the_json_schema_instead() -> None:
    endpoint = answering('{"button_text": "🛒 Shop"}')
    await model_for(endpoint, constraint="response_format").decide(MESSAGES, SCHEMA)
    body = endpoint.body()
    assert body["response_format"] == {"type": "json_object", "schema": SCHEMA}
    assert "grammar" not in body


async def test_request_goes_to_chat_completions_with_roles_and_sampling() -> None:
    endpoint = answering('{"button_text": "🛒 Shop"}')
    messages = [*MESSAGES, AIMessage('{"button_text": "🛒 Shop"}'), HumanMessage("again")]
    await model_for(endpoint, max_tokens=33, temperature=0.0, seed=5).decide(messages, SCHEMA)
    assert str(endpoint.requests[0].url) == f"{BASE}/chat/completions"
    body = endpoint.body()
    assert [m["role"] for m in body["messages"]] == ["system", "user", "assistant", "user"]
    assert body["messages"][1]["content"] == "Buttons: [🌲 Forest] | [🛒 Shop]"
    assert (body["model"], body["max_tokens"], body["temperature"], body["seed"]) == ("smollm2-135m", 33, 0.0, 5)


async def test_parses_the_json_decision_and_reports_usage() -> None:
    endpoint = answering('{"button_text": "🌲 Forest"}', usage={"prompt_tokens": 57, "completion_tokens": 13})
    completion = await model_for(endpoint).decide(MESSAGES, SCHEMA)
    assert completion.data == {"button_text": "🌲 Forest"}
    assert (completion.prompt_tokens, completion.completion_tokens) == (57, 13)
    assert completion.extra["endpoint"] == BASE


async def test_llama_server_timings_become_prefill_and_decode_figures() -> None:
    timings = {"prompt_n": 12, "prompt_ms": 250.0, "predicted_n": 13, "predicted_ms": 500.0}
    endpoint = answering('{"button_text": "🛒 Shop"}', usage={"prompt_tokens": 57, "completion_tokens": 13},
                         timings=timings)
    completion = await model_for(endpoint).decide(MESSAGES, SCHEMA)
    assert (completion.prefill_tokens, completion.prefill_s, completion.decode_s) == (12, 0.25, 0.5)


@pytest.mark.parametrize("content", ["", "not json at all", "[1, 2]", '{"button_text": '])
async def test_malformed_answer_is_a_model_output_error(content: str) -> None:
    with pytest.raises(ModelOutputError) as caught:
        await model_for(answering(content)).decide(MESSAGES, SCHEMA)
    assert caught.value.raw == content
    assert caught.value.completion is not None and caught.value.completion.prompt_tokens == 40  # cost still counts


async def test_an_answer_cut_off_at_max_tokens_says_so() -> None:
    with pytest.raises(ModelOutputError, match="cut off at max_tokens"):
        await model_for(answering('{"button_text": "🌲 Fo', finish="length")).decide(MESSAGES, SCHEMA)


async def test_unreachable_endpoint_is_a_user_error_naming_the_address() -> None:
    url = f"http://127.0.0.1:{closed_port()}/v1"
    model = OpenAIChatModel(url, connect_timeout_s=2.0)
    with pytest.raises(ModelEndpointError, match="cannot reach the model endpoint") as caught:
        await model.start()
    assert isinstance(caught.value, UserError)
    assert url in str(caught.value) and "neuronaut serve-model" in str(caught.value)


async def test_unreachable_during_a_decision_is_the_same_user_error() -> None:
    model = OpenAIChatModel(f"http://127.0.0.1:{closed_port()}/v1", connect_timeout_s=2.0)
    with pytest.raises(ModelEndpointError, match="cannot reach"):
        await model.decide(MESSAGES, SCHEMA)


async def test_a_timeout_names_the_limit() -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(ModelEndpointError, match="did not answer within 7 s"):
        await model_for(FakeEndpoint(hang), timeout_s=7.0).decide(MESSAGES, SCHEMA)


async def test_an_http_error_is_an_endpoint_error_not_a_model_error() -> None:
    endpoint = FakeEndpoint(lambda request: httpx.Response(500, text="grammar parse failed"))
    with pytest.raises(ModelEndpointError, match="HTTP 500 grammar parse failed"):
        await model_for(endpoint).decide(MESSAGES, SCHEMA)


async def test_a_body_without_choices_is_an_endpoint_error() -> None:
    endpoint = FakeEndpoint(lambda request: httpx.Response(200, json={"error": "busy"}))
    with pytest.raises(ModelEndpointError, match="without a chat completion"):
        await model_for(endpoint).decide(MESSAGES, SCHEMA)


async def test_start_lists_the_served_models() -> None:
    endpoint = FakeEndpoint(lambda request: httpx.Response(200, json={"data": [{"id": "smollm2-135m"}]}))
    assert await model_for(endpoint).start() == ["smollm2-135m"]
    assert str(endpoint.requests[0].url) == f"{BASE}/models"


async def test_start_rejects_an_address_that_is_not_an_openai_api() -> None:
    endpoint = FakeEndpoint(lambda request: httpx.Response(404, text="not found"))
    with pytest.raises(ModelEndpointError, match="HTTP 404"):
        await model_for(endpoint).start()


async def test_api_key_is_sent_as_a_bearer_token() -> None:
    endpoint = answering('{"button_text": "🛒 Shop"}')
    await model_for(endpoint, api_key="s3cret").decide(MESSAGES, SCHEMA)
    assert endpoint.requests[0].headers["authorization"] == "Bearer s3cret"
