"""Writing tools: write, edit (with diff and dry run), create directories, move."""

from __future__ import annotations

from pathlib import Path

from tests.mcp_results import call_error, call_ok
from tests.unit.servers.files.files_testkit import connect

MAIN = "Sources/App/main.swift"


async def test_write_file_creates_a_new_file(root: Path):
    async with connect(root) as session:
        result = await call_ok(session, "write_file", path="notes.txt", content="hello\n")
    assert result == {"path": "notes.txt", "bytes_written": 6}
    assert (root / "notes.txt").read_text() == "hello\n"


async def test_write_file_replaces_content_and_leaves_no_temp_file(root: Path):
    async with connect(root) as session:
        await call_ok(session, "write_file", path="Package.swift", content="new\n")
    assert (root / "Package.swift").read_text() == "new\n"
    assert sorted(p.name for p in root.iterdir()) == ["Package.swift", "Sources"]


async def test_write_file_keeps_an_existing_files_permissions(root: Path):
    script = root / "run.sh"
    script.write_text("old\n")
    script.chmod(0o755)
    async with connect(root) as session:
        await call_ok(session, "write_file", path="run.sh", content="new\n")
    assert script.stat().st_mode & 0o777 == 0o755


async def test_write_file_needs_an_existing_parent(root: Path):
    async with connect(root) as session:
        error = await call_error(session, "write_file", path="Tests/AppTests/a.swift", content="x")
    assert "Parent directory does not exist" in error and "create_directory" in error


async def test_edit_file_replaces_text_and_returns_a_diff(root: Path):
    async with connect(root) as session:
        result = await call_ok(
            session, "edit_file", path=MAIN, edits=[{"oldText": 'print("two")', "newText": 'print("2")'}]
        )
    assert result["applied"] is True
    assert '-print("two")\n+print("2")\n' in result["diff"]
    assert (root / MAIN).read_text() == 'print("one")\nprint("2")\nprint("three")\n'


async def test_edit_file_dry_run_does_not_write(root: Path):
    before = (root / MAIN).read_text()
    async with connect(root) as session:
        result = await call_ok(
            session, "edit_file", path=MAIN, edits=[{"oldText": "one", "newText": "uno"}], dryRun=True
        )
    assert result["applied"] is False and "+print(\"uno\")" in result["diff"]
    assert (root / MAIN).read_text() == before


async def test_edit_file_refuses_text_that_occurs_several_times(root: Path):
    async with connect(root) as session:
        error = await call_error(session, "edit_file", path=MAIN, edits=[{"oldText": "print", "newText": "x"}])
    assert "occurs 3 times" in error


async def test_edit_file_reports_text_that_is_not_there(root: Path):
    async with connect(root) as session:
        error = await call_error(session, "edit_file", path=MAIN, edits=[{"oldText": "missing", "newText": "x"}])
    assert "not found" in error


async def test_edit_file_matches_despite_different_indentation(root: Path):
    (root / "f.swift").write_text("func f() {\n    let a = 1\n    return a\n}\n")
    async with connect(root) as session:
        await call_ok(
            session, "edit_file", path="f.swift", edits=[{"oldText": "let a = 1\nreturn a", "newText": "return 1"}]
        )
    assert (root / "f.swift").read_text() == "func f() {\n    return 1\n}\n"


async def test_create_directory_makes_missing_parents(root: Path):
    async with connect(root) as session:
        await call_ok(session, "create_directory", path="Tests/AppTests")
    assert (root / "Tests" / "AppTests").is_dir()


async def test_move_file_renames(root: Path):
    async with connect(root) as session:
        await call_ok(session, "move_file", source="Package.swift", destination="Old.swift")
    assert (root / "Old.swift").is_file() and not (root / "Package.swift").exists()


async def test_move_file_does_not_overwrite(root: Path):
    (root / "other.txt").write_text("keep me")
    async with connect(root) as session:
        error = await call_error(session, "move_file", source="Package.swift", destination="other.txt")
    assert "already exists" in error and (root / "other.txt").read_text() == "keep me"
