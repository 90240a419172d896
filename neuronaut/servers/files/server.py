"""The filesystem MCP server: the reference server's tools, confined to allowed roots.

Tool names and parameters follow @modelcontextprotocol/server-filesystem, so
prompts and skills written for it work here. Every path goes through one
``PathPolicy``; every failure is raised, so the client gets an ``isError``
result whose text says what to do instead.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Annotated

from mcp.server.fastmcp import FastMCP
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from neuronaut.servers.files import listing
from neuronaut.servers.files.edits import EditOperation, apply_edits, unified_diff
from neuronaut.servers.files.listing import DirectoryEntry, FileInfo, TreeNode
from neuronaut.servers.files.sandbox import DEFAULT_MAX_FILE_BYTES, atomic_write, read_head, read_tail, read_text
from neuronaut.servers.sandbox_paths import PathPolicy

log = logging.getLogger(__name__)

INSTRUCTIONS = (
    "Read, write and edit files inside the allowed directories. Relative paths start at the first "
    "allowed directory; call list_allowed_directories to see them."
)

READ = ToolAnnotations(readOnlyHint=True, openWorldHint=False)
CREATE = ToolAnnotations(readOnlyHint=False, destructiveHint=False, idempotentHint=True, openWorldHint=False)
OVERWRITE = ToolAnnotations(readOnlyHint=False, destructiveHint=True, idempotentHint=True, openWorldHint=False)
CHANGE = ToolAnnotations(readOnlyHint=False, destructiveHint=True, idempotentHint=False, openWorldHint=False)

PathArg = Annotated[str, Field(description="A path inside the allowed directories, e.g. 'Sources/App/main.swift'.")]
Excludes = Annotated[list[str], Field(description="Glob patterns of names or paths to skip, e.g. ['*.o'].")]


class FileContent(BaseModel):
    path: str
    content: str


class FileReadResult(BaseModel):
    path: str
    content: str | None = None
    error: str | None = None


class MultipleFiles(BaseModel):
    files: list[FileReadResult]


class WriteResult(BaseModel):
    path: str
    bytes_written: int


class EditResult(BaseModel):
    path: str
    diff: str = Field(description="Unified diff of the change.")
    applied: bool = Field(description="False for a dry run.")


class PathResult(BaseModel):
    path: str
    message: str


class Listing(BaseModel):
    path: str
    entries: list[DirectoryEntry]


class Tree(BaseModel):
    path: str
    tree: list[TreeNode]
    truncated: bool = Field(description=f"True when cut after {listing.MAX_ENTRIES} entries.")


class SearchResult(BaseModel):
    matches: list[str]
    truncated: bool


class AllowedDirectories(BaseModel):
    directories: list[str]


def build_server(roots: list[Path], *, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> FastMCP:
    policy = PathPolicy(roots)
    server = FastMCP("files", instructions=INSTRUCTIONS, log_level="WARNING")
    _register_reading(server, policy, max_file_bytes)
    _register_writing(server, policy, max_file_bytes)
    _register_browsing(server, policy)
    return server


def _register_reading(server: FastMCP, policy: PathPolicy, max_bytes: int) -> None:
    @server.tool(
        description=(
            "Read a text file. head=N returns only the first N lines, tail=N only the last N lines "
            f"(use them for big files: whole reads stop at {max_bytes} bytes)."
        ),
        annotations=READ,
    )
    def read_text_file(
        path: PathArg,
        head: Annotated[int | None, Field(ge=1, description="Only the first N lines.")] = None,
        tail: Annotated[int | None, Field(ge=1, description="Only the last N lines.")] = None,
    ) -> FileContent:
        if head is not None and tail is not None:
            raise ValueError("Give head or tail, not both.")
        real = policy.resolve_existing(path)
        shown = policy.display(real)
        if head is not None:
            return FileContent(path=shown, content=read_head(real, head, max_bytes=max_bytes, shown_as=shown))
        if tail is not None:
            return FileContent(path=shown, content=read_tail(real, tail, max_bytes=max_bytes, shown_as=shown))
        return FileContent(path=shown, content=read_text(real, max_bytes=max_bytes, shown_as=shown))

    @server.tool(
        description=(
            "Read several text files at once. A file that cannot be read gets an error entry; "
            "the others are still returned."
        ),
        annotations=READ,
    )
    def read_multiple_files(
        paths: Annotated[list[str], Field(min_length=1, description="Paths of the files to read.")],
    ) -> MultipleFiles:
        return MultipleFiles(files=[_read_one(policy, path, max_bytes) for path in paths])


def _read_one(policy: PathPolicy, path: str, max_bytes: int) -> FileReadResult:
    try:
        real = policy.resolve_existing(path)
        shown = policy.display(real)
        return FileReadResult(path=shown, content=read_text(real, max_bytes=max_bytes, shown_as=shown))
    except (OSError, ValueError) as exc:
        return FileReadResult(path=path, error=str(exc))


def _register_writing(server: FastMCP, policy: PathPolicy, max_bytes: int) -> None:
    @server.tool(
        description=(
            "Create a file or replace its whole content. The parent directory must exist (see create_directory)."
        ),
        annotations=OVERWRITE,
    )
    def write_file(
        path: PathArg, content: Annotated[str, Field(description="The complete new content.")]
    ) -> WriteResult:
        real = policy.resolve_for_write(path)
        written = atomic_write(real, content, max_bytes=max_bytes, shown_as=policy.display(real))
        return WriteResult(path=policy.display(real), bytes_written=written)

    @server.tool(
        description=(
            "Change parts of a text file: each edit replaces oldText (which must occur exactly once) "
            "with newText. Returns a unified diff. dryRun=true shows the diff without writing."
        ),
        annotations=CHANGE,
    )
    def edit_file(
        path: PathArg,
        edits: Annotated[list[EditOperation], Field(min_length=1, description="Replacements, applied in order.")],
        dryRun: Annotated[bool, Field(description="Preview only; do not write.")] = False,  # noqa: N803
    ) -> EditResult:
        real = policy.resolve_existing(path)
        shown = policy.display(real)
        before = read_text(real, max_bytes=max_bytes, shown_as=shown)
        after = apply_edits(before, edits)
        if not dryRun:
            atomic_write(real, after, max_bytes=max_bytes, shown_as=shown)
        return EditResult(path=shown, diff=unified_diff(before, after, shown), applied=not dryRun)

    @server.tool(
        description="Create a directory, with any missing parents. Succeeds if it already exists.",
        annotations=CREATE,
    )
    def create_directory(path: PathArg) -> PathResult:
        real = policy.resolve(path)
        real.mkdir(parents=True, exist_ok=True)
        return PathResult(path=policy.display(real), message="directory ready")

    @server.tool(
        description="Move or rename a file or directory. Fails if the destination already exists.",
        annotations=CHANGE,
    )
    def move_file(
        source: Annotated[str, Field(description="The existing path.")],
        destination: Annotated[str, Field(description="The new path; its parent directory must exist.")],
    ) -> PathResult:
        real_source = policy.resolve_existing(source)
        real_destination = policy.resolve_for_write(destination)
        if os.path.lexists(real_destination):
            raise FileExistsError(f"Destination already exists: {policy.display(real_destination)}")
        os.rename(real_source, real_destination)
        shown = policy.display(real_destination)
        return PathResult(path=shown, message=f"moved {policy.display(real_source)} to {shown}")


def _register_browsing(server: FastMCP, policy: PathPolicy) -> None:
    @server.tool(description="List the files and directories directly inside a directory.", annotations=READ)
    def list_directory(path: PathArg) -> Listing:
        real = policy.resolve_existing(path)
        return Listing(path=policy.display(real), entries=listing.list_entries(real))

    @server.tool(
        description=(
            "The whole tree below a directory, nested. Build output and caches (.build, .git, ...) "
            "are left out; excludePatterns leaves out more."
        ),
        annotations=READ,
    )
    def directory_tree(path: PathArg, excludePatterns: Excludes | None = None) -> Tree:  # noqa: N803
        real = policy.resolve_existing(path)
        nodes, truncated = listing.build_tree(real, excludePatterns or [])
        return Tree(path=policy.display(real), tree=nodes, truncated=truncated)

    @server.tool(
        description=(
            "Find files and directories below path by name: a glob like '*.swift' or '**/main.swift', "
            "or plain text matched case-insensitively inside names."
        ),
        annotations=READ,
    )
    def search_files(
        path: PathArg,
        pattern: Annotated[str, Field(min_length=1, description="A glob or a piece of a name.")],
        excludePatterns: Excludes | None = None,  # noqa: N803
    ) -> SearchResult:
        real = policy.resolve_existing(path)
        found, truncated = listing.search(real, pattern, excludePatterns or [])
        return SearchResult(matches=[policy.display(p) for p in found], truncated=truncated)

    @server.tool(description="Size, times, type and permissions of a file or directory.", annotations=READ)
    def get_file_info(path: PathArg) -> FileInfo:
        real = policy.resolve_existing(path)
        return listing.file_info(real, policy.display(real))

    @server.tool(
        description="The directories this server may access. Relative paths start at the first one.",
        annotations=READ,
    )
    def list_allowed_directories() -> AllowedDirectories:
        return AllowedDirectories(directories=[str(root) for root in policy.roots])
