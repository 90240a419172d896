"""One MCP server's session, opened and closed by a task of its own.

anyio's cancel scopes must be exited by the task that entered them, while
graph nodes run in tasks of their own; a dedicated owner task keeps the
session's lifetime independent of whichever node happens to call a tool.

The connection also says when its server is *broken*: the session ended (the
process died) or the server wrote a line to stdout that is not JSON-RPC (a
stray print corrupts the protocol stream). The hub races each call against
that, so garbage is caught at once instead of at the call's timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, TextIO

import anyio

from langchain_core.tools import BaseTool
from langchain_mcp_adapters.client import MultiServerMCPClient
from langchain_mcp_adapters.tools import load_mcp_tools
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from neuronaut.errors import ToolServerError
from neuronaut.tools.types import ServerSpec

log = logging.getLogger(__name__)

START_TIMEOUT_S = 60.0
GARBAGE = "wrote something that is not JSON-RPC to stdout"


class _NoParseTracebacks(logging.Filter):
    """mcp's stdio client logs every unparsable line with a traceback; the connection reports it in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to parse JSONRPC message")


logging.getLogger("mcp.client.stdio").addFilter(_NoParseTracebacks())


class ServerConnection:
    def __init__(self, spec: ServerSpec, log_dir: Path | None = None) -> None:
        self.spec = spec
        self._log_dir = log_dir
        self._task: asyncio.Task[None] | None = None
        self._closing = asyncio.Event()
        self._broken = asyncio.Event()
        self.broken_reason: str | None = None

    @property
    def broken(self) -> bool:
        return self._broken.is_set()

    def mark_broken(self, reason: str) -> None:
        """Take the server out of service: the next call restarts it first."""
        if not self._broken.is_set():
            self.broken_reason = reason
            self._broken.set()

    async def wait_broken(self) -> str:
        await self._broken.wait()
        return self.broken_reason or "broken"

    async def start(self) -> list[BaseTool]:
        self._closing = asyncio.Event()
        self._broken = asyncio.Event()
        self.broken_reason = None
        ready: asyncio.Future[list[BaseTool]] = asyncio.get_running_loop().create_future()
        self._task = asyncio.create_task(self._own_session(ready), name=f"mcp:{self.spec.name}")
        try:
            tools = await asyncio.wait_for(asyncio.shield(ready), START_TIMEOUT_S)
        except TimeoutError:
            await self.stop()
            raise ToolServerError(f"MCP server {self.spec.name!r} did not start within {START_TIMEOUT_S:.0f}s") from None
        except ToolServerError:
            await self.stop()
            raise
        if self.broken:  # e.g. a banner printed on stdout: every start would do the same
            reason = self.broken_reason
            await self.stop()
            raise ToolServerError(f"cannot start MCP server {self.spec.name!r}: it {reason}")
        return tools

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
            self.mark_broken(f"its session ended ({_describe(exc)})")
        finally:
            if not self._closing.is_set():
                self.mark_broken("its session ended")

    async def _on_message(self, message: Any) -> None:
        """The session's message handler: an exception stands for a line of stdout that was not JSON-RPC."""
        if isinstance(message, Exception):
            detail = _describe(message).splitlines()[0][:200]
            log.warning("MCP server %s %s (%s)", self.spec.name, GARBAGE, detail)
            self.mark_broken(f"{GARBAGE} ({detail})")
        await anyio.lowlevel.checkpoint()

    @contextlib.asynccontextmanager
    async def _session(self) -> AsyncIterator[ClientSession]:
        if self.spec.transport != "stdio":
            connection = {**self.spec.connection(), "session_kwargs": {"message_handler": self._on_message}}
            client = MultiServerMCPClient({self.spec.name: connection})
            async with client.session(self.spec.name) as session:
                yield session
            return
        # Our own stdio client, to choose where the server's stderr goes: the CLI owns the terminal,
        # and in Jupyter sys.stderr has no file descriptor to hand to a child process.
        params = StdioServerParameters(command=self.spec.command, args=list(self.spec.args),
                                       env=self.spec.env, cwd=self.spec.cwd)
        errlog = await asyncio.to_thread(self._open_errlog)  # file I/O stays off the event loop
        try:
            async with (stdio_client(params, errlog=errlog) as (read, write),
                        ClientSession(read, write, message_handler=self._on_message) as session):
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
