"""Decisions from any OpenAI-compatible chat endpoint: llama_cpp.server, llama-server, Paddler, a LiteLLM proxy.

Decisions stay grammar-constrained. By default the request carries a ``grammar``
field built by our own ``schema_to_gbnf``: llama_cpp.server and llama-server
both honour it, and it keeps emoji intact. The alternative, the
``response_format`` schema, goes through llama-cpp-python's converter on the
server side, which turns 🌲 into a broken surrogate pair, so an enum value such as
"🌲 north" comes back as " north" (checked against llama_cpp.server 0.3.36).
``response_format`` is there for endpoints that reject unknown fields.

Two kinds of failure stay apart: an endpoint that cannot be reached or refuses
the request is a ``ModelEndpointError`` (a ``UserError``: a person must start
the server or fix the address); an answer that is not a valid decision is a
``ModelOutputError`` (the model's mistake, returned to it as an observation).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Literal

import httpx
from langchain_core.messages import BaseMessage

from neuronaut.errors import UserError
from neuronaut.llm.base import Completion, ModelOutputError, parse_json_object
from neuronaut.llm.grammar import schema_to_gbnf

log = logging.getLogger(__name__)

Constraint = Literal["grammar", "response_format", "none"]

_ROLES = {"system": "system", "human": "user", "ai": "assistant", "tool": "tool"}
_START_HINT = "start one with `neuronaut serve-model --port 8080` or fix model_endpoints"


class ModelEndpointError(UserError):
    """A model endpoint cannot be reached, timed out or refused the request."""


def openai_messages(messages: list[BaseMessage]) -> list[dict[str, str]]:
    """LangChain messages → the OpenAI chat format (text only: decisions never carry images)."""
    converted = []
    for message in messages:
        content = message.content
        if not isinstance(content, str):
            content = "".join(part if isinstance(part, str) else str(part.get("text", "")) for part in content)
        converted.append({"role": _ROLES.get(message.type, "user"), "content": content})
    return converted


def constraint_fields(schema: dict[str, Any], constraint: Constraint) -> dict[str, Any]:
    """The request fields that make the server emit only JSON that satisfies ``schema``."""
    if constraint == "grammar":
        return {"grammar": schema_to_gbnf(schema)}
    if constraint == "response_format":
        return {"response_format": {"type": "json_object", "schema": schema}}
    return {}  # an endpoint that constrains nothing (e.g. Paddler's OpenAI address): the answer is checked after


def completion_from(payload: Any, total_s: float, endpoint: str, *, free_text: bool = False) -> Completion:
    """An OpenAI chat-completion body → ``Completion``; raises ``ModelOutputError`` if not a decision."""
    try:
        choice = payload["choices"][0]
        raw = choice["message"]["content"] or ""
    except (KeyError, IndexError, TypeError):
        raise ModelEndpointError(f"the model endpoint {endpoint} answered without a chat completion") from None
    usage = payload.get("usage") or {}
    timings = payload.get("timings") or {}  # llama-server reports these; llama_cpp.server does not
    prompt_tokens = int(usage.get("prompt_tokens") or 0)
    completion = Completion(
        data={},
        raw=raw,
        prompt_tokens=prompt_tokens,
        completion_tokens=int(usage.get("completion_tokens") or 0),
        # Without timings the KV-prefix reuse is unknown: count every prompt token as evaluated (an upper bound).
        prefill_tokens=int(timings.get("prompt_n", prompt_tokens)),
        prefill_s=float(timings.get("prompt_ms", 0.0)) / 1000,
        decode_s=float(timings.get("predicted_ms", 0.0)) / 1000,
        total_s=total_s,
        extra={"endpoint": endpoint, "finish_reason": choice.get("finish_reason")},
    )
    if free_text:
        return completion
    try:
        completion.data = parse_json_object(raw)
    except ModelOutputError as exc:
        if choice.get("finish_reason") == "length":
            exc.args = (f"{exc.args[0]}; the answer was cut off at max_tokens",)
        exc.completion = completion  # the tokens were spent all the same
        raise
    return completion


class OpenAIChatModel:
    """``DecisionModel`` over one OpenAI-compatible endpoint such as ``http://127.0.0.1:8080/v1``."""

    def __init__(
        self,
        base_url: str,
        *,
        model: str = "local",
        name: str | None = None,
        timeout_s: float = 120.0,
        connect_timeout_s: float = 5.0,
        max_tokens: int = 160,
        temperature: float = 0.2,
        seed: int | None = 7,
        constraint: Constraint = "grammar",
        api_key: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.name = name or f"{model}@{self.base_url}"
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.seed = seed
        self.constraint: Constraint = constraint
        # The read timeout covers the wait in the server's queue too: one request at a time per server.
        self._timeout = httpx.Timeout(timeout_s, connect=connect_timeout_s)
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._closing: asyncio.Task[None] | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:  # created on first use, inside the event loop that will use it
            self._client = httpx.AsyncClient(timeout=self._timeout, headers=self._headers, transport=self._transport)
        return self._client

    async def start(self) -> list[str]:
        """Check that the endpoint answers; returns the model ids it serves. Call once before a run."""
        try:
            response = await self._http().get(f"{self.base_url}/models")
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from None
        if response.status_code >= 400:
            raise ModelEndpointError(f"the model endpoint {self.base_url} answered HTTP {response.status_code} "
                                     f"to GET /models; is it an OpenAI-compatible /v1 address?")
        try:
            return [str(item.get("id")) for item in response.json().get("data", [])]
        except (ValueError, AttributeError):
            return []  # some proxies answer /models loosely; the chat route is what matters

    def request_body(self, messages: list[BaseMessage], schema: dict[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": openai_messages(messages),
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            **constraint_fields(schema, self.constraint),
        }
        if self.seed is not None:
            body["seed"] = self.seed
        return body

    async def decide(self, messages: list[BaseMessage], schema: dict[str, Any]) -> Completion:
        return await self._chat(self.request_body(messages, schema), free_text=False)

    async def compose(self, messages: list[BaseMessage], max_tokens: int,
                      temperature: float | None = None) -> Completion:
        body = {**self.request_body(messages, {}), "max_tokens": max_tokens}
        if temperature is not None:
            body["temperature"] = temperature
        for field in ("grammar", "response_format"):
            body.pop(field, None)
        return await self._chat(body, free_text=True)

    async def _chat(self, body: dict[str, Any], *, free_text: bool) -> Completion:
        started = time.perf_counter()
        try:
            response = await self._http().post(f"{self.base_url}/chat/completions", json=body)
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from None
        if response.status_code >= 400:
            raise ModelEndpointError(f"the model endpoint {self.base_url} refused the request: "
                                     f"HTTP {response.status_code} {response.text[:200]}")
        try:
            payload = response.json()
        except ValueError:
            raise ModelEndpointError(f"the model endpoint {self.base_url} answered with something other than JSON") \
                from None
        return completion_from(payload, time.perf_counter() - started, self.base_url, free_text=free_text)

    def _unreachable(self, exc: httpx.HTTPError) -> ModelEndpointError:
        if isinstance(exc, httpx.TimeoutException) and not isinstance(exc, httpx.ConnectTimeout):
            return ModelEndpointError(f"the model endpoint {self.base_url} did not answer within "
                                      f"{self._timeout.read:.0f} s; raise endpoint_timeout_s or check the server")
        reason = str(exc) or type(exc).__name__
        return ModelEndpointError(f"cannot reach the model endpoint {self.base_url} ({reason}); {_START_HINT}")

    async def aclose(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()

    def close(self) -> None:
        """Sync close for ``ExitStack.callback``: schedules ``aclose`` on the running loop, if any."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._client = None  # no loop left: the sockets go with the garbage collector
            return
        self._closing = loop.create_task(self.aclose())  # kept so the task is not collected before it runs
