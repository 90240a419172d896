"""Browsing tools: list, tree, search, info, allowed directories; tool metadata."""

from __future__ import annotations

from pathlib import Path

from tests.mcp_results import call_ok
from tests.unit.servers.files.files_testkit import connect

REFERENCE_TOOLS = {
    "read_text_file", "read_multiple_files", "write_file", "edit_file", "create_directory", "list_directory",
    "directory_tree", "search_files", "move_file", "get_file_info", "list_allowed_directories",
}
READ_ONLY = {"read_text_file", "read_multiple_files", "list_directory", "directory_tree", "search_files",
             "get_file_info", "list_allowed_directories"}


async def test_exposes_the_reference_servers_tools(root: Path):
    async with connect(root) as session:
        names = {tool.name for tool in (await session.list_tools()).tools}
    assert names == REFERENCE_TOOLS


async def test_only_reading_tools_are_annotated_read_only(root: Path):
    async with connect(root) as session:
        tools = (await session.list_tools()).tools
    assert {t.name for t in tools if t.annotations and t.annotations.readOnlyHint} == READ_ONLY


async def test_list_directory_shows_names_and_types(root: Path):
    async with connect(root) as session:
        result = await call_ok(session, "list_directory", path=".")
    assert result["entries"] == [{"name": "Package.swift", "type": "file"}, {"name": "Sources", "type": "directory"}]


async def test_directory_tree_nests_and_skips_build_output(root: Path):
    (root / ".build" / "debug").mkdir(parents=True)
    async with connect(root) as session:
        result = await call_ok(session, "directory_tree", path=".")
    sources = result["tree"][1]
    assert [node["name"] for node in result["tree"]] == ["Package.swift", "Sources"]
    assert sources["children"][0]["children"][0]["name"] == "main.swift"


async def test_directory_tree_honours_exclude_patterns(root: Path):
    async with connect(root) as session:
        result = await call_ok(session, "directory_tree", path=".", excludePatterns=["Sources"])
    assert [node["name"] for node in result["tree"]] == ["Package.swift"]


async def test_search_files_by_glob(root: Path):
    async with connect(root) as session:
        result = await call_ok(session, "search_files", path=".", pattern="*.swift")
    assert result["matches"] == ["Package.swift", "Sources/App/main.swift"]


async def test_search_files_by_name_fragment_ignores_case(root: Path):
    async with connect(root) as session:
        result = await call_ok(session, "search_files", path=".", pattern="MAIN")
    assert result["matches"] == ["Sources/App/main.swift"]


async def test_get_file_info_reports_size_and_type(root: Path):
    async with connect(root) as session:
        info = await call_ok(session, "get_file_info", path="Package.swift")
    assert info["type"] == "file" and info["size"] == len("// swift-tools-version:5.9\n")
    assert info["permissions"] == format((root / "Package.swift").stat().st_mode & 0o777, "o")


async def test_list_allowed_directories_shows_the_real_root(root: Path):
    async with connect(root) as session:
        result = await call_ok(session, "list_allowed_directories")
    assert result["directories"] == [str(root.resolve())]
