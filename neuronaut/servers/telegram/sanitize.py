"""Clean text that comes from Telegram before the agent sees it.

Everything in a chat was written by someone else: the generic sanitiser
(``neuronaut.tools.sanitize``) drops the invisible characters that hide
instructions from a person, normalises what is left, and caps it, here at
Telegram's own lengths.

The sanitiser never decides what is safe to *do*: that is the policy's job. It
only makes sure what the agent reads is what a person would see.
"""

from __future__ import annotations

from neuronaut.servers.chat_contract import MAX_TEXT_CHARS
from neuronaut.tools.sanitize import TRUNCATION_MARKER, clean_line, clean_text, truncate

__all__ = ["LABEL_MAX_CHARS", "TRUNCATION_MARKER", "sanitize_label", "sanitize_text", "truncate"]

LABEL_MAX_CHARS = 128  # Telegram caps chat titles at 128; button labels are shorter.


def sanitize_text(text: str | None, max_chars: int = MAX_TEXT_CHARS) -> str:
    """A message body: invisible characters removed, normalised, capped; blank-line runs collapsed."""
    return clean_text(text, max_chars)


def sanitize_label(text: str | None, max_chars: int = LABEL_MAX_CHARS) -> str:
    """A button label, chat title or sender name: one line, no invisible characters."""
    return clean_line(text, max_chars)
