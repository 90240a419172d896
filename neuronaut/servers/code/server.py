"""The code-execution MCP server: build, test and run code inside one workspace, sandboxed.

Every tool returns a structured result (exit code, timing, output, and the
``sandbox`` actually in force). Mistakes the caller can fix (a path outside
the workspace, a program not allowed, a package that does not build when
running it) are raised, so the client sees an ``isError`` result saying what
to do instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from mcp.server.fastmcp import FastMCP
from mcp.types import ToolAnnotations
from pydantic import Field

from neuronaut.servers.code import commands
from neuronaut.servers.code.sandbox import ProcessResult
from neuronaut.servers.code.swift import Configuration, SwiftBuildResult, SwiftTools
from neuronaut.servers.code.workspace import DEFAULT_BUILD_TIMEOUT_S, MAX_RUN_TIMEOUT_S, Workspace

INSTRUCTIONS = (
    "Build and run code in the workspace. For a Swift package: swift_build shows compiler errors "
    "as file/line/message; fix them, build again, then swift_run with the example arguments and stdin."
)

# Builds write only to the scratch directory and are repeatable.
BUILD = ToolAnnotations(readOnlyHint=False, destructiveHint=False, idempotentHint=True, openWorldHint=False)
# Arbitrary code: it may write files, so it is neither read-only nor idempotent.
EXECUTE = ToolAnnotations(readOnlyHint=False, destructiveHint=True, idempotentHint=False, openWorldHint=False)

PackagePath = Annotated[
    str, Field(description="The package directory (the one holding Package.swift), relative to the workspace.")
]
Arguments = Annotated[list[str], Field(description="Command-line arguments, e.g. ['-n', '3'].")]
Stdin = Annotated[str | None, Field(description="Text given to the program's standard input.")]
Timeout = Annotated[float, Field(gt=0, le=MAX_RUN_TIMEOUT_S, description="Seconds before the program is killed.")]


def build_server(workspace_root: Path, *, build_timeout_s: float = DEFAULT_BUILD_TIMEOUT_S) -> FastMCP:
    workspace = Workspace(workspace_root)
    swift = SwiftTools(workspace, build_timeout_s=build_timeout_s)
    server = FastMCP("code", instructions=INSTRUCTIONS, log_level="WARNING")
    _register_swift(server, swift)
    _register_general(server, workspace)
    return server


def _register_swift(server: FastMCP, swift: SwiftTools) -> None:
    @server.tool(
        description=(
            "Compile a Swift package. Returns ok, a one-line summary and diagnostics: a list of "
            "{file, line, column, severity, message, notes}, errors first. Fix the errors and build again."
        ),
        annotations=BUILD,
    )
    async def swift_build(package_path: PackagePath, configuration: Configuration = "debug") -> SwiftBuildResult:
        return await swift.build(package_path, configuration)

    @server.tool(
        description=(
            "Build a Swift package and run its executable with arguments and stdin; "
            "returns exit_code, stdout and stderr."
        ),
        annotations=EXECUTE,
    )
    async def swift_run(
        package_path: PackagePath,
        arguments: Arguments = [],  # noqa: B006 (pydantic copies defaults)
        stdin: Stdin = None,
        timeout: Timeout = 30,
        executable: Annotated[
            str | None, Field(description="The executable's name; only needed when the package has several.")
        ] = None,
    ) -> ProcessResult:
        return await swift.run(package_path, list(arguments), stdin, timeout, executable)

    @server.tool(
        description=(
            "Run the package's tests (swift test). Returns ok, a summary with the test counts, and diagnostics."
        ),
        annotations=EXECUTE,
    )
    async def swift_test(package_path: PackagePath) -> SwiftBuildResult:
        return await swift.test(package_path)


def _register_general(server: FastMCP, workspace: Workspace) -> None:
    @server.tool(
        description=(
            "Run a Python 3 program (the code of one file) with optional stdin; returns exit_code, stdout, stderr."
        ),
        annotations=EXECUTE,
    )
    async def run_python(
        code: Annotated[str, Field(description="The Python source to run.")],
        stdin: Stdin = None,
        timeout: Timeout = 10,
    ) -> ProcessResult:
        return await commands.run_python(workspace, code, stdin, timeout)

    allowed = ", ".join(sorted(commands.ALLOWED_PROGRAMS))

    @server.tool(
        description=(
            f"Run one program with arguments, without a shell (no pipes, no globs). Allowed programs: {allowed}."
        ),
        annotations=EXECUTE,
    )
    async def run_command(
        argv: Annotated[list[str], Field(min_length=1, description="Program and arguments, e.g. ['ls', '-la'].")],
        cwd: Annotated[
            str | None, Field(description="Working directory inside the workspace (default: its root).")
        ] = None,
        timeout: Annotated[float, Field(gt=0, description="Seconds before the program is killed.")] = 30,
        stdin: Stdin = None,
    ) -> ProcessResult:
        return await commands.run_command(workspace, list(argv), cwd, timeout, stdin)
