"""The critic: a second opinion after the world's checker, and a critique for the next plan.

Voyager asks its model for ``{reasoning, success, critique}``. Here the world's
checker decides first, because it reads the world's state and cannot be talked
into anything:

- the checker says the goal holds → success, and no model call is made;
- the checker says it does not → the model is asked, but only for a critique:
  its ``success`` is recorded (``model_success``) and never overrules the checker;
- no checker verdict (a world that cannot check a goal) → the model's ``success`` counts.

The answer is grammar-constrained with short ``maxLength`` strings: a local model
decodes slowly, and the bounds keep the critic's answer a small part of a step's time. A model failure is
never fatal: the verdict then falls back to the checker with an empty critique.

KV cache: llama.cpp reuses only the longest prompt prefix shared with the
previous call, so a critic prompt of its own evicts the planner's cached prefix
(the planner's whole prompt is prefilled again on the next step). Passing ``prefix_messages`` (the
planner's system prompt and past turns) puts the critic's question after that
same prefix instead, so both calls keep the cache.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.messages import BaseMessage, HumanMessage

from neuronaut.llm.base import Completion, DecisionModel, ModelOutputError
from neuronaut.prompts import render_prompt

log = logging.getLogger(__name__)

REASONING_MAX_CHARS = 100
CRITIQUE_MAX_CHARS = 120
TAIL_STEPS = 5  # recent actions shown: enough to see a loop, short enough to prefill fast
OBSERVATION_MAX_CHARS = 700
OUTCOME_MAX_CHARS = 90

CRITIQUE_MIN_CHARS = 12  # when the checker says no, an empty critique would waste the call

CRITIC_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        # Reasoning first: a small model's verdict then follows from what it just wrote.
        "reasoning": {"type": "string", "maxLength": REASONING_MAX_CHARS},
        "success": {"type": "boolean"},
        "critique": {"type": "string", "maxLength": CRITIQUE_MAX_CHARS},
    },
    "required": ["reasoning", "success", "critique"],
    "additionalProperties": False,
}


def is_critic_schema(schema: Mapping[str, Any]) -> bool:
    """Whether a decision schema is the critic's (the only one asking for a critique)."""
    return "critique" in schema.get("properties", {})


@dataclass(frozen=True)
class CriticVerdict:
    success: bool
    reasoning: str
    critique: str
    source: Literal["checker", "critic"] = "critic"  # who decided ``success``
    model_success: bool | None = None  # the model's own opinion, kept even when the checker overrules it
    completion: Completion | None = None  # the call's cost; None when no call was made
    error: str = ""  # why the model's answer was unusable, if it was

    @property
    def llm_calls(self) -> int:
        return 0 if self.completion is None else 1


async def critique(model: DecisionModel, *, goal: str, world_description: str, observation: str,
                   trajectory_tail: Sequence[Mapping[str, Any] | str], checker_verdict: Any,
                   prefix_messages: Sequence[BaseMessage] = (), effects: str = "", needs: str = "") -> CriticVerdict:
    """Judge the attempt at ``goal``; ``checker_verdict`` is a ``Verdict`` dict, a ``Check``, or None.

    ``effects`` says which actions the checker saw bring the goal closer or take it further away: without it,
    a small critic reads the trajectory as the planner did and repeats the planner's misreading. ``needs`` is
    what the world says the goal still takes, as the planner is told: without it, the critic advises more of
    whatever the trajectory shows, not what the goal lacks."""
    achieved, reason = checker_opinion(checker_verdict)
    if achieved:
        return CriticVerdict(True, reason or "the world's checker confirms the goal", "", source="checker")
    text = render_prompt(
        "critic", world_description=world_description, goal=goal, needs=f" ({needs})" if needs else "",
        checker=("not achieved: " + reason if reason else "not achieved") if achieved is False else "no verdict",
        effects=f"By the checker's numbers, {effects}.\n" if effects else "",
        trajectory=render_tail(trajectory_tail), observation=_clip(observation, OBSERVATION_MAX_CHARS),
    )
    try:
        completion = await model.decide([*prefix_messages, HumanMessage(content=text)], critic_schema(achieved))
    except ModelOutputError as exc:
        log.info("critic answer unusable: %s", exc)
        return CriticVerdict(bool(achieved), reason, "", source="checker", completion=exc.completion, error=str(exc))
    return _verdict(completion, achieved, reason)


def critic_schema(achieved: bool | None) -> dict[str, Any]:
    """The critic's schema; with a negative checker verdict the critique may not be empty.

    A small model shown a half-way state tends to answer "success: true" with no
    critique; the checker overrules the first, the grammar prevents the second.
    """
    if achieved is not False:
        return CRITIC_SCHEMA
    critique_prop = {**CRITIC_SCHEMA["properties"]["critique"], "minLength": CRITIQUE_MIN_CHARS}
    return {**CRITIC_SCHEMA, "properties": {**CRITIC_SCHEMA["properties"], "critique": critique_prop}}


def checker_opinion(verdict: Any) -> tuple[bool | None, str]:
    """(achieved, reason) from a Verdict dict or a Check; (None, "") when there is no verdict."""
    if verdict is None:
        return None, ""
    if isinstance(verdict, Mapping):
        achieved, reason = verdict.get("achieved"), verdict.get("reason", "")
    else:
        achieved, reason = getattr(verdict, "achieved", None), getattr(verdict, "reason", "")
    return (None if achieved is None else bool(achieved)), str(reason or "")


def render_tail(trajectory_tail: Sequence[Mapping[str, Any] | str], limit: int = TAIL_STEPS) -> str:
    """The last steps as ``step N: tool(args) → ok|failed: outcome [change]`` lines."""
    lines = []
    for entry in list(trajectory_tail)[-limit:]:
        if isinstance(entry, str):
            lines.append("- " + _clip(entry, OUTCOME_MAX_CHARS * 2))
            continue
        decision = entry.get("decision") or {}
        call = f"{decision.get('tool') or 'nothing'}({json.dumps(decision.get('args') or {}, ensure_ascii=False)})"
        result = ("ok: " if entry.get("ok") else "failed: ") + _clip(str(entry.get("outcome", "")), OUTCOME_MAX_CHARS)
        # What the step did to the checker's numbers: without it the critic shared the planner's misreading
        # ("The agent needs to buy more gold") while each purchase lowered the gold.
        change = f" [{entry['change']}]" if entry.get("change") else ""
        lines.append(f"- step {entry.get('step', '?')}: {call} → {result}{change}")
    return "\n".join(lines) or "- none yet"


def _verdict(completion: Completion, achieved: bool | None, reason: str) -> CriticVerdict:
    data = completion.data
    model_success = data.get("success") if isinstance(data.get("success"), bool) else None
    reasoning = _clip(str(data.get("reasoning", "")), REASONING_MAX_CHARS)
    advice = _clip(str(data.get("critique", "")), CRITIQUE_MAX_CHARS)
    if achieved is None:  # nothing to defer to: the model's opinion is the verdict
        return CriticVerdict(bool(model_success), reasoning, advice, "critic", model_success, completion)
    if model_success:
        log.info("critic believes the goal holds but the checker says %r; the checker wins", reason)
    return CriticVerdict(False, reasoning or reason, advice, "checker", model_success, completion)


def _clip(text: str, limit: int) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
