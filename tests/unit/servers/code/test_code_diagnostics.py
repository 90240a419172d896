"""Compiler output (captured from real `swift build` runs) turned into compact diagnostics."""

from __future__ import annotations

from pathlib import Path

from neuronaut.servers.code.diagnostics import compact, parse_diagnostics, summarize, without_repeats

FIXTURES = Path(__file__).parents[3] / "fixtures" / "swift_diagnostics"


def parse(name: str, package: str) -> list:
    return parse_diagnostics((FIXTURES / f"{name}.txt").read_text(), package)


def test_type_errors_are_located_relative_to_the_package():
    found = parse("type_errors", "/tmp/nnfix/wordcount")
    errors = [d for d in found if d.severity == "error"]
    assert [(d.file, d.line, d.column) for d in errors] == [
        ("Sources/wordcount/main.swift", 8, 18),
        ("Sources/wordcount/Helpers.swift", 9, 15),
    ]
    assert errors[0].message == "cannot convert value of type 'Int' to expected argument type 'String'"


def test_each_diagnostic_is_kept_once_though_printed_twice():
    found = parse("type_errors", "/tmp/nnfix/wordcount")
    assert len(found) == 3


def test_notes_from_the_code_excerpt_are_attached():
    found = parse("type_errors", "/tmp/nnfix/wordcount")
    mutating = next(d for d in found if "mutating" in d.message)
    assert mutating.notes == ["line 7: change 'let' to 'var' to make it mutable"]


def test_warnings_are_reported_as_warnings():
    found = parse("type_errors", "/tmp/nnfix/wordcount")
    assert [d.line for d in found if d.severity == "warning"] == [5]


def test_command_failed_noise_is_dropped():
    found = parse("type_errors", "/tmp/nnfix/wordcount")
    assert not any("command failed" in d.message for d in found)


def test_linker_errors_have_a_file_and_line_but_no_column():
    (found,) = parse("linker_error", "/tmp/nnfix/linkerr")
    assert (found.file, found.line, found.column) == ("Sources/linkerr/main.swift", 2, None)
    assert found.message == "undefined reference to 'missing_function'"


def test_manifest_syntax_errors_point_into_package_swift():
    found = parse("manifest_syntax", "/tmp/nnfix/badsyntax")
    located = [d for d in found if d.file]
    assert [(d.file, d.line, d.message) for d in located] == [("Package.swift", 4, "expected ')' in expression list")]
    assert all("compiled with" not in d.message for d in found)


def test_package_level_errors_have_no_file():
    (found,) = parse("manifest_path", "/tmp/nnfix/badmanifest")
    assert found.file is None and found.message == "'badmanifest': invalid custom path 'Nope' for target 'x'"


def test_summary_names_the_first_located_error():
    found = parse("manifest_syntax", "/tmp/nnfix/badsyntax")
    summary = summarize(found, succeeded=False)
    assert summary.startswith("Build failed: 2 errors, 0 warnings.")
    assert "Package.swift:4:1: error: expected ')'" in summary


def test_summary_of_a_success_mentions_warnings_only_when_there_are_some():
    warnings = [d for d in parse("type_errors", "/x") if d.severity == "warning"]
    assert summarize(warnings, succeeded=True) == "Build succeeded with 1 warning."
    assert summarize([], succeeded=True) == "Build succeeded."


def test_compact_puts_errors_first_and_caps_the_list():
    found = parse("type_errors", "/tmp/nnfix/wordcount")
    assert [d.severity for d in compact(found)] == ["error", "error", "warning"]
    assert len(compact(found, limit=1)) == 1


def test_without_repeats_keeps_one_copy_of_each_excerpt():
    text = (FIXTURES / "type_errors.txt").read_text()
    once = without_repeats(text)
    assert once.count("cannot convert value of type 'Int'") == 2  # the location line and its excerpt marker
    assert text.count("cannot convert value of type 'Int'") == 4
