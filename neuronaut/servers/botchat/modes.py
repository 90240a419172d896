"""Misbehaving bots for tests: any bot wrapped so it never answers, answers garbage or floods.

A wrapper keeps the real bot (and so the true state a test checks) underneath;
only what reaches the chat changes. Garbage is deterministic for a seed.
"""

from __future__ import annotations

import random
from typing import Any

from neuronaut.servers.botchat.buttons import ChatError
from neuronaut.servers.botchat.screens import Button, ChatBot, Reply, Screen

MODES = ("normal", "silent", "garbage", "flood")
FLOOD_SIZE = 30  # messages posted after each real answer: more than one page of get_messages
_GARBAGE_DATA = "noise"
_GLYPHS = "abcdefghijklmnopqrstuvwxyz0123456789#%&*@!?~^ ░▒▓█▌▐≈∆§¤"


class _Wrapper:
    def __init__(self, inner: ChatBot, seed: int = 1, actions: int = 0) -> None:
        self.inner = inner
        self.seed = seed
        self.actions = actions

    def to_dict(self) -> dict[str, Any]:
        return {**self.inner.to_dict(), "mode_actions": self.actions}

    def from_dict(self, data: dict[str, Any]) -> ChatBot:
        return type(self)(self.inner.from_dict(data), self.seed, data.get("mode_actions", 0))

    def __getattr__(self, name: str) -> Any:
        # Anything else (the true state a test reads) is the real bot's.
        if name == "inner":  # not set yet (e.g. while copying): no recursion
            raise AttributeError(name)
        return getattr(self.inner, name)


class SilentBot(_Wrapper):
    """Reads everything, answers nothing: no screen, no message, no toast."""

    def on_command(self, text: str) -> Reply:
        self.actions += 1
        return Reply()

    def on_callback(self, data: str) -> Reply:
        self.actions += 1
        return Reply()


class GarbageBot(_Wrapper):
    """Answers every input with random text and random buttons that lead to more of it."""

    def on_command(self, text: str) -> Reply:
        return self._noise(new_message=True)

    def on_callback(self, data: str) -> Reply:
        return self._noise(new_message=False)

    def _noise(self, new_message: bool) -> Reply:
        self.actions += 1
        rng = random.Random(f"{self.seed}:{self.actions}")
        text = "\n".join(_gibberish(rng, rng.randint(8, 40)) for _ in range(rng.randint(1, 4)))
        labels = [_gibberish(rng, rng.randint(2, 8)) for _ in range(rng.randint(1, 4))]
        keyboard = [[Button(label, f"{_GARBAGE_DATA}:{i}")] for i, label in enumerate(labels)]
        return Reply(screen=Screen(text, keyboard), new_message=new_message, toast=_gibberish(rng, 6))


class FloodBot(_Wrapper):
    """Answers as the real bot does, then posts a burst of unrelated messages."""

    def on_command(self, text: str) -> Reply:
        return self._flood(self.inner.on_command(text))

    def on_callback(self, data: str) -> Reply:
        return self._flood(self.inner.on_callback(data))

    def _flood(self, reply: Reply) -> Reply:
        self.actions += 1
        spam = [f"📢 Broadcast {self.actions}.{n}: special offer, tell your friends!" for n in range(FLOOD_SIZE)]
        reply.notices = [*reply.notices, *spam]
        return reply


def _gibberish(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(_GLYPHS) for _ in range(length)).strip() or "?"


def with_mode(bot: ChatBot, mode: str, seed: int = 1) -> ChatBot:
    """The bot as the chat should serve it in ``mode`` (one of ``MODES``)."""
    wrappers = {"silent": SilentBot, "garbage": GarbageBot, "flood": FloodBot}
    if mode == "normal":
        return bot
    if mode not in wrappers:
        raise ChatError(f"Unknown bot mode {mode!r}; choose one of {', '.join(MODES)}.")
    return wrappers[mode](bot, seed)
