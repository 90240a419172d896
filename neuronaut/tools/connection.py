"""One MCP server's session, opened and closed by a task of its own.

anyio's cancel scopes must be exited by the task that entered them, while
graph nodes run in tasks of their own; a dedicated owner task keeps the
session's lifetime independent of whichever node happens to call a tool.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TextIO

from langchain_core.tools import BaseTool
from langchain_mcp_adapters.client import MultiServerMCPClient
from langchain_mcp_adapters.tools import load_mcp_tools
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from neuronaut.errors import ToolServerError
from neuronaut.tools.types import ServerSpec

log = logging.getLogger(__name__)

START_TIMEOUT_S = 60.0


class ServerConnection:
    def __init__(self, spec: ServerSpec, log_dir: Path | None = None) -> None:
        self.spec = spec
        self._log_dir = log_dir
        self._task: asyncio.Task[None] | None = None
        self._closing = asyncio.Event()

    async def start(self) -> list[BaseTool]:
        self._closing = asyncio.Event()
        ready: asyncio.Future[list[BaseTool]] = asyncio.get_running_loop().create_future()
        self._task = asyncio.create_task(self._own_session(ready), name=f"mcp:{self.spec.name}")
        try:
            return await asyncio.wait_for(asyncio.shield(ready), START_TIMEOUT_S)
        except TimeoutError:
            await self.stop()
            raise ToolServerError(f"MCP server {self.spec.name!r} did not start within {START_TIMEOUT_S:.0f}s") from None
        except ToolServerError:
            await self.stop()
            raise

    async def _own_session(self, ready: asyncio.Future[list[BaseTool]]) -> None:
        try:
            async with self._session() as session:
                tools = await load_mcp_tools(session, server_name=self.spec.name)
                ready.set_result(tools)
                await self._closing.wait()
        except Exception as exc:  # noqa: BLE001 - reported to whoever awaits the start
            if not ready.done():
                ready.set_exception(ToolServerError(f"cannot start MCP server {self.spec.name!r}: {_describe(exc)}"))
            else:
                log.warning("MCP server %s session ended: %s", self.spec.name, _describe(exc))

    @contextlib.asynccontextmanager
    async def _session(self) -> AsyncIterator[ClientSession]:
        if self.spec.transport != "stdio":
            client = MultiServerMCPClient({self.spec.name: self.spec.connection()})
            async with client.session(self.spec.name) as session:
                yield session
            return
        # Our own stdio client, to choose where the server's stderr goes: the CLI owns the terminal,
        # and in Jupyter sys.stderr has no file descriptor to hand to a child process.
        params = StdioServerParameters(command=self.spec.command, args=list(self.spec.args),
                                       env=self.spec.env, cwd=self.spec.cwd)
        errlog = await asyncio.to_thread(self._open_errlog)  # file I/O stays off the event loop
        try:
            async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
                await session.initialize()
                yield session
        finally:
            if errlog is not sys.__stderr__:
                await asyncio.to_thread(errlog.close)

    def _open_errlog(self) -> TextIO:
        if self._log_dir is None:
            return sys.__stderr__
        self._log_dir.mkdir(parents=True, exist_ok=True)
        return (self._log_dir / f"{self.spec.name}.log").open("a", encoding="utf-8")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        self._closing.set()
        try:
            await asyncio.wait_for(task, 10)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()
            with contextlib.suppress(BaseException):
                await task


def _describe(exc: BaseException) -> str:
    # anyio wraps failures in exception groups; the first leaf says what happened.
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
