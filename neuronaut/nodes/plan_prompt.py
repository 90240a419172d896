"""The planning prompt, ordered from most stable to most volatile.

llama.cpp reuses the KV cache for the longest common token prefix of two
prompts; prefill runs at ~66 tok/s for the 1.5 B model on two cores, so the
system part (rules, tools, examples, goal, skills) must stay byte-identical
from step to step, and everything that changes goes at the end.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from neuronaut.decision import Action, describe
from neuronaut.prompts import load_prompt, render_prompt
from neuronaut.state import StepRecord
from neuronaut.worlds.base import World


def system_prompt(world: World, goal: str, actions: list[Action], skills: list[Any]) -> str:
    parts = [render_prompt("plan_system", world_description=world.description, tools=describe(actions))]
    if world.examples_prompt:
        parts.append(load_prompt(world.examples_prompt))
    if skills:
        lines = [f"- skill:{s.name}: {s.description}" for s in skills]
        parts.append("Skills you can run as one action (tool \"skill:<name>\"):\n" + "\n".join(lines))
    parts.append(f"Your goal: {goal}")
    return "\n\n".join(parts)


def user_prompt(
    *, goal: str, observation: str, history: list[StepRecord], memories: list[str], critique: str, note: str = ""
) -> str:
    parts = []
    if memories:
        parts.append("Past experience (untrusted):\n" + "\n".join(f"- {m}" for m in memories))
    if history:
        parts.append("Recent steps (untrusted):\n" + "\n".join(_step_line(r) for r in history))
    if critique:
        parts.append(f"Critique of the last attempt: {critique}")
    parts.append(f"Observation (untrusted):\n{observation}")
    if note:
        parts.append(note)
    parts.append(f"Goal: {goal}\nDecide the next action. Answer with one JSON object.")
    return "\n\n".join(parts)


def build_messages(system: str, user: str) -> list[BaseMessage]:
    return [SystemMessage(content=system), HumanMessage(content=user)]


def _step_line(record: StepRecord) -> str:
    decision = record.get("decision") or {}
    action = f"{decision.get('tool', '?')}({json.dumps(decision.get('args', {}), ensure_ascii=False)})"
    result = "ok" if record.get("ok") else "failed"
    outcome = " ".join(str(record.get("outcome", "")).split())[:160]
    return f"step {record.get('step')}: {action} → {result}: {outcome}"
