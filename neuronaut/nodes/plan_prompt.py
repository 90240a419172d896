"""The planning prompt: a conversation that only grows, so llama.cpp can reuse its KV cache.

llama.cpp reuses the cache for the longest common token prefix of two prompts,
and prefill runs at only ~66-100 tok/s for the 1.5 B model on two cores. So the
prompt is ordered from most stable to most volatile: the system part (rules,
tools, examples, skills, goal) never changes within a run; each past step is
replayed as the exact user turn and answer it was, and only the new turn
(last result, memories, observation) is new. The window of past turns moves in
chunks, so the prefix breaks once per chunk instead of at every step.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from neuronaut.decision import Action, describe
from neuronaut.prompts import load_prompt, render_prompt
from neuronaut.state import StepRecord
from neuronaut.worlds.base import World

MIN_TURNS = 4  # past turns always visible after the window moves
TURN_CHUNK = 8  # the window moves this many steps at a time
CHARS_PER_TOKEN = 2.5  # conservative for emoji-heavy chat text; keeps prompts inside n_ctx


def system_prompt(world: World, goal: str, actions: list[Action], skills: list[Any]) -> str:
    parts = [render_prompt("plan_system", world_description=world.description, tools=describe(actions))]
    if world.examples_prompt:
        parts.append(load_prompt(world.examples_prompt))
    if briefing := world.briefing():
        parts.append(briefing)
    if skills:
        lines = [f"- skill:{s.name}: {s.description}" for s in skills]
        parts.append("Skills you can run as one action (tool \"skill:<name>\"):\n" + "\n".join(lines))
    parts.append(f"Your goal: {goal}")
    return "\n\n".join(parts)


def user_turn(*, goal: str, observation: str, last_result: str, memories: list[str], critique: str,
              note: str = "") -> str:
    parts = []
    if last_result:
        parts.append(f"Result of your last action (untrusted): {last_result}")
    if memories:
        parts.append("Past experience (untrusted):\n" + "\n".join(f"- {m}" for m in memories))
    if critique:
        parts.append(f"Critique of the last attempt: {critique}")
    parts.append(f"Observation (untrusted):\n{observation}")
    if note:
        parts.append(note)
    parts.append(f"Goal: {goal}. Decide the next action.")
    return "\n\n".join(parts)


def visible_turns(trajectory: list[StepRecord], budget_chars: int | None = None) -> list[StepRecord]:
    """Past steps still shown; the cut moves only every TURN_CHUNK steps (by absolute step number).

    Unusually long turns can still overflow the context: then the oldest turns go first.
    """
    if not trajectory:
        return []
    last = trajectory[-1].get("step", len(trajectory))
    cut = max(0, (last - MIN_TURNS) // TURN_CHUNK * TURN_CHUNK)
    turns = [r for r in trajectory if r.get("step", 0) > cut and r.get("prompt") and r.get("raw")]
    if budget_chars is not None:
        while turns and sum(len(t["prompt"]) + len(t["raw"]) for t in turns) > budget_chars:
            turns = turns[1:]
    return turns


def turn_budget(n_ctx: int, reserved_tokens: int, system: str, current: str) -> int:
    """Characters left for past turns once the system prompt, the new turn and the answer fit."""
    return int((n_ctx - reserved_tokens) * CHARS_PER_TOKEN) - len(system) - len(current)


def conversation(system: str, turns: list[StepRecord], current: str) -> list[BaseMessage]:
    messages: list[BaseMessage] = [SystemMessage(content=system)]
    for turn in turns:
        messages += [HumanMessage(content=turn["prompt"]), AIMessage(content=turn["raw"])]
    messages.append(HumanMessage(content=current))
    return messages
