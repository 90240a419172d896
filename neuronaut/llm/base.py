"""What the agent needs from a language model: one JSON decision that follows a schema, or free text.

Both the real local model and the scripted test model implement ``DecisionModel``,
so nodes never know which one they talk to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from langchain_core.messages import BaseMessage


class ModelOutputError(Exception):
    """The model answered something that is not a valid decision (caused by the model)."""

    def __init__(self, message: str, raw: str = "") -> None:
        super().__init__(message)
        self.raw = raw
        self.completion: Completion | None = None  # what the failed call cost, when known


@dataclass
class Completion:
    """One model answer and what it cost."""

    data: dict[str, Any]
    raw: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    prefill_tokens: int = 0  # prompt tokens actually evaluated (the rest came from the KV prefix)
    prefill_s: float = 0.0
    decode_s: float = 0.0
    total_s: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def usage(self) -> dict[str, float]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "prefill_tokens": self.prefill_tokens,
            "prefill_s": round(self.prefill_s, 4),
            "decode_s": round(self.decode_s, 4),
            "llm_s": round(self.total_s, 4),
        }


@runtime_checkable
class DecisionModel(Protocol):
    name: str

    async def decide(self, messages: list[BaseMessage], schema: dict[str, Any]) -> Completion:
        """Answer with one JSON object that satisfies ``schema``."""
        ...

    async def compose(self, messages: list[BaseMessage], max_tokens: int,
                      temperature: float | None = None) -> Completion:
        """Answer in free text (``data`` stays empty): source code reads better unescaped, outside JSON.
        ``temperature`` overrides the model's own, e.g. to sample a different answer than last time."""
        ...


def parse_json_object(raw: str) -> dict[str, Any]:
    """Parse the model's text as one JSON object, or raise ``ModelOutputError``."""
    text = raw.strip()
    if not text:
        raise ModelOutputError("the model returned an empty answer", raw)
    try:
        value = json.loads(text, strict=False)  # a raw newline inside a string is harmless
    except json.JSONDecodeError as exc:
        raise ModelOutputError(f"the answer is not valid JSON ({exc.msg} at {exc.pos})", raw) from None
    except (RecursionError, ValueError):  # absurd nesting, or an integer of thousands of digits
        raise ModelOutputError("the answer is not a usable JSON object (too deeply nested or too large)", raw) from None
    if not isinstance(value, dict):
        raise ModelOutputError("the answer must be a JSON object", raw)
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate escape: legal JSON, but no storage layer accepts it
        raise ModelOutputError("the answer contains an invalid unicode escape (a lone surrogate)", raw) from None
    return value
