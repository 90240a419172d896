"""Per-node wall-time records, kept in state for the CLI, the notebook and the benchmarks."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def timed(node: str, step: int, **fields: Any) -> Iterator[dict[str, Any]]:
    record: dict[str, Any] = {"node": node, "step": step, **fields}
    started = time.perf_counter()
    try:
        yield record
    finally:
        record["wall_s"] = round(time.perf_counter() - started, 4)
