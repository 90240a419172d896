"""A remembered step as text: the line retrieval embeds, and the line a planner reads back."""

from __future__ import annotations

import json
from typing import Any

# Clip long observations and results: the embedding model reads ~256 word pieces anyway,
# and what is retrieved ends up in a small model's prompt.
CLIP_CHARS = 300


def format_step(*, goal: str, observation: str, action: dict[str, Any], outcome: str, ok: bool,
                critique: str = "") -> str:
    """One step as the text retrieval embeds: goal and screen first, so that similar situations match."""
    parts = [
        f"goal: {goal}",
        f"saw: {clip(observation)}",
        f"did: {format_action(action)}",
        f"result: {'ok' if ok else 'failed'} {clip(outcome)}".rstrip(),
    ]
    if critique:
        parts.append(f"lesson: {clip(critique)}")
    return " | ".join(parts)


def recalled_step(metadata: dict[str, Any], result_chars: int = 100) -> str:
    """A remembered step as a planner reads it: what was done, how it went, and its lesson.

    Not the stored text: that leads with the screen (what retrieval matches on), and clipped to a prompt's
    share it shows a screen and no action.
    """
    try:
        action = json.loads(metadata.get("action", "{}"))
    except ValueError:
        action = {}
    did = format_action(action) if isinstance(action, dict) else str(action)
    result = clip(metadata.get("result", ""), result_chars)
    how = "ok" if metadata.get("ok") else f"failed: {result}" if result else "failed"
    if metadata.get("setback"):  # the checker's word: it went through but took the goal further away
        how = "set the goal back"
    change, critique = metadata.get("change", ""), clip(metadata.get("critique", ""), result_chars)
    return f"{did} → {how}" + (f" [{change}]" if change else "") + (f" (lesson: {critique})" if critique else "")


def format_action(action: dict[str, Any]) -> str:
    """``{"tool": "t", "args": {"a": 1}}`` as ``t(a=1)``; anything else as JSON."""
    tool = action.get("tool")
    args = action.get("args", {})
    if not isinstance(tool, str) or not isinstance(args, dict):
        return json.dumps(action, ensure_ascii=False)
    return f"{tool}({', '.join(f'{key}={value!r}' for key, value in args.items())})"


def clip(text: str, limit: int = CLIP_CHARS) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
