"""Drafting: the long text argument of a decision (a source file) is written in a second, free-text answer.

The decision names the action and says in its thought what the text must do;
then the model writes the text itself with no JSON around it. Code inside a
JSON string is where a small model fails: it leaves quotes unescaped and ends
the string early, or writes worse code under the grammar. The two calls are
the architect/editor split, with the same model in both roles.
"""

from __future__ import annotations

import logging
import re

from langchain_core.messages import HumanMessage, SystemMessage

from neuronaut.llm.base import Completion, ModelOutputError
from neuronaut.services import Services
from neuronaut.state import Decision
from neuronaut.worlds.capabilities import drafting

log = logging.getLogger(__name__)

# A draft the world rejects (e.g. the very file that fails now) is written once more, from scratch: shown its
# own failing text again, a small model copies it; asked anew, it samples a different program.
ATTEMPTS = 2
FRESH_TEMPERATURE = 0.8
_FENCE = re.compile(r"```[^\n`]*\n(.*?)(?:```|\Z)", re.DOTALL)


async def draft_argument(services: Services, decision: Decision) -> tuple[Decision, list[Completion]]:
    """``decision`` with its drafted argument written, or turned into an error the model will see."""
    world, tool = drafting(services.world), decision.get("tool", "")
    argument = world.drafted_args.get(tool) if world else None
    if not world or not argument:
        return decision, []
    completions: list[Completion] = []
    args, thought = dict(decision.get("args", {})), decision.get("thought", "")
    system = services.world.prompt(world.draft_prompt) if world.draft_prompt else ""
    problem = ""
    for attempt in range(ATTEMPTS):
        fresh = attempt > 0 and bool(problem)
        request = world.draft_request(tool, args, thought, fresh=fresh)
        messages = [SystemMessage(system), HumanMessage(request + (f"\n\n{problem}" if problem else ""))]
        try:
            completion = await services.model.compose(messages, world.draft_tokens,
                                                      temperature=FRESH_TEMPERATURE if fresh else None)
        except ModelOutputError as exc:  # e.g. the request does not fit the context
            if exc.completion:
                completions.append(exc.completion)
            return _failed(decision, f"could not write the {argument}: {exc}"), completions
        completions.append(completion)
        text = extract_text(completion.raw)
        if not text.strip():
            problem = f"Your answer held no {argument}. Reply with the complete {argument} in one code block."
            continue
        drafted = Decision(thought=thought, tool=tool, args={**args, argument: text})
        problem = world.draft_feedback(tool, drafted["args"])
        if not problem:
            return drafted, completions
        log.info("draft for %s rejected: %s", tool, problem)
    return _failed(decision, problem), completions


def extract_text(raw: str) -> str:
    """The first fenced block of an answer (a block cut off by max_tokens included), else the whole answer."""
    match = _FENCE.search(raw)
    text = match.group(1) if match else raw.strip()
    return text if text.endswith("\n") or not text else text + "\n"


def _failed(decision: Decision, reason: str) -> Decision:
    return Decision(thought=decision.get("thought", ""), tool=decision.get("tool", ""),
                    args=dict(decision.get("args", {})), error=reason)
