"""The local model: a GGUF file run in-process by llama-cpp-python, behind ``DecisionModel``.

Every decision is grammar-constrained: the JSON schema becomes a llama.cpp
grammar, so the model can only produce a valid call.

The prompt is rendered with the model's own chat template and tokenized here,
then completed by ``Llama.create_completion`` — the same steps
``Llama.create_chat_completion`` takes — because the stable prefix (the leading
system messages) must be known as tokens: its KV state is restored from disk
by a new process (``prefix_cache``) instead of being prefilled again.
langchain-community's ``ChatLlamaCpp`` rendered and tokenized out of reach,
and added nothing else here but per-call message conversion and callbacks.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import Any

from langchain_core.messages import BaseMessage

from neuronaut.errors import ModelNotAvailable
from neuronaut.llm.base import Completion, ModelOutputError, parse_json_object
from neuronaut.llm.chat_template import ChatTemplate, Prompt, as_chat_dicts
from neuronaut.llm.grammar import schema_grammar
from neuronaut.llm.prefix_cache import PrefixCache, model_identity

log = logging.getLogger(__name__)

MIN_PREFIX_TOKENS = 64  # shorter prefixes prefill faster than their state loads
SAMPLING = {"top_k": 40, "top_p": 0.95, "min_p": 0.05}
# Decisions keep the repeat penalty the agent's behaviour was measured with (LangChain's ChatLlamaCpp default);
# free text (drafts) never had one. The penalty costs the sampler a pass over the whole vocabulary per token:
# dropping it (llama-cpp-python's own default, 1.0) is faster but changes decisions, so it waits for the
# learning-curve bench to show it does no harm (bench/llm_speed.py measures the cost).
DECISION_REPEAT_PENALTY = 1.1


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
        prefix_cache_dir: Path | None = None,
        prefix_cache_entries: int = 3,
    ) -> None:
        from llama_cpp import Llama

        self.name = name or model_path.stem
        self.path = model_path
        self.max_tokens = max_tokens
        self.temperature = temperature
        try:
            self._llama = Llama(
                model_path=str(model_path),
                n_ctx=n_ctx,
                n_batch=n_batch,
                n_threads=n_threads,
                seed=seed,  # every call samples from this seed: the same prompt gives the same answer
                # 0 = the model's own RoPE settings (Qwen2.5's base is 1,000,000, not the common 10,000).
                rope_freq_base=0.0,
                rope_freq_scale=0.0,
                verbose=False,
            )
        except ValueError as exc:
            raise ModelNotAvailable(f"cannot load model {model_path}: {_first_line(exc)}") from None
        self._template = ChatTemplate.of(self._llama)
        self._prefix_cache = None
        if prefix_cache_dir is not None and prefix_cache_entries > 0 and self._template is not None:
            self._prefix_cache = PrefixCache(prefix_cache_dir, model_identity(model_path, n_ctx),
                                             keep=prefix_cache_entries)
        # One llama context serves one request at a time.
        self._lock = asyncio.Lock()

    async def decide(self, messages: list[BaseMessage], schema: dict[str, Any]) -> Completion:
        async with self._lock:
            return await asyncio.to_thread(self._generate_blocking, messages, schema, {})

    async def compose(self, messages: list[BaseMessage], max_tokens: int,
                      temperature: float | None = None) -> Completion:
        limits = {"max_tokens": max_tokens, **({"temperature": temperature} if temperature is not None else {})}
        async with self._lock:
            return await asyncio.to_thread(self._generate_blocking, messages, None, limits)

    def _generate_blocking(self, messages: list[BaseMessage], schema: dict[str, Any] | None,
                           overrides: dict[str, Any]) -> Completion:
        options: dict[str, Any] = {"max_tokens": self.max_tokens, "temperature": self.temperature, **SAMPLING,
                                   "repeat_penalty": DECISION_REPEAT_PENALTY if schema is not None else 1.0,
                                   "grammar": schema_grammar(schema) if schema is not None else None, **overrides}
        _reset_perf(self._llama)
        started = time.perf_counter()
        chat = as_chat_dicts(messages)
        prompt = self._template.render(chat) if self._template is not None else None
        prefix = "none"
        try:
            if prompt is None:  # a format llama-cpp-python knows by name only: its own chat path
                response = self._llama.create_chat_completion(messages=chat, **options)
                raw = response["choices"][0]["message"]["content"] or ""
            else:
                prefix = self._warm_prefix(chat, prompt)
                response = self._llama.create_completion(prompt=prompt.tokens, stop=prompt.stop,
                                                         stopping_criteria=prompt.stopping_criteria, **options)
                raw = response["choices"][0]["text"]
        except ValueError as exc:  # llama-cpp-python's only signal for an over-long prompt
            raise ModelOutputError(f"the prompt does not fit the model's context: {_first_line(exc)}") from None
        total = time.perf_counter() - started
        perf = _read_perf(self._llama)
        decoded = int(perf.get("n_eval", 0))
        prompt_tokens = len(prompt.tokens) if prompt is not None else max(
            int(getattr(self._llama, "n_tokens", 0)) - decoded, int(perf.get("n_p_eval", 0)))
        completion = Completion(
            data={},
            raw=raw,
            prompt_tokens=prompt_tokens,
            completion_tokens=decoded,
            prefill_tokens=perf.get("n_p_eval", 0),
            prefill_s=perf.get("t_p_eval_ms", 0.0) / 1000,
            decode_s=perf.get("t_eval_ms", 0.0) / 1000,
            total_s=total,
            extra={"prefix": prefix},
        )
        if schema is None:
            return completion
        try:
            completion.data = parse_json_object(raw)
        except ModelOutputError as exc:
            exc.completion = completion  # the cost still counts
            raise
        return completion

    def _warm_prefix(self, chat: list[dict[str, str]], prompt: Prompt) -> str:
        """Make the context hold the prompt's stable prefix; say where it came from.

        "held": already in the context; "restored": loaded from disk; "prefilled": evaluated now (and saved);
        "none": no cache, or no prefix worth one.
        """
        if self._prefix_cache is None or len(prompt.tokens) >= self._llama.n_ctx():
            return "none"  # an over-long prompt is create_completion's to refuse
        prefix = self._template.stable_prefix(chat, prompt)
        if len(prefix) < MIN_PREFIX_TOKENS:
            return "none"
        llama = self._llama
        held = _common_length(llama.input_ids[: llama.n_tokens].tolist(), prefix)
        if held == len(prefix):
            return "held"
        if self._prefix_cache.load(llama, prefix):
            return "restored"
        llama.n_tokens = held  # eval drops the cells after it
        llama.eval(prefix[held:])
        self._prefix_cache.save(llama, prefix)
        return "prefilled"

    def close(self) -> None:
        self._llama.close()


def _common_length(a: list[int], b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _reset_perf(llama: Any) -> None:
    try:
        import llama_cpp

        llama_cpp.llama_perf_context_reset(llama._ctx.ctx)
    except (AttributeError, ImportError):  # counters are a nicety; a newer binding may move them
        pass


def _read_perf(llama: Any) -> dict[str, float]:
    try:
        import llama_cpp

        data = llama_cpp.llama_perf_context(llama._ctx.ctx)
        return {name: getattr(data, name) for name in ("n_p_eval", "t_p_eval_ms", "n_eval", "t_eval_ms")}
    except (AttributeError, ImportError):
        return {}


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
