"""What a simulated bot hands its chat: a screen (text + inline keyboard) and a reply.

A bot knows nothing about message ids or storage: it answers each command or
button press with a ``Reply`` and the chat turns that into Telegram-like
messages, edits and callback answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Button:
    text: str
    data: str  # callback data, at most 64 bytes as in Telegram


@dataclass(frozen=True)
class Screen:
    text: str
    keyboard: list[list[Button]]


@dataclass
class Reply:
    screen: Screen | None = None  # None: leave the pressed message as it is
    new_message: bool = False  # post the screen as a new message instead of editing
    notices: list[str] = field(default_factory=list)  # plain messages without buttons
    toast: str | None = None
    alert: bool = False


class ChatBot(Protocol):
    """What the chat needs from a bot: answers, and its state as JSON-able data."""

    def on_command(self, text: str) -> Reply: ...

    def on_callback(self, data: str) -> Reply: ...

    def to_dict(self) -> dict[str, Any]: ...

    def from_dict(self, data: dict[str, Any]) -> ChatBot: ...
