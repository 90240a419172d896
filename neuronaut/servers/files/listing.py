"""Looking at directories: one level, a whole tree, a name search, one file's metadata.

Walks never follow symlinks, so nothing outside the allowed roots is listed
through a link; a link shows up as an entry of type ``symlink``. Walks stop
after ``MAX_ENTRIES`` entries so one call can't return a million lines.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

MAX_ENTRIES = 2000
# Build output and tool caches: thousands of files nobody edits by hand.
DEFAULT_EXCLUDES = (".git", ".build", ".swiftpm", ".neuronaut-build", ".home", ".tmp", "__pycache__")

EntryType = Literal["file", "directory", "symlink", "other"]


class DirectoryEntry(BaseModel):
    name: str
    type: EntryType


class TreeNode(BaseModel):
    name: str
    type: EntryType
    children: list[TreeNode] | None = Field(None, description="Only for directories.")


class FileInfo(BaseModel):
    path: str
    type: EntryType
    size: int
    created: str
    modified: str
    accessed: str
    permissions: str = Field(description="Octal, e.g. '644'.")


def entry_type(path: Path) -> EntryType:
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode):
        return "symlink"
    if stat.S_ISDIR(mode):
        return "directory"
    return "file" if stat.S_ISREG(mode) else "other"


def list_entries(directory: Path) -> list[DirectoryEntry]:
    _require_directory(directory)
    return [DirectoryEntry(name=child.name, type=entry_type(child)) for child in sorted(directory.iterdir())]


def build_tree(directory: Path, excludes: list[str]) -> tuple[list[TreeNode], bool]:
    """The tree below ``directory`` and whether it was cut at ``MAX_ENTRIES``."""
    _require_directory(directory)
    budget = [MAX_ENTRIES]
    nodes = _tree_level(directory, directory, [*DEFAULT_EXCLUDES, *excludes], budget)
    return nodes, budget[0] <= 0


def _tree_level(directory: Path, top: Path, excludes: list[str], budget: list[int]) -> list[TreeNode]:
    nodes: list[TreeNode] = []
    for child in sorted(directory.iterdir()):
        if budget[0] <= 0:
            break
        if _excluded(child, top, excludes):
            continue
        budget[0] -= 1
        kind = entry_type(child)
        children = _tree_level(child, top, excludes, budget) if kind == "directory" else None
        nodes.append(TreeNode(name=child.name, type=kind, children=children))
    return nodes


def search(directory: Path, pattern: str, excludes: list[str]) -> tuple[list[Path], bool]:
    """Paths below ``directory`` whose name matches ``pattern``; and whether the search was cut.

    A pattern with glob characters (``*``, ``?``, ``[``) is matched against the
    name and the path relative to ``directory``; plain text is a
    case-insensitive substring of the name.
    """
    _require_directory(directory)
    matches: list[Path] = []
    all_excludes = [*DEFAULT_EXCLUDES, *excludes]
    for current, dirnames, filenames in os.walk(directory, followlinks=False):
        here = Path(current)
        dirnames[:] = sorted(d for d in dirnames if not _excluded(here / d, directory, all_excludes))
        for name in [*dirnames, *sorted(filenames)]:
            path = here / name
            if _excluded(path, directory, all_excludes):
                continue
            if _matches(name, path.relative_to(directory).as_posix(), pattern):
                matches.append(path)
                if len(matches) >= MAX_ENTRIES:
                    return matches, True
    return matches, False


def file_info(path: Path, shown_as: str) -> FileInfo:
    if not os.path.lexists(path):
        raise FileNotFoundError(f"No such file or directory: {shown_as}")
    info = path.stat()
    return FileInfo(
        path=shown_as,
        type=entry_type(path),
        size=info.st_size,
        created=_iso(getattr(info, "st_birthtime", info.st_ctime)),
        modified=_iso(info.st_mtime),
        accessed=_iso(info.st_atime),
        permissions=format(info.st_mode & 0o777, "o"),
    )


def _matches(name: str, relative: str, pattern: str) -> bool:
    if any(char in pattern for char in "*?["):
        bare = pattern[3:] if pattern.startswith("**/") else pattern
        return fnmatch.fnmatch(name, bare) or fnmatch.fnmatch(relative, pattern)
    return pattern.lower() in name.lower()


def _excluded(path: Path, top: Path, excludes: list[str]) -> bool:
    relative = path.relative_to(top).as_posix()
    return any(fnmatch.fnmatch(path.name, pat) or fnmatch.fnmatch(relative, pat) for pat in excludes)


def _require_directory(directory: Path) -> None:
    if not directory.is_dir():
        raise NotADirectoryError(f"Not a directory: {directory.name or directory}")


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).isoformat(timespec="seconds")
