"""``ModelLeftoverReader``: a model reads the examples out of one README sentence, as JSON under a schema.

The prompt is the Swift world's data file ``prompts/swift_readme_leftover.md``. A malformed
answer is the model's mistake: it yields no examples for that sentence (the
sentence stays listed as a leftover), it is not raised.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage

from neuronaut.llm.base import DecisionModel, ModelOutputError
from neuronaut.prompts import render_prompt
from neuronaut.worlds.swift.readme.leftovers import Leftover, StatedExample

log = logging.getLogger(__name__)

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"  # the Swift world's own prompt files
MAX_EXAMPLES_PER_SENTENCE = 4
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "examples": {
            "type": "array",
            "maxItems": MAX_EXAMPLES_PER_SENTENCE,
            "items": {
                "type": "object",
                "properties": {
                    "command": {"type": "string"},
                    "stdout": {"type": "string"},
                    "exit_status": {"type": "integer"},
                    "stderr": {"type": "string"},
                },
                "required": ["command", "stdout", "exit_status", "stderr"],
            },
        },
    },
    "required": ["examples"],
}


class ModelLeftoverReader:
    def __init__(self, model: DecisionModel) -> None:
        self.model = model

    async def examples(self, leftover: Leftover, executable: str) -> list[StatedExample]:
        messages = [SystemMessage(render_prompt("swift_readme_leftover", folder=PROMPTS, executable=executable)),
                    HumanMessage(leftover.text)]
        try:
            answer = await self.model.decide(messages, SCHEMA)
        except ModelOutputError as exc:
            log.info("line %d: the model's reading was unusable: %s", leftover.line, exc)
            return []
        found = []
        for item in answer.data.get("examples", [])[:MAX_EXAMPLES_PER_SENTENCE]:
            if not isinstance(item, dict) or not str(item.get("command", "")).strip():
                continue
            status = item.get("exit_status")
            found.append(StatedExample(
                command=str(item["command"]).strip(),
                stdout=str(item.get("stdout", "")),
                exit=status if isinstance(status, int) else None,
                stderr=str(item.get("stderr", "")) or None,
            ))
        return found
