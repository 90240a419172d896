"""The local model: langchain-community's ``ChatLlamaCpp`` behind ``DecisionModel``.

Every decision is grammar-constrained: the JSON schema becomes a llama.cpp
grammar, so the model can only produce a valid call. langchain-community is
being sunset; this module is the only place that knows about it.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from pathlib import Path
from typing import Any

import llama_cpp
from langchain_core.messages import BaseMessage

from neuronaut.errors import ModelNotAvailable
from neuronaut.llm.base import Completion, ModelOutputError, parse_json_object
from neuronaut.llm.grammar import schema_grammar

log = logging.getLogger(__name__)


class LocalChatModel:
    """A GGUF model loaded once and shared by every node of a run."""

    def __init__(
        self,
        model_path: Path,
        *,
        name: str | None = None,
        n_ctx: int = 8192,
        n_batch: int = 512,
        n_threads: int = 2,
        max_tokens: int = 160,
        temperature: float = 0.2,
        seed: int = 7,
    ) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            # Here, not at the top: langchain_community is slow to import and warns as it loads.
            from langchain_community.chat_models.llamacpp import ChatLlamaCpp
        self.name = name or model_path.stem
        self.path = model_path
        try:
            self._chat = ChatLlamaCpp(
                model_path=str(model_path),
                n_ctx=n_ctx,  # the wrapper's 512 cannot hold a planning prompt
                n_batch=n_batch,  # and its batch of 8 makes prefill crawl
                n_threads=n_threads,
                max_tokens=max_tokens,
                temperature=temperature,
                seed=seed,
                streaming=False,  # one whole answer per call: nothing reads tokens as they come
                # 0 = the model's own RoPE settings. The wrapper's default base of 10,000 is wrong for Qwen2.5
                # (1,000,000): positions blur, and code came out with ")))" for ")" as prompts grew.
                rope_freq_base=0.0,
                rope_freq_scale=0.0,
                verbose=False,
            )
        except ValueError as exc:
            raise ModelNotAvailable(f"cannot load model {model_path}: {_first_line(exc)}") from None
        self._llama = self._chat.client
        # One llama context serves one request at a time.
        self._lock = asyncio.Lock()

    async def decide(self, messages: list[BaseMessage], schema: dict[str, Any]) -> Completion:
        async with self._lock:
            return await asyncio.to_thread(self._decide_blocking, messages, schema)

    async def compose(self, messages: list[BaseMessage], max_tokens: int,
                      temperature: float | None = None) -> Completion:
        limits = {"max_tokens": max_tokens, **({"temperature": temperature} if temperature is not None else {})}
        async with self._lock:
            return await asyncio.to_thread(self._generate_blocking, messages, None, limits)

    def _decide_blocking(self, messages: list[BaseMessage], schema: dict[str, Any]) -> Completion:
        return self._generate_blocking(messages, schema, {})

    def _generate_blocking(self, messages: list[BaseMessage], schema: dict[str, Any] | None,
                           overrides: dict[str, Any]) -> Completion:
        # Free text is code, where repeating tokens is normal: no repeat penalty.
        limits: dict[str, Any] = {"grammar": schema_grammar(schema)} if schema is not None else {"repeat_penalty": 1.0}
        limits.update(overrides)
        _reset_perf(self._llama)
        started = time.perf_counter()
        try:
            raw = self._chat.generate([messages], **limits).generations[0][0].text
        except ValueError as exc:  # llama-cpp-python's only signal for an over-long prompt
            raise ModelOutputError(f"the prompt does not fit the model's context: {_first_line(exc)}") from None
        total = time.perf_counter() - started
        # ChatLlamaCpp drops llama.cpp's usage on the way out; its performance counters say more anyway.
        perf = _read_perf(self._llama)
        decoded = int(perf.get("n_eval", 0))
        in_context = int(getattr(self._llama, "n_tokens", 0))
        completion = Completion(
            data={},
            raw=raw,
            prompt_tokens=max(in_context - decoded, int(perf.get("n_p_eval", 0))),
            completion_tokens=decoded,
            prefill_tokens=perf.get("n_p_eval", 0),
            prefill_s=perf.get("t_p_eval_ms", 0.0) / 1000,
            decode_s=perf.get("t_eval_ms", 0.0) / 1000,
            total_s=total,
        )
        if schema is None:
            return completion
        try:
            completion.data = parse_json_object(raw)
        except ModelOutputError as exc:
            exc.completion = completion  # the cost still counts
            raise
        return completion

    def close(self) -> None:
        client = getattr(self._chat, "client", None)
        if client is not None and hasattr(client, "close"):
            client.close()


def _reset_perf(llama: Any) -> None:
    try:
        llama_cpp.llama_perf_context_reset(llama._ctx.ctx)
    except AttributeError:  # counters are a nicety; a newer binding may move them
        pass


def _read_perf(llama: Any) -> dict[str, float]:
    try:
        data = llama_cpp.llama_perf_context(llama._ctx.ctx)
        return {name: getattr(data, name) for name in ("n_p_eval", "t_p_eval_ms", "n_eval", "t_eval_ms")}
    except AttributeError:
        return {}


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
