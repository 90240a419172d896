"""The KV state of a stable prompt prefix, kept on disk so a new process starts warm.

A decision prompt opens with the same system message step after step (rules,
tool specs, examples). A new process would prefill all of it again before its
first decision; instead the llama context's state right after that prefix is
saved once and restored by the next process that meets the same prefix with
the same model.

An entry is named by a hash of the model's identity (llama-cpp-python's
version, the context size, the file's size, modification time and leading and
trailing bytes, and the assembled preset's SHA-256 stamp when there is one) and
of the prefix tokens. The file's header repeats that identity and the tokens,
and both are compared again before any byte reaches the context: a state from
another model or another prompt is never restored, the caller prefills cold.
Only the ``keep`` most recently used entries stay on disk.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import struct
from array import array
from pathlib import Path
from typing import Any, Sequence

log = logging.getLogger(__name__)

MAGIC = b"NEURONAUT-KV-PREFIX 1\n"
SUFFIX = ".kvstate"
_SAMPLE_BYTES = 4 * 1024 * 1024  # head and tail of the weights file: the GGUF header names every tensor


def model_identity(model_path: Path, n_ctx: int) -> dict[str, Any]:
    """What must match for a saved state to fit this model and context."""
    import llama_cpp

    stat = model_path.stat()
    sample = hashlib.sha256()
    with model_path.open("rb") as fh:
        sample.update(fh.read(_SAMPLE_BYTES))
        fh.seek(max(stat.st_size - _SAMPLE_BYTES, 0))
        sample.update(fh.read(_SAMPLE_BYTES))
    stamp = model_path.with_name(model_path.name + ".sha256")
    try:
        verified = stamp.read_text().split()[0]
    except (OSError, IndexError):
        verified = ""
    return {"llama_cpp": llama_cpp.__version__, "n_ctx": n_ctx, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
            "sample_sha256": sample.hexdigest(), "sha256": verified}


class PrefixCache:
    """Saved prefix states for one model, in one folder."""

    def __init__(self, folder: Path, identity: dict[str, Any], keep: int = 3) -> None:
        self.folder = folder
        self.identity = identity
        self.keep = keep
        self._identity_json = json.dumps(identity, sort_keys=True)

    def entry_path(self, tokens: Sequence[int]) -> Path:
        digest = hashlib.sha256(self._identity_json.encode())
        digest.update(array("i", tokens).tobytes())
        return self.folder / f"{digest.hexdigest()[:32]}{SUFFIX}"

    def load(self, llama: Any, tokens: Sequence[int]) -> bool:
        """Restore the state after ``tokens`` into ``llama``; False (context untouched or reset) if none fits."""
        path = self.entry_path(tokens)
        try:
            with path.open("rb") as fh:
                header, state = _read_entry(fh)
        except FileNotFoundError:
            return False
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable prefix state %s: %s", path.name, exc)
            return False
        if header.get("identity") != self.identity or header.get("tokens") != list(tokens):
            log.info("prefix state %s belongs to another model or prompt: prefilling cold", path.name)
            return False
        if not restore_state(llama, tokens, state):
            log.warning("llama.cpp refused prefix state %s: prefilling cold", path.name)
            return False
        try:
            os.utime(path)  # most recently used: the last to be evicted
        except OSError:
            pass
        return True

    def save(self, llama: Any, tokens: Sequence[int]) -> Path | None:
        """Save ``llama``'s state, which must hold exactly ``tokens``; keep the newest entries only."""
        if self.keep <= 0:
            return None
        path = self.entry_path(tokens)
        header = json.dumps({"identity": self.identity, "tokens": list(tokens)}).encode()
        try:
            state = capture_state(llama)
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + ".partial")
            with partial.open("wb") as fh:
                fh.write(MAGIC + struct.pack("<QQ", len(header), len(state)) + header)
                fh.write(state)
            os.replace(partial, path)
        except (OSError, RuntimeError) as exc:  # a full disk costs the next process a cold start, nothing more
            log.warning("cannot save prefix state %s: %s", path.name, exc)
            return None
        self._evict()
        return path

    def entries(self) -> list[Path]:
        """Saved entries, most recently used first."""
        try:
            found = [p for p in self.folder.iterdir() if p.name.endswith(SUFFIX)]
        except OSError:
            return []
        return sorted(found, key=_mtime, reverse=True)

    def _evict(self) -> None:
        for stale in self.entries()[self.keep:]:
            stale.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _read_entry(fh: Any) -> tuple[dict[str, Any], bytes]:
    if fh.read(len(MAGIC)) != MAGIC:
        raise ValueError("not a prefix state file")
    sizes = fh.read(16)
    if len(sizes) != 16:
        raise ValueError("truncated header")
    header_size, state_size = struct.unpack("<QQ", sizes)
    header = json.loads(fh.read(header_size))
    state = fh.read(state_size)
    if len(state) != state_size:
        raise ValueError("truncated state")
    return header, state


def capture_state(llama: Any) -> bytes:
    """The llama context's state (KV cache of the tokens it holds) as bytes."""
    import ctypes

    import llama_cpp

    ctx = llama._ctx.ctx
    size = llama_cpp.llama_state_get_size(ctx)
    buffer = (ctypes.c_uint8 * size)()
    written = llama_cpp.llama_state_get_data(ctx, buffer, size)
    if written <= 0 or written > size:
        raise RuntimeError("llama.cpp could not copy its state")
    return bytes(buffer[:written])


def restore_state(llama: Any, tokens: Sequence[int], state: bytes) -> bool:
    """Load ``state`` into the context and tell llama-cpp-python it now holds ``tokens``."""
    import ctypes

    import llama_cpp

    if len(tokens) >= llama.n_ctx():
        return False
    llama.reset()
    buffer = (ctypes.c_uint8 * len(state)).from_buffer_copy(state)
    if llama_cpp.llama_state_set_data(llama._ctx.ctx, buffer, len(state)) != len(state):
        llama.reset()  # the next eval clears whatever cells were written
        return False
    llama.input_ids[: len(tokens)] = tokens
    llama.n_tokens = len(tokens)
    llama._requires_eval = True  # the restored logits are not a live decode: generate re-evaluates a token
    return True
