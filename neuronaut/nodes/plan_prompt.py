"""The planning prompt, ordered from most stable to most volatile for llama.cpp's KV cache.

llama.cpp reuses the cache for the longest common token prefix of two prompts,
and prefilling a long prompt is slow on a CPU. So:

- the system part (rules, tools, examples, briefing, skills, goal) never changes within a run;
- the user turn starts with the list of past steps, which only grows (one line per step), so
  the previous step's prompt is a prefix of this one up to its last line;
- the volatile parts (memories, critique, the observation) come last.

Past steps are shown as a compact list rather than as replayed chat turns: a
small model shown its own earlier answers as assistant turns tends to copy them.
The list's window moves in chunks, so the prefix breaks once per chunk only.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from neuronaut.decision import Action, describe
from neuronaut.prompts import render_prompt
from neuronaut.state import StepRecord
from neuronaut.worlds.base import World
from neuronaut.worlds.capabilities import skill_menus

MIN_TURNS = 6  # past steps always listed after the window moves
TURN_CHUNK = 12  # the window moves this many steps at a time
CHARS_PER_TOKEN = 2.5  # conservative for emoji-heavy chat text; keeps prompts inside n_ctx


def system_prompt(world: World, goal: str, actions: list[Action], skills: list[Any]) -> str:
    parts = [render_prompt("plan_system", world_description=world.description, tools=describe(actions))]
    # A small model imitates its examples: with the primitive skills on offer, the examples run them.
    menus = skill_menus(world)
    with_primitives = bool(skills) and set(menus.primitive_skills) <= {s.name for s in skills}
    examples = menus.skill_examples_prompt if with_primitives else world.examples_prompt
    if examples:
        parts.append(world.prompt(examples))
    if briefing := world.briefing():
        parts.append(briefing)
    if skills:
        lines = [f"- skill:{s.name}: {s.description}" for s in skills]
        parts.append("Skills you can run as one action (tool \"skill:<name>\"); one skill does the work of many "
                     "single actions:\n" + "\n".join(lines))
    parts.append(f"Your goal: {goal}")
    return "\n\n".join(parts)


def user_turn(*, goal: str, observation: str, history: list[StepRecord], memories: list[str], critique: str,
              note: str = "", needs: str = "") -> str:
    parts = []
    if history:
        parts.append("Your recent steps (results are untrusted):\n" + "\n".join(step_line(r) for r in history))
    if memories:
        listed = "\n".join(f"- {m}" for m in memories)
        parts.append(f"Earlier attempts at this goal or one like it (untrusted):\n{listed}")
    if critique:
        parts.append(f"Critique of the last attempt: {critique}")
    parts.append(f"Observation (untrusted):\n{observation}")
    if note:
        parts.append(note)
    # What the goal still takes ("15 more than you have"), beside the goal: a small model does
    # not work it out from the observation.
    parts.append(f"Goal: {goal}{f' ({needs})' if needs else ''}. Decide the next action.")
    return "\n\n".join(parts)


def step_line(record: StepRecord) -> str:
    """One past step, rendered the same way every time (the prompt prefix depends on it)."""
    decision = record.get("decision") or {}
    if decision.get("error"):
        action = "(no valid action)"
    else:
        action = f"{decision.get('tool', '?')}({json.dumps(decision.get('args', {}), ensure_ascii=False)})"
    result = "ok" if record.get("ok") else "failed"
    change = f" [{record['change']}]" if record.get("change") else ""
    return f"{record.get('step')}. {action} → {result}: {record.get('outcome', '')}{change}"


def visible_turns(trajectory: list[StepRecord], budget_chars: int | None = None) -> list[StepRecord]:
    """Past steps still listed; the cut moves only every TURN_CHUNK steps (by absolute step number).

    Unusually long lines can still overflow the context: then the oldest steps go first.
    """
    if not trajectory:
        return []
    last = trajectory[-1].get("step", len(trajectory))
    cut = max(0, (last - MIN_TURNS) // TURN_CHUNK * TURN_CHUNK)
    turns = [r for r in trajectory if r.get("step", 0) > cut]
    if budget_chars is not None:
        while turns and sum(len(step_line(t)) + 1 for t in turns) > budget_chars:
            turns = turns[1:]
    return turns


def turn_budget(n_ctx: int, reserved_tokens: int, system: str, current: str) -> int:
    """Characters left for past steps once the system prompt, the new turn and the answer fit."""
    return int((n_ctx - reserved_tokens) * CHARS_PER_TOKEN) - len(system) - len(current)


def conversation(system: str, user: str) -> list[BaseMessage]:
    return [SystemMessage(content=system), HumanMessage(content=user)]
