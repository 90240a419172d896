"""The MCP client side: one session held open per server for the whole run.

langchain-mcp-adapters' ``get_tools()`` starts a new server process for every
call; a stateful server then forgets its state between calls. Here each
server gets one long-lived session owned by a background task (anyio requires
a session to be closed by the task that opened it), tools are loaded through
the adapters once, and calls go through those tools.

Errors the model caused (unknown tool, bad arguments, a tool answering
``isError``) come back as a failed ``ToolOutcome`` — an observation. A server
that crashes, hangs or writes garbage on stdout is marked broken and restarted
before the next call that needs it (with backoff); a read-only call is retried,
a side-effecting one is reported, never repeated. Repeated failure raises
``ToolServerError``.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from pathlib import Path
from typing import Any

from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool
from pydantic import ValidationError

from neuronaut.errors import ToolServerError
from neuronaut.tools.connection import ServerConnection
from neuronaut.tools.pins import ToolPins, definition_of
from neuronaut.tools.types import ServerSpec, ToolOutcome, ToolSpec, tool_spec_from_langchain

log = logging.getLogger(__name__)


class ToolHub:
    """Holds the servers of one run and calls their tools."""

    def __init__(self, servers: list[ServerSpec], *, timeout_s: float = 60.0, max_restarts: int = 2,
                 log_dir: Path | None = None, pins: ToolPins | None = None) -> None:
        self._pins = pins
        self.held: dict[str, dict[str, str]] = {}  # server -> {tool: "changed"/"new"}, until trusted
        self.refused: dict[str, dict[str, str]] = {}  # server -> {tool: why}
        self._connections = {spec.name: ServerConnection(spec, log_dir) for spec in servers}
        self._timeout_s = timeout_s
        self._max_restarts = max_restarts
        self._failures = dict.fromkeys(self._connections, 0)  # consecutive failed calls per server
        self._tools: dict[str, tuple[str, BaseTool]] = {}
        self.catalogue: dict[str, ToolSpec] = {}
        self.busy_s = 0.0  # total time spent in tool calls, for per-node timing

    async def __aenter__(self) -> ToolHub:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def open(self) -> None:
        try:
            for name, connection in self._connections.items():
                self._register(name, await connection.start())
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        for connection in self._connections.values():
            await connection.stop()

    def _offered(self, server: str, tools: list[BaseTool]) -> list[BaseTool]:
        """The tools that match their pins (all of them without pins); the rest are recorded as held or refused."""
        if self._pins is None or not self._pins.applies_to(server):
            return tools
        definitions = [definition_of(t.name, t.description, _raw_schema(t)) for t in tools]
        review = self._pins.review(server, definitions)
        self.held[server], self.refused[server] = review.held, review.refused
        return [tool for tool in tools if tool.name in review.accepted]

    def _register(self, server: str, tools: list[BaseTool]) -> None:
        for tool in self._offered(server, tools):
            name = tool.name
            owner = self._tools.get(name, (server, None))[0]
            if owner != server:
                name = f"{server}_{tool.name}"  # two servers, one tool name: qualify the newcomer
            self._tools[name] = (server, tool)
            self.catalogue[name] = tool_spec_from_langchain(name, server, tool)

    async def call(self, name: str, args: dict[str, Any]) -> ToolOutcome:
        started = time.perf_counter()
        try:
            return await self._call_with_recovery(name, args)
        finally:
            self.busy_s += time.perf_counter() - started

    async def _call_with_recovery(self, name: str, args: dict[str, Any]) -> ToolOutcome:
        if name not in self._tools:
            known = ", ".join(sorted(self._tools))
            return ToolOutcome.failure(name, args, f"unknown tool {name!r}; available: {known}")
        server, _ = self._tools[name]
        spec = self.catalogue[name]
        connection = self._connections[server]
        attempts = 1 + (self._max_restarts if spec.read_only else 0)
        last_error = ""
        for _ in range(attempts):
            if connection.broken:
                # Restarted only when a call follows: nothing was sent to the broken process.
                await self._restart(server, backoff_s=min(0.2 * 2 ** (self._failures[server] - 1), 5.0))
                if name not in self._tools:
                    return ToolOutcome.failure(name, args, f"{name} is no longer offered: the {server} server changed "
                                               "its definition while restarting")
            try:
                outcome = await self._call_once(name, args)
            except (TimeoutError, ConnectionError, OSError, RuntimeError, _TransportError) as exc:
                last_error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                self._failures[server] += 1
                connection.mark_broken(last_error)
                log.warning("tool %s on server %s failed (%s)", name, server, last_error)
                continue
            self._failures[server] = 0
            return outcome
        if spec.read_only or self._failures[server] > self._max_restarts:
            raise ToolServerError(f"MCP server {server!r} failed {self._failures[server]} times in a row "
                                  f"(last on {name}): {last_error}")
        # A side-effecting call may or may not have happened: tell the model, never repeat it blindly.
        return ToolOutcome.failure(name, args, f"the {server} server failed during {name} ({last_error}); "
                                   "it is restarted before its next call — check the state before acting again")

    async def _call_once(self, name: str, args: dict[str, Any]) -> ToolOutcome:
        server, tool = self._tools[name]
        if self._connections[server].broken:  # broke while starting up: the call is not sent
            raise _TransportError(f"the server {self._connections[server].broken_reason}")
        started = time.perf_counter()
        call = {"type": "tool_call", "id": uuid.uuid4().hex, "name": tool.name, "args": args}
        # Raced against the connection breaking (garbage on stdout, a dead session): no waiting out the timeout.
        answer = asyncio.ensure_future(tool.ainvoke(call))
        broken = asyncio.ensure_future(self._connections[server].wait_broken())
        try:
            done, _ = await asyncio.wait({answer, broken}, timeout=self._timeout_s,
                                         return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (answer, broken):
                task.cancel()
            await asyncio.gather(answer, broken, return_exceptions=True)
        if answer in done:
            try:
                message = answer.result()
            except Exception as exc:  # noqa: BLE001 - classify: the model's mistake or the transport's
                if _is_argument_error(exc):
                    return ToolOutcome.failure(name, args, f"invalid arguments for {name}: {exc}")
                raise _TransportError(str(exc) or type(exc).__name__) from exc
            return _outcome(name, args, message, time.perf_counter() - started)
        if broken in done:
            raise _TransportError(f"the server {broken.result()}")
        raise TimeoutError(f"no answer within {self._timeout_s:.0f}s")

    async def _restart(self, server: str, backoff_s: float) -> None:
        connection = self._connections[server]
        log.warning("restarting MCP server %s (%s)", server, connection.broken_reason)
        await connection.stop()
        await asyncio.sleep(backoff_s)
        try:
            tools = await connection.start()
        except Exception as exc:  # noqa: BLE001 - reported as the server's failure
            raise ToolServerError(f"MCP server {server!r} could not be restarted: {exc}") from exc
        offered = {tool.name: tool for tool in self._offered(server, tools)}
        for name, (owner, old) in list(self._tools.items()):
            if owner != server:
                continue
            if old.name in offered:
                self._tools[name] = (server, offered[old.name])
            else:  # changed while restarting: withdrawn until trusted
                del self._tools[name]
                self.catalogue.pop(name, None)


def _raw_schema(tool: BaseTool) -> dict[str, Any]:
    return tool.args_schema if isinstance(tool.args_schema, dict) else tool.get_input_jsonschema()


class _TransportError(Exception):
    """The session or the server process failed, not the model."""


def _is_argument_error(exc: Exception) -> bool:
    return isinstance(exc, ValidationError | TypeError)


def _outcome(name: str, args: dict[str, Any], message: Any, duration: float) -> ToolOutcome:
    if not isinstance(message, ToolMessage):
        return ToolOutcome(tool=name, args=args, ok=True, text=str(message), duration_s=duration)
    text = _content_text(message.content)
    structured = None
    if isinstance(message.artifact, dict):
        structured = message.artifact.get("structured_content")
    ok = message.status != "error"
    return ToolOutcome(
        tool=name, args=args, ok=ok, text=text, structured=structured,
        error=None if ok else text, duration_s=duration,
    )


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    parts = []
    for block in content or []:
        if isinstance(block, dict):
            parts.append(block.get("text") or f"[{block.get('type', 'content')}]")
        else:
            parts.append(str(block))
    return "\n".join(parts)
