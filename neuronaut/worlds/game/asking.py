"""The questions the game world asks the run's model while it learns a bot: pick one of some options, read a
screen under a JSON schema, write a reader. Prompts are the world's data files (``prompts/game_*.md``)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from string import Template
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage

from neuronaut.llm.base import DecisionModel, ModelOutputError
from neuronaut.worlds.game.goals import normalise
from neuronaut.worlds.game.reader import extract_code

log = logging.getLogger(__name__)

READER_TOKENS = 400
_SYSTEM = "You help an agent learn a chat game. Answer only as asked."
_READING_SCHEMA = {
    "type": "object",
    "properties": {"quantities": {"type": "object", "maxProperties": 16, "additionalProperties": {
        "anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 80}]}}},
    "required": ["quantities"],
}


class ModelQuestions:
    def __init__(self, model: DecisionModel | None, prompt: Callable[[str], str]) -> None:
        self.model = model
        self._prompt = prompt
        self.calls = 0

    async def choose(self, prompt: str, options: list[str], **values: str) -> str | None:
        """One of ``options`` (or None: the model said none fits, or gave no usable answer)."""
        if not options:
            return None
        schema = {"type": "object", "properties": {"choice": {"enum": [*options, "none"]}}, "required": ["choice"]}
        data = await self._decide(self._render(prompt, **values), schema)
        choice = (data or {}).get("choice")
        return choice if choice in options else None

    async def read(self, text: str, names: list[str]) -> dict[str, Any]:
        """The player's quantities on the screen ``text``, as the model reads them (named as before)."""
        hint = f"Name them as before where they appear: {', '.join(names)}." if names else ""
        data = await self._decide(self._render("game_reading", names=hint, screen=text[-1500:]), _READING_SCHEMA)
        found = (data or {}).get("quantities")
        return {str(k): v for k, v in found.items() if v not in (None, "")} if isinstance(found, dict) else {}

    async def write(self, text: str, expected: dict[str, Any], feedback: str) -> str:
        """The source of a ``read(text)`` meant to give ``expected`` on ``text``; "" without a model."""
        if self.model is None:
            return ""
        messages = [SystemMessage(_SYSTEM), HumanMessage(self._render(
            "game_reader_code", screen=text[-1500:], expected=expected_lines(text, expected),
            skeleton=skeleton(expected), feedback=feedback))]
        self.calls += 1
        completion = await self.model.compose(messages, max_tokens=READER_TOKENS)
        return extract_code(completion.raw)

    async def _decide(self, text: str, schema: dict[str, Any]) -> dict[str, Any] | None:
        if self.model is None:
            return None
        self.calls += 1
        try:
            return (await self.model.decide([SystemMessage(_SYSTEM), HumanMessage(text)], schema)).data
        except ModelOutputError as exc:
            log.info("the model's answer was unusable: %s", exc)
            return None

    def _render(self, name: str, **values: Any) -> str:
        return Template(self._prompt(name)).safe_substitute({k: str(v) for k, v in values.items()})


def skeleton(expected: dict[str, Any]) -> str:
    """``read(text)`` with one ``re.search`` per expected quantity, its pattern left for the model to write:
    a small model fills in patterns far more reliably than it lays out a whole function."""
    body = ["import re", "", "", "def read(text):", "    found = {}"]
    for name, value in expected.items():
        convert = "int(m.group(1))" if isinstance(value, int) else "m.group(1).strip()"
        body += [f'    m = re.search(r"...", text)  # {name}', "    if m:",
                 f"        found[{json.dumps(name, ensure_ascii=False)}] = {convert}"]
    return "\n".join([*body, "    return found"])


def expected_lines(text: str, expected: dict[str, Any]) -> str:
    """The expected reading, one quantity a line with the screen line its value is on: a small model copies a
    pattern from the line far better than it finds one in the whole screen."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    rows = []
    for name, value in expected.items():
        shown = str(value)
        pattern = rf"(?<!\d){re.escape(shown)}(?!\d)" if isinstance(value, int) else re.escape(shown)
        holding = [line for line in lines if re.search(pattern, line)]
        named = [line for line in holding if normalise(name)[:3] in normalise(line)]  # "depth" on "DEPTH 0"
        line = (named or holding or [""])[0]
        rows.append(f"- {json.dumps(name, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"
                    + (f"  (on the line: {line})" if line else ""))
    return "\n".join(rows)
