"""One path checker for every server that touches the disk (files, code).

A path is allowed when it lies inside one of the configured roots, judged twice:
once as written (normalised, so ``..`` cannot climb out) and once after
resolving symlinks (so a link inside a root cannot point outside it). For a
path that does not exist yet, resolving it resolves its existing ancestors, so
a new file below a symlinked directory is judged by where it would really land.

"Inside" means equal to a root or below ``root + os.sep``: a bare prefix test
would let ``/work/root2`` pass for ``/work/root``.

The checks are made before each operation; a process that swaps a directory
for a symlink between the check and the use (a race) is out of scope: the
servers' clients are the agent and its tests, not an attacker with a shell.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


class PathNotAllowed(ValueError):
    """A path outside the allowed roots, or malformed; the message says what is allowed."""


class PathPolicy:
    """The allowed roots and the rules for turning a caller's path into a safe absolute path."""

    def __init__(self, roots: Iterable[Path | str]) -> None:
        given = [Path(os.path.abspath(Path(root).expanduser())) for root in roots]
        if not given:
            raise ValueError("at least one allowed root is needed")
        missing = [str(root) for root in given if not root.is_dir()]
        if missing:
            raise ValueError(f"allowed roots must be existing directories: {', '.join(missing)}")
        self.roots: tuple[Path, ...] = tuple(dict.fromkeys(_real(root) for root in given))
        # A root given through a symlink (/tmp -> /private/tmp on macOS) is also
        # accepted as written; the real-path check below still applies.
        self._spellings: tuple[Path, ...] = tuple(dict.fromkeys([*self.roots, *given]))

    @property
    def default_root(self) -> Path:
        """Relative paths are taken from here (the first root)."""
        return self.roots[0]

    def describe_roots(self) -> str:
        return ", ".join(str(root) for root in self.roots)

    def contains(self, path: Path | str) -> bool:
        """Whether an absolute, normalised path is one of the roots or below one."""
        return any(_is_within(str(path), str(root)) for root in self.roots)

    def resolve(self, path: str, *, base: Path | None = None) -> Path:
        """The real absolute path for ``path``, or ``PathNotAllowed``.

        Relative paths are joined to ``base`` (default: the first root). The
        result has every symlink resolved, so callers act on the real file.
        """
        _reject_malformed(path)
        start = base if base is not None else self.default_root
        candidate = Path(os.path.normpath(os.path.join(start, path)))
        if not any(_is_within(str(candidate), str(root)) for root in self._spellings):
            raise self._denied(path)
        real = _real(candidate)
        if not self.contains(real):
            raise PathNotAllowed(
                f"Access denied: {path} leads through a symlink to {real}, outside the allowed "
                f"directories ({self.describe_roots()})."
            )
        return real

    def resolve_existing(self, path: str, *, base: Path | None = None) -> Path:
        real = self.resolve(path, base=base)
        if not real.exists():
            raise FileNotFoundError(f"No such file or directory: {path}")
        return real

    def resolve_for_write(self, path: str, *, base: Path | None = None) -> Path:
        """Like ``resolve``, and the parent directory must already exist."""
        real = self.resolve(path, base=base)
        if not real.parent.is_dir():
            raise FileNotFoundError(
                f"Parent directory does not exist: {self.display(real.parent)}. "
                "Create it first with create_directory."
            )
        return real

    def display(self, real: Path) -> str:
        """A path as the caller should write it: relative to the first root when inside it."""
        root = self.default_root
        if real == root:
            return "."
        if _is_within(str(real), str(root)):
            return str(real.relative_to(root))
        return str(real)

    def _denied(self, path: str) -> PathNotAllowed:
        return PathNotAllowed(
            f"Access denied: {path} is outside the allowed directories ({self.describe_roots()}). "
            "Use a path inside them; relative paths start at the first one."
        )


def _reject_malformed(path: str) -> None:
    if not isinstance(path, str) or not path:
        raise PathNotAllowed("The path is empty: give a file or directory path.")
    if "\x00" in path:
        raise PathNotAllowed("The path contains a null byte, which no file name may contain.")


def _real(path: Path) -> Path:
    # strict=False resolves every existing component (including a dangling
    # link's target), which is what lets new files be judged by where they land.
    return Path(os.path.realpath(path))


def _is_within(path: str, root: str) -> bool:
    if path == root:
        return True
    prefix = root if root.endswith(os.sep) else root + os.sep
    return path.startswith(prefix)

