"""A sandbox layout for the filesystem server: an allowed root, and things outside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.servers.files.files_testkit import SECRET


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The allowed root, with a small package inside."""
    allowed = tmp_path / "root"
    (allowed / "Sources" / "App").mkdir(parents=True)
    (allowed / "Package.swift").write_text("// swift-tools-version:5.9\n")
    (allowed / "Sources" / "App" / "main.swift").write_text('print("one")\nprint("two")\nprint("three")\n')
    return allowed


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A directory beside the root holding a secret the server must never reveal."""
    directory = tmp_path / "outside"
    directory.mkdir()
    (directory / "secret.txt").write_text(SECRET)
    return directory

