"""Split a document (a README, a spec) into chunks small enough to embed well.

all-MiniLM-L6-v2 reads at most 256 word pieces, so a long text embedded whole is
silently truncated. Chunks follow paragraphs; each chunk that does not start
with a markdown heading is prefixed with the heading it sits under, so a chunk
about "retries" under "## Networking" still knows it is about networking.
"""

from __future__ import annotations

import re

DEFAULT_CHUNK_CHARS = 800
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")


def chunk_text(text: str, max_chars: int = DEFAULT_CHUNK_CHARS) -> list[str]:
    """Paragraph-packed chunks of at most about ``max_chars`` characters (empty text: none)."""
    chunks: list[str] = []
    heading = ""
    current: list[str] = []
    for paragraph in _paragraphs(text):
        if paragraph.startswith("#"):
            _flush(chunks, current, heading)
            current = []
            heading = paragraph.splitlines()[0].lstrip("#").strip()
        for piece in _split_long(paragraph, max_chars):
            if current and len("\n\n".join([*current, piece])) > max_chars:
                _flush(chunks, current, heading)
                current = []
            current.append(piece)
    _flush(chunks, current, heading)
    return chunks


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _flush(chunks: list[str], current: list[str], heading: str) -> None:
    if not current:
        return
    body = "\n\n".join(current)
    if heading and not body.startswith("#"):
        body = f"[{heading}] {body}"
    chunks.append(body)


def _split_long(paragraph: str, max_chars: int) -> list[str]:
    """A paragraph longer than ``max_chars`` split at sentence ends, then hard-cut."""
    if len(paragraph) <= max_chars:
        return [paragraph]
    pieces: list[str] = []
    current = ""
    for sentence in (s for s in _SENTENCE_END.split(paragraph) if s.strip()):
        while len(sentence) > max_chars:  # one sentence longer than a chunk: cut it
            pieces.append(sentence[:max_chars])
            sentence = sentence[max_chars:]
        if current and len(current) + 1 + len(sentence) > max_chars:
            pieces.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return pieces
