"""A scripted model for tests: answers are queued with ``enqueue()`` (the simonw/llm way).

It records every prompt and schema it was given, so tests can assert on what
the agent asked, and it never loads a real model.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from typing import Any

from langchain_core.messages import BaseMessage

from neuronaut.llm.base import Completion, ModelOutputError, parse_json_object

Answer = dict[str, Any] | str | Callable[[list[BaseMessage], dict[str, Any]], dict[str, Any] | str]


class ScriptedModel:
    name = "scripted"

    def __init__(self, *answers: Answer, fallback: Answer | None = None) -> None:
        self._queue: deque[Answer] = deque(answers)
        self.fallback = fallback
        self.calls: list[tuple[list[BaseMessage], dict[str, Any]]] = []

    def enqueue(self, *answers: Answer) -> ScriptedModel:
        """Queue answers: a dict (the decision), a str (raw text, may be malformed), or a callable."""
        self._queue.extend(answers)
        return self

    @property
    def pending(self) -> int:
        return len(self._queue)

    async def compose(self, messages: list[BaseMessage], max_tokens: int,
                      temperature: float | None = None) -> Completion:
        """The next queued answer as free text (a dict is sent as its JSON); recorded with an empty schema."""
        answer = self._next(messages, {})
        return Completion(data={}, raw=answer if isinstance(answer, str) else json.dumps(answer),
                          prompt_tokens=sum(len(str(m.content).split()) for m in messages),
                          completion_tokens=len(str(answer).split()))

    async def decide(self, messages: list[BaseMessage], schema: dict[str, Any]) -> Completion:
        answer = self._next(messages, schema)
        raw = answer if isinstance(answer, str) else json.dumps(answer)
        prompt_tokens = sum(len(str(m.content).split()) for m in messages)
        completion = Completion(data={}, raw=raw, prompt_tokens=prompt_tokens, completion_tokens=len(raw.split()))
        try:
            completion.data = parse_json_object(raw)
        except ModelOutputError as exc:
            exc.completion = completion
            raise
        return completion

    def _next(self, messages: list[BaseMessage], schema: dict[str, Any]) -> Any:
        self.calls.append((list(messages), schema))
        if self._queue:
            answer = self._queue.popleft()
        elif self.fallback is not None:
            answer = self.fallback
        else:
            raise AssertionError("ScriptedModel: no answer queued for this call")
        return answer(messages, schema) if callable(answer) else answer
