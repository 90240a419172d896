"""Clean text that someone else wrote before a model reads it: chat messages, tool descriptions.

Invisible characters are the usual way to hide instructions from a person
while a model still reads them (zero-width joiners, Unicode "tag" characters
that spell ASCII, bidi overrides that make text display differently from how
it reads), so they are dropped. What is left is normalised (NFKC, so
full-width or styled letters become plain ones and a label matches what a
person would type) and capped, with a marker saying how much was cut.

The sanitiser never decides what is safe to *do*: that is the policy's job. It
only makes sure what the agent reads is what a person would see, and no longer
than the caller allows.
"""

from __future__ import annotations

import re
import unicodedata

TRUNCATION_MARKER = "…[truncated {n} chars]"

# Categories removed outright: controls (Cc, except the whitespace kept below),
# format characters (Cf: zero-width space/joiners, BOM, word joiner, bidi
# embeddings/overrides/isolates and marks, tag characters U+E0000..E007F, soft
# hyphen) and lone surrogates (Cs). Dropping every Cf splits emoji ZWJ sequences
# into their parts; that loses nothing a model needs.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_KEPT_CONTROLS = frozenset({"\n", "\t"})
# Variation selectors supplement: 240 invisible code points, enough to smuggle
# arbitrary bytes after a visible character ("emoji smuggling").
_VS_SUPPLEMENT = range(0xE0100, 0xE01F0)
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")  # three or more line breaks
_SPACES = re.compile(r"\s+")


def _keep(char: str) -> bool:
    if char in _KEPT_CONTROLS:
        return True
    if ord(char) in _VS_SUPPLEMENT:
        return False
    return unicodedata.category(char) not in _DROPPED_CATEGORIES


def strip_invisible(text: str) -> str:
    # Line breaks first, so \r and U+2028 become \n instead of vanishing as controls.
    text = _LINE_BREAKS.sub("\n", text)
    text = "".join(char for char in text if _keep(char))
    # Normalise after stripping: NFKC must not glue a letter to an invisible mark.
    text = unicodedata.normalize("NFKC", text)
    # NFKC can produce new invisible characters from compatibility forms; strip again.
    return "".join(char for char in text if _keep(char))


def truncate(text: str, max_chars: int) -> str:
    """Cut ``text`` to at most ``max_chars`` characters, saying how much was cut."""
    if len(text) <= max_chars:
        return text
    # The marker's length depends on the number it carries; size it for the worst case.
    marker_room = len(TRUNCATION_MARKER.format(n=len(text)))
    keep = max(max_chars - marker_room, 0)
    return text[:keep] + TRUNCATION_MARKER.format(n=len(text) - keep)


def clean_text(text: str | None, max_chars: int) -> str:
    """A body of text: invisible characters removed, normalised, capped.

    Line breaks and tabs survive, but runs of blank lines collapse to one so a
    text cannot push its real content out of view.
    """
    if not text:
        return ""
    cleaned = _BLANK_RUNS.sub("\n\n", strip_invisible(text)).strip()
    return truncate(cleaned, max_chars)


def clean_line(text: str | None, max_chars: int) -> str:
    """A label, title or name: one line, no invisible characters, capped."""
    if not text:
        return ""
    return truncate(_SPACES.sub(" ", strip_invisible(text)).strip(), max_chars)


def show_hidden(text: str) -> str:
    """``text`` with every character the sanitiser would drop written as an escape (``\\u200b``), for review."""
    return "".join(char if _keep(char) else f"\\u{ord(char):04x}" for char in text)
