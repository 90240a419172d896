"""The one shape every node has: ``async def node(state, runtime) -> dict``, timed, its tool time counted, its
progress emitted, its timing record kept in state for the CLI, the notebooks and the benchmarks.

A node's body is written as ``async def body(state, services, record) -> update``; ``node`` adds the rest.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from langgraph.runtime import Runtime

from neuronaut.services import Services
from neuronaut.state import AgentState

Update = dict[str, Any]
Body = Callable[[AgentState, Services, dict[str, Any]], Awaitable[Update]]


@contextmanager
def timed(node: str, step: int, **fields: Any) -> Iterator[dict[str, Any]]:
    record: dict[str, Any] = {"node": node, "step": step, **fields}
    started = time.perf_counter()
    try:
        yield record
    finally:
        record["wall_s"] = round(time.perf_counter() - started, 4)


def node(name: str, event: Callable[[Update], dict[str, Any]] = lambda update: {}):
    """Make ``body`` a graph node called ``name``; ``event`` picks what its progress event shows of the update."""

    def wrap(body: Body) -> Callable[[AgentState, Runtime[Services]], Awaitable[Update]]:
        async def run(state: AgentState, runtime: Runtime[Services]) -> Update:
            services = runtime.context
            step = state.get("step", 0)
            busy = services.tools.busy_s
            with timed(name, step) as record:
                update = await body(state, services, record)
                record["tool_s"] = round(services.tools.busy_s - busy, 4)
            services.emit(node=name, step=step, **event(update), wall_s=record["wall_s"], timing=dict(record))
            return {**update, "timings": [record], "elapsed_s": record["wall_s"]}

        # Not functools.wraps: LangGraph reads the signature to pass ``runtime``, and wraps would show the body's.
        run.__name__, run.__qualname__, run.__doc__ = name, name, body.__doc__
        return run

    return wrap
