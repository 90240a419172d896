"""Parsing Swift task READMEs into acceptance checks."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from neuronaut.errors import UserError
from neuronaut.worlds.swift.spec import parse_spec

EXAMPLES = Path(__file__).parents[4] / "examples" / "swift"
SPECS = sorted(EXAMPLES.glob("*/README.md"))


def readme(examples: str, header: str = "- Package: `tool`\n- Executable: `tool`\n") -> str:
    return f"# Tool\n\n{header}\nDoes things.\n\n## Examples\n\n```console\n{textwrap.dedent(examples).strip()}\n```\n"


def test_there_are_at_least_eight_specs_of_mixed_difficulty():
    difficulties = {parse_spec(p.read_text()).difficulty for p in SPECS}
    assert len(SPECS) >= 8 and {"easy", "medium", "hard"} <= difficulties


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.parent.name)
def test_every_example_spec_parses_with_its_directory_name(path: Path):
    spec = parse_spec(path.read_text())
    assert spec.package == spec.executable == path.parent.name
    assert len(spec.checks) >= 3 and spec.description


def test_reads_header_fields_title_and_description():
    spec = parse_spec(readme("$ tool\nok", header="- Package: `pkg`\n- Executable: `tool`\n- Difficulty: easy\n"))
    assert (spec.title, spec.package, spec.executable, spec.difficulty) == ("Tool", "pkg", "tool", "easy")
    assert spec.description == "Does things."


def test_arguments_are_split_like_a_shell_would():
    (check,) = parse_spec(readme('$ tool encode 3 "Hello, World!"\nKhoor')).checks
    assert check.args == ["encode", "3", "Hello, World!"] and check.stdin is None


def test_expected_stdout_is_every_line_up_to_the_next_command():
    first, second = parse_spec(readme("$ tool 2\n1\n2\n$ tool 1\n1")).checks
    assert first.expected_stdout == "1\n2\n" and second.expected_stdout == "1\n"


def test_exit_status_line_is_read_and_removed_from_stdout():
    (check,) = parse_spec(readme("$ tool bad\npartial\n[exit 2]")).checks
    assert (check.expected_stdout, check.expected_exit) == ("partial\n", 2)


def test_echo_pipe_gives_stdin_with_a_newline():
    (check,) = parse_spec(readme('$ echo "hello world" | tool -n 1\n2')).checks
    assert (check.stdin, check.args) == ("hello world\n", ["-n", "1"])


def test_printf_pipe_interprets_escapes():
    (check,) = parse_spec(readme("$ printf 'a\\tb\\nc\\n' | tool\n3")).checks
    assert check.stdin == "a\tb\nc\n"


def test_heredoc_gives_multi_line_stdin():
    (check,) = parse_spec(readme("$ tool <<EOF\n1 2 +\n\n3\nEOF\n3\n3")).checks
    assert check.stdin == "1 2 +\n\n3\n" and check.expected_stdout == "3\n3\n"


def test_a_quoted_bar_is_an_argument_not_a_pipe():
    (check,) = parse_spec(readme('$ tool "a | b"\nx')).checks
    assert check.args == ["a | b"] and check.stdin is None


def test_an_example_running_another_program_is_an_error():
    with pytest.raises(UserError, match="does not run tool"):
        parse_spec(readme("$ other 1\n1"))


def test_unsupported_input_producers_are_errors():
    with pytest.raises(UserError, match="unsupported input"):
        parse_spec(readme("$ cat file.txt | tool\n1"))


def test_a_readme_without_examples_is_an_error():
    with pytest.raises(UserError, match="Examples"):
        parse_spec("# Tool\n\n- Package: `tool`\n\nNothing else.\n")


def test_fenced_blocks_outside_the_examples_section_are_ignored():
    usage = "# Tool\n\n- Package: `tool`\n\n## Usage\n\n```\n$ tool --help\nhelp\n```\n\n"
    text = usage + readme("$ tool\nok").split("\n", 1)[1]
    assert [c.command for c in parse_spec(text).checks] == ["tool"]
