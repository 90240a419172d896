"""Every way out of the allowed root is blocked, and the error says so."""

from __future__ import annotations

import os
from pathlib import Path

from mcp.shared.memory import create_connected_server_and_client_session

from neuronaut.servers.files import build_server
from tests.mcp_results import call_error, call_ok
from tests.unit.servers.files.files_testkit import MAX_BYTES, SECRET, connect


async def test_dot_dot_cannot_climb_out(root: Path, outside: Path):
    async with connect(root) as session:
        error = await call_error(session, "read_text_file", path="../outside/secret.txt")
    assert "Access denied" in error and SECRET.strip() not in error


async def test_dot_dot_that_comes_back_inside_is_allowed(root: Path):
    async with connect(root) as session:
        result = await call_ok(session, "read_text_file", path="Sources/../Package.swift")
    assert result["path"] == "Package.swift"


async def test_absolute_path_outside_is_denied(root: Path, outside: Path):
    async with connect(root) as session:
        error = await call_error(session, "read_text_file", path=str(outside / "secret.txt"))
    assert "Access denied" in error


async def test_symlink_to_a_file_outside_is_denied(root: Path, outside: Path):
    (root / "link.txt").symlink_to(outside / "secret.txt")
    async with connect(root) as session:
        error = await call_error(session, "read_text_file", path="link.txt")
    assert "symlink" in error and SECRET.strip() not in error


async def test_symlink_inside_the_root_is_followed(root: Path):
    (root / "alias.swift").symlink_to(root / "Package.swift")
    async with connect(root) as session:
        result = await call_ok(session, "read_text_file", path="alias.swift")
    assert result["content"] == "// swift-tools-version:5.9\n"


async def test_writing_through_a_symlinked_directory_is_denied(root: Path, outside: Path):
    (root / "escape").symlink_to(outside, target_is_directory=True)
    async with connect(root) as session:
        error = await call_error(session, "write_file", path="escape/planted.txt", content="x")
    assert "Access denied" in error
    assert not (outside / "planted.txt").exists()


async def test_writing_to_a_dangling_symlink_pointing_outside_is_denied(root: Path, outside: Path):
    (root / "dangling.txt").symlink_to(outside / "new.txt")
    async with connect(root) as session:
        await call_error(session, "write_file", path="dangling.txt", content="x")
    assert not (outside / "new.txt").exists()


async def test_creating_a_directory_through_a_symlink_is_denied(root: Path, outside: Path):
    (root / "escape").symlink_to(outside, target_is_directory=True)
    async with connect(root) as session:
        await call_error(session, "create_directory", path="escape/made")
    assert not (outside / "made").exists()


async def test_a_sibling_sharing_the_roots_prefix_is_outside(tmp_path: Path, root: Path):
    sibling = tmp_path / "root2"  # "/…/root2" starts with "/…/root" but is not inside it
    sibling.mkdir()
    (sibling / "secret.txt").write_text("sibling secret")
    async with connect(root) as session:
        error = await call_error(session, "read_text_file", path=str(sibling / "secret.txt"))
    assert "Access denied" in error


async def test_null_byte_in_a_path_is_rejected(root: Path):
    async with connect(root) as session:
        error = await call_error(session, "read_text_file", path="Package.swift\x00.txt")
    assert "null byte" in error


async def test_moving_a_file_outside_is_denied(root: Path, outside: Path):
    async with connect(root) as session:
        await call_error(session, "move_file", source="Package.swift", destination=str(outside / "stolen.swift"))
    assert (root / "Package.swift").exists() and not (outside / "stolen.swift").exists()


async def test_reading_an_oversize_file_is_refused_with_a_way_forward(root: Path):
    (root / "big.txt").write_text("x" * (MAX_BYTES + 1))
    async with connect(root) as session:
        error = await call_error(session, "read_text_file", path="big.txt")
    assert "read limit" in error and "head" in error


async def test_writing_oversize_content_is_refused(root: Path):
    async with connect(root) as session:
        error = await call_error(session, "write_file", path="big.txt", content="x" * (MAX_BYTES + 1))
    assert "write limit" in error and not (root / "big.txt").exists()


async def test_search_does_not_follow_a_symlink_out(root: Path, outside: Path):
    (root / "escape").symlink_to(outside, target_is_directory=True)
    async with connect(root) as session:
        result = await call_ok(session, "search_files", path=".", pattern="secret")
    assert result["matches"] == []


async def test_relative_paths_start_at_the_first_root(tmp_path: Path, root: Path, outside: Path):
    server = build_server([root, outside])
    async with create_connected_server_and_client_session(server) as session:
        first = await call_ok(session, "read_text_file", path="Package.swift")
        second = await call_ok(session, "read_text_file", path=str(outside / "secret.txt"))
    assert first["content"].startswith("// swift") and second["content"] == SECRET


async def test_a_root_given_through_a_symlink_still_works(tmp_path: Path, root: Path):
    alias = tmp_path / "alias"
    os.symlink(root, alias)
    async with connect(alias) as session:
        result = await call_ok(session, "read_text_file", path=str(alias / "Package.swift"))
    assert result["path"] == "Package.swift"
