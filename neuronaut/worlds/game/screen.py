"""What the player sees, as text: the bot's latest screen and buttons, how it got there, what changed."""

from __future__ import annotations

from typing import Any

from neuronaut.worlds.game.chat import Message, bot_messages, buttons_of

MAX_OBSERVATION_CHARS = 1200
MAX_NEWS = 2
FINISH = "finish"


def describe(messages: list[Message], screen: Message | None, last: Message | None, toast: str,
             own: set[int]) -> str:
    """The observation: the toast of the last press, what the bot said after its screen, the screen (and
    whether the bot edited it in place or sent it anew), the lines new on it, and its buttons."""
    parts = []
    if toast:
        parts.append(f"The bot answered your press: {toast}")
    after = screen.get("id", 0) if screen else -1
    news = [m for m in bot_messages(messages) if m.get("id", 0) > after and m.get("id") not in own
            and not m.get("buttons")]
    for message in news[-MAX_NEWS:]:
        parts.append(f"Bot said: {message.get('text', '')}")
    if screen is None:
        if not news:
            said = bot_messages(messages)
            parts.append(f"No buttons on screen. The bot last said: {said[-1].get('text', '')}" if said
                         else "The bot has said nothing yet.")
        return _cut("\n".join(parts))
    parts.append(f"Screen ({_how(screen, last)}):\n{screen.get('text', '')}")
    if last is not None and last.get("text") != screen.get("text"):
        before = set(str(last.get("text", "")).splitlines())
        new = [line for line in str(screen.get("text", "")).splitlines() if line.strip() and line not in before]
        if new:
            parts.append("New on screen: " + " / ".join(new[:4]))
    parts.append("Buttons: " + " | ".join(f"[{b}]" for b in buttons_of(screen)))
    return _cut("\n".join(parts))


def _how(screen: Message, last: Message | None) -> str:
    if last is None:
        return "the bot's latest"
    if screen.get("id") == last.get("id"):
        return "edited in place" if screen.get("text") != last.get("text") else "unchanged"
    return "sent as a new message"


def _cut(text: str) -> str:
    return text if len(text) <= MAX_OBSERVATION_CHARS else "…" + text[-MAX_OBSERVATION_CHARS + 1:]


def finish_action() -> dict[str, Any]:
    return {
        "name": FINISH,
        "description": "End the goal with what you achieved. Only when nothing on screen can show the goal is met.",
        "params": {"type": "object", "properties": {"answer": {"type": "string", "maxLength": 300}},
                   "required": ["answer"]},
        "final": True,
    }
