"""The agent graph for `langgraph dev` (Studio).

Compiled without a checkpointer: the dev server brings its own and refuses a
custom one. The server cannot pass our services as the runtime context, so
they are opened once per server process, from the same settings the CLI uses,
the first time a run needs them.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

from neuronaut.api import open_services, prepare_data_dirs
from neuronaut.graph import build_graph
from neuronaut.services import Services
from neuronaut.settings import Settings
from neuronaut.worlds import get_world

_services: Services | None = None
_lock = asyncio.Lock()
_stack = AsyncExitStack()  # lives as long as the server process


async def _shared_services() -> Services:
    global _services
    async with _lock:
        if _services is None:
            settings = await asyncio.to_thread(Settings.load)
            await asyncio.to_thread(prepare_data_dirs, settings)
            _services = await open_services(_stack, settings, get_world(settings.world, settings), "studio")
        return _services


graph = build_graph(services_factory=_shared_services)
