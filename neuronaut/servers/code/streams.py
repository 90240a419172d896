"""Moving bytes to and from a sandboxed process: stdin fed once, stdout/stderr read with a cap.

A program printing gigabytes must not fill the server's memory: output past
the cap is read (so the program never blocks on a full pipe) and counted, and
the kept text ends with a visible marker saying how much was dropped.
"""

from __future__ import annotations

import asyncio

READ_CHUNK = 65536


async def feed(stdin: asyncio.StreamWriter | None, text: str | None) -> None:
    if stdin is None:
        return
    try:
        if text:
            stdin.write(text.encode("utf-8"))
            await stdin.drain()
        stdin.close()
    except (BrokenPipeError, ConnectionResetError):
        pass  # the program exited without reading all its input: allowed


async def read_capped(stream: asyncio.StreamReader | None, cap: int) -> str:
    """Everything up to ``cap`` bytes; the rest is read and counted, not kept."""
    if stream is None:
        return ""
    kept = bytearray()
    dropped = 0
    while chunk := await stream.read(READ_CHUNK):
        room = cap - len(kept)
        kept += chunk[:room] if room > 0 else b""
        dropped += max(0, len(chunk) - max(room, 0))
    text = kept.decode("utf-8", errors="replace")
    return text + truncation_marker(dropped) if dropped else text


def truncation_marker(dropped: int) -> str:
    return f"\n…[truncated {dropped} bytes]"


def truncate_text(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with the same marker as the capped streams."""
    if len(text) <= limit:
        return text
    return text[:limit] + truncation_marker(len(text.encode("utf-8")) - len(text[:limit].encode("utf-8")))
