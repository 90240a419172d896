"""Three ways to reach ``swift_build`` / ``swift_run`` for ``check_package``.

* ``ToolCallerRunner``: through the agent's tool caller (``World.check`` gets
  one), i.e. the code MCP server the run already has open.
* ``SessionRunner``: through a raw MCP ``ClientSession`` (stdio or in memory).
* ``LocalRunner``: the code server's Python functions in-process, no MCP;
  same sandbox, same results, for tests and scripts.

All three return the tools' structured results as dicts and turn a failed
call into ``ToolFailed``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mcp import ClientSession

from neuronaut.servers.code.swift import SwiftTools
from neuronaut.servers.code.workspace import DEFAULT_BUILD_TIMEOUT_S, Workspace
from neuronaut.worlds.base import ToolCaller
from neuronaut.worlds.swift.checker import ToolFailed

BUILD_TOOL = "swift_build"
RUN_TOOL = "swift_run"


def _run_args(package_path: str, arguments: list[str], stdin: str | None, timeout: float) -> dict[str, Any]:
    return {"package_path": package_path, "arguments": arguments, "stdin": stdin, "timeout": timeout}


class ToolCallerRunner:
    def __init__(self, caller: ToolCaller) -> None:
        self.caller = caller

    async def swift_build(self, package_path: str) -> dict[str, Any]:
        return await self._call(BUILD_TOOL, {"package_path": package_path})

    async def swift_run(
        self, package_path: str, arguments: list[str], stdin: str | None, timeout: float
    ) -> dict[str, Any]:
        return await self._call(RUN_TOOL, _run_args(package_path, arguments, stdin, timeout))

    async def _call(self, tool: str, args: dict[str, Any]) -> dict[str, Any]:
        outcome = await self.caller.call(tool, args)
        if not outcome.ok:
            raise ToolFailed(outcome.error or outcome.text)
        if outcome.structured is None:
            raise ToolFailed(f"{tool} returned no structured result: {outcome.text[:200]}")
        return outcome.structured


class SessionRunner:
    def __init__(self, session: ClientSession) -> None:
        self.session = session

    async def swift_build(self, package_path: str) -> dict[str, Any]:
        return await self._call(BUILD_TOOL, {"package_path": package_path})

    async def swift_run(
        self, package_path: str, arguments: list[str], stdin: str | None, timeout: float
    ) -> dict[str, Any]:
        return await self._call(RUN_TOOL, _run_args(package_path, arguments, stdin, timeout))

    async def _call(self, tool: str, args: dict[str, Any]) -> dict[str, Any]:
        result = await self.session.call_tool(tool, args)
        text = " ".join(getattr(block, "text", "") for block in result.content)
        if result.isError:
            raise ToolFailed(text)
        if result.structuredContent is None:
            raise ToolFailed(f"{tool} returned no structured result: {text[:200]}")
        return result.structuredContent


class LocalRunner:
    def __init__(self, workspace_root: Path, *, build_timeout_s: float = DEFAULT_BUILD_TIMEOUT_S) -> None:
        self.tools = SwiftTools(Workspace(workspace_root), build_timeout_s=build_timeout_s)

    async def swift_build(self, package_path: str) -> dict[str, Any]:
        try:
            return (await self.tools.build(package_path)).model_dump()
        except (OSError, ValueError, RuntimeError) as exc:
            raise ToolFailed(str(exc)) from exc

    async def swift_run(
        self, package_path: str, arguments: list[str], stdin: str | None, timeout: float
    ) -> dict[str, Any]:
        try:
            return (await self.tools.run(package_path, arguments, stdin, timeout)).model_dump()
        except (OSError, ValueError, RuntimeError) as exc:
            raise ToolFailed(str(exc)) from exc
