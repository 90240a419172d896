"""Reading and writing file contents safely: size caps, text only, atomic replacement.

Paths reaching these functions were already resolved by ``PathPolicy``; this
module decides *how* bytes move: never more than the cap into memory, never a
half-written file on disk (write to a temp file beside the target, then
``os.replace``, which is atomic on POSIX within one filesystem).
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections import deque
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_MAX_FILE_BYTES = 1_000_000
BINARY_SNIFF_BYTES = 8192


class FileTooLarge(ValueError):
    """A read or write over the size cap; the message says how to proceed."""


def read_text(path: Path, *, max_bytes: int, shown_as: str) -> str:
    """The whole file as text, refusing files over ``max_bytes`` and binary files."""
    _require_file(path, shown_as)
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLarge(
            f"{shown_as} is {size} bytes, over the {max_bytes}-byte read limit. "
            "Read part of it with head=N or tail=N (lines)."
        )
    data = path.read_bytes()
    _require_text(data[:BINARY_SNIFF_BYTES], shown_as)
    return data.decode("utf-8", errors="replace")


def read_head(path: Path, lines: int, *, max_bytes: int, shown_as: str) -> str:
    """The first ``lines`` lines, streamed so a huge file is never loaded whole."""
    _require_file(path, shown_as)
    kept: list[str] = []
    used = 0
    with path.open("r", encoding="utf-8", errors="replace", newline="") as handle:
        for line in handle:
            if len(kept) >= lines:
                break
            used += len(line)
            if used > max_bytes:
                raise FileTooLarge(f"The first {lines} lines of {shown_as} exceed {max_bytes} bytes; ask for fewer.")
            kept.append(line)
    return "".join(kept)


def read_tail(path: Path, lines: int, *, max_bytes: int, shown_as: str) -> str:
    """The last ``lines`` lines; a bounded deque keeps memory to those lines."""
    _require_file(path, shown_as)
    with path.open("r", encoding="utf-8", errors="replace", newline="") as handle:
        kept = deque(handle, maxlen=lines) if lines > 0 else deque()
    text = "".join(kept)
    if len(text) > max_bytes:
        raise FileTooLarge(f"The last {lines} lines of {shown_as} exceed {max_bytes} bytes; ask for fewer.")
    return text


def atomic_write(path: Path, content: str, *, max_bytes: int, shown_as: str) -> int:
    """Replace ``path`` with ``content`` in one step; returns the bytes written."""
    data = content.encode("utf-8")
    if len(data) > max_bytes:
        raise FileTooLarge(f"The content is {len(data)} bytes, over the {max_bytes}-byte write limit for {shown_as}.")
    if path.is_dir():
        raise IsADirectoryError(f"{shown_as} is a directory; give a file path.")
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp_name, mode)  # keep an executable script executable
        else:
            os.chmod(temp_name, 0o644)  # mkstemp creates 0600, which surprises other tools
        os.replace(temp_name, path)
    except BaseException:
        _remove_quietly(temp_name)
        raise
    return len(data)


def _require_file(path: Path, shown_as: str) -> None:
    if path.is_dir():
        raise IsADirectoryError(f"{shown_as} is a directory; use list_directory to see inside it.")
    if not path.exists():
        raise FileNotFoundError(f"No such file: {shown_as}")


def _require_text(sample: bytes, shown_as: str) -> None:
    if b"\x00" in sample:
        raise ValueError(f"{shown_as} looks like a binary file (it contains NUL bytes); only text files can be read.")


def _remove_quietly(name: str) -> None:
    try:
        os.unlink(name)
    except OSError as exc:  # the write already failed; that error is the one to report
        log.debug("could not remove temp file %s: %s", name, exc)
