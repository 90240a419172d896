"""Finding the button a caller means, forgivingly.

A small model often drops the emoji, changes the case or leaves out the price
("inn" for "🛏️ Inn (5g)"), so matching goes from strict to loose and only
accepts a loose match when exactly one button fits. Every failure says which
buttons there are, so the next try can succeed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from neuronaut.servers.chat_contract import InlineButton


class ChatError(ValueError):
    """A wrong chat, message or button; the message says what is valid instead."""


_PARENTHESES = re.compile(r"\([^)]*\)")


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _core(text: str) -> str:
    return _alnum(_PARENTHESES.sub("", text))


def inline_buttons(keyboard: list[list[list[str]]]) -> list[InlineButton]:
    """Contract buttons for a stored keyboard (rows of [text, callback data])."""
    buttons = []
    for r, row in enumerate(keyboard):
        for col, (text, _data) in enumerate(row):
            buttons.append(InlineButton(index=len(buttons), text=text, row=r, column=col))
    return buttons


def describe_buttons(buttons: list[InlineButton]) -> str:
    listed = ", ".join(f"[{b.index}] {b.text}" for b in buttons)
    return f"Buttons: {listed}." if buttons else "It has no buttons."


def match_button(
    buttons: list[InlineButton],
    message_id: int,
    text: str | None = None,
    index: int | None = None,
) -> InlineButton:
    if text is None and index is None:
        raise ChatError(f"Give button_text or button_index. {describe_buttons(buttons)}")
    by_index = _by_index(buttons, message_id, index) if index is not None else None
    if text is None or not text.strip():
        if by_index is None:
            raise ChatError(f"button_text is empty. {describe_buttons(buttons)}")
        return by_index
    by_text = _by_text(buttons, message_id, text)
    if by_index is not None and by_index.index != by_text.index:
        raise ChatError(
            f"button_text {text!r} is button {by_text.index} but button_index is {index}; "
            f"give just one. {describe_buttons(buttons)}"
        )
    return by_text


def _by_index(buttons: list[InlineButton], message_id: int, index: int) -> InlineButton:
    if not 0 <= index < len(buttons):
        raise ChatError(f"Message {message_id} has no button {index}. {describe_buttons(buttons)}")
    return buttons[index]


# From strict to loose; the first rule that matches exactly one button wins.
_RULES: list[Callable[[str, str], bool]] = [
    lambda want, have: want == have,
    lambda want, have: want.casefold().strip() == have.casefold(),
    lambda want, have: _alnum(want) == _alnum(have),
    lambda want, have: _core(want) == _core(have),
    lambda want, have: bool(_alnum(want)) and _alnum(want) in _alnum(have),
]


def _by_text(buttons: list[InlineButton], message_id: int, text: str) -> InlineButton:
    for rule in _RULES:
        found = [b for b in buttons if rule(text, b.text)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(repr(b.text) for b in found)
            raise ChatError(f"{text!r} matches several buttons ({names}); use button_index.")
    raise ChatError(f"Message {message_id} has no button {text!r}. {describe_buttons(buttons)}")
