"""Names from the title or usage lines, and READMEs that cannot be used, each refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from neuronaut.errors import UserError
from neuronaut.worlds.swift.spec import load_spec, parse_spec

USAGE = "## Usage\n\n```\nroman 4   # prints IV\n```\n"


def test_the_title_names_the_package_and_executable_when_usage_runs_it():
    spec = parse_spec(f"# roman\n\nRoman numerals.\n\n{USAGE}")
    assert (spec.package, spec.executable) == ("roman", "roman")


def test_a_title_in_a_code_span_with_a_tagline_names_the_program():
    assert parse_spec(f"# `roman` — Roman numerals\n\nConverts.\n\n{USAGE}").executable == "roman"


def test_usage_lines_name_the_program_when_the_title_is_prose():
    spec = parse_spec(f"# Roman numeral converter\n\nConverts.\n\n{USAGE}")
    assert (spec.title, spec.package, spec.executable) == ("Roman numeral converter", "roman", "roman")


def test_a_package_line_still_wins_over_the_title():
    spec = parse_spec(f"# roman\n\n- Package: `numerals`\n- Executable: `roman`\n\nConverts.\n\n{USAGE}")
    assert (spec.package, spec.executable) == ("numerals", "roman")


def test_an_empty_readme_is_refused():
    with pytest.raises(UserError, match="the README is empty"):
        parse_spec("  \n\n")


def test_a_readme_that_is_not_utf8_is_refused_naming_the_byte(tmp_path: Path):
    readme = tmp_path / "README.md"
    readme.write_bytes(b"# roman\n\n\xff\xfe bad\n")
    with pytest.raises(UserError, match=r"README.md: the README is not UTF-8 text \(byte 0xff at offset 9\)"):
        load_spec(readme)


def test_a_readme_naming_no_runnable_program_is_refused():
    with pytest.raises(UserError, match="names no runnable program"):
        parse_spec("# A handy little tool\n\nIt does things. `4` becomes `IV`.\n")


def test_contradictory_examples_are_refused_naming_both_lines():
    text = f"# roman\n\nConverts.\n\n{USAGE}\n- `roman 4` prints `IIII`.\n"
    with pytest.raises(UserError, match=r"line 11: 'roman 4' contradicts line 8: stdout 'IIII\\n' here, 'IV\\n' there"):
        parse_spec(text)


def test_a_different_exit_status_for_the_same_input_is_a_contradiction():
    text = "# roman\n\n## Examples\n\n```console\n$ roman 0\n[exit 1]\n$ roman 0\n[exit 2]\n```\n"
    with pytest.raises(UserError, match="contradicts line 6: exit status 2 here, 1 there"):
        parse_spec(text)


def test_an_unclosed_heredoc_is_reported_with_its_line():
    with pytest.raises(UserError, match=r"line 6: example 'roman <<EOF': heredoc <<EOF is never closed"):
        parse_spec("# roman\n\n## Examples\n\n```console\n$ roman <<EOF\n1\n```\n")


def test_an_unparsable_command_is_reported_with_its_line():
    with pytest.raises(UserError, match=r"line 6: example 'roman \"4' cannot be read as a command"):
        parse_spec('# roman\n\n## Usage\n\n```\nroman "4   # prints IV\n```\n')
