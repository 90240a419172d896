"""Known fixes appear under the compiler errors that small models repeat."""

from neuronaut.worlds.swift.hints import hint_for
from neuronaut.worlds.swift.view import report_text
from neuronaut.worlds.swift.checker import CheckReport


def test_a_known_error_gets_its_fix() -> None:
    assert "FileHandle.standardError" in hint_for("extra argument 'file' in call")
    assert "import Foundation" in hint_for("cannot find 'exit' in scope")


def test_an_unknown_error_gets_none() -> None:
    assert hint_for("cannot find 'nme' in scope") == ""


def test_the_fix_is_shown_under_its_error(tmp_path) -> None:
    (tmp_path / "main.swift").write_text('print("x", file: .standardError)\n')
    report = CheckReport(package="p", built=False, build_summary="", diagnostics=[
        {"file": "main.swift", "line": 1, "column": 11, "severity": "error", "message": "extra argument 'file' in call"}])
    lines = report_text(report, tmp_path, "").splitlines()
    at = lines.index("main.swift:1:11: error: extra argument 'file' in call")
    assert lines[at + 1].startswith("  fix: print() has no file: argument")
