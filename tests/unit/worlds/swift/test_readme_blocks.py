"""Examples in code blocks: console sessions and usage lines with result comments."""

from __future__ import annotations

import pytest

from neuronaut.errors import UserError
from neuronaut.worlds.swift.spec import parse_spec
from tests.unit.worlds.swift.readme_text import checks, expected, only


def test_a_console_block_in_a_usage_section_gives_checks():
    check = only("## Usage\n\n```console\n$ tool 2\nfour\n```")
    assert expected(check) == (["2"], None, "four\n", 0, None) and check.source == "console"


def test_a_section_heading_of_any_level_counts():
    assert only("### Quick start\n\n```\n$ tool 2\nfour\n```").expected_stdout == "four\n"


def test_each_check_records_its_readme_line():
    first, second = checks("## Examples\n\n```console\n$ tool 1\none\n$ tool 2\ntwo\n```")
    assert (first.line, second.line) == (8, 10)


def test_echo_dollar_question_gives_the_previous_exit_status():
    check = only("## Examples\n\n```console\n$ tool bad\n$ echo $?\n3\n```")
    assert (check.args, check.expected_stdout, check.expected_exit) == (["bad"], "", 3)


def test_setup_commands_in_a_console_block_are_not_examples():
    check = only("## Quick start\n\n```console\n$ git clone https://x/tool\n$ swift build\n$ tool 1\none\n```")
    assert check.args == ["1"]


def test_swift_run_and_dot_slash_invocations_run_the_program():
    first, second = checks("## Usage\n\n```console\n$ swift run tool 1\none\n$ ./tool 2\ntwo\n```")
    assert (first.args, second.args) == (["1"], ["2"])


def test_a_usage_line_with_a_prints_comment():
    check = only("## Usage\n\n    tool 1994        # prints MCMXCIV")
    assert expected(check) == (["1994"], None, "MCMXCIV\n", 0, None) and check.source == "usage"


def test_a_usage_line_with_an_arrow_comment():
    assert only("## Usage\n\n```\ntool 4   # → IV\n```").expected_stdout == "IV\n"


def test_a_usage_line_with_an_outputs_comment_and_a_code_span():
    assert only("## Usage\n\n```\ntool 9   # outputs `IX`\n```").expected_stdout == "IX\n"


def test_a_usage_line_with_an_exit_comment_expects_no_stdout():
    assert expected(only("## Usage\n\n```\ntool 0   # exits with status 1\n```")) == (["0"], None, "", 1, None)


def test_a_usage_comment_can_send_a_message_to_stderr():
    check = only("## Usage\n\n```\ntool -1   # prints `bad number` to standard error and exits with status 2\n```")
    assert expected(check) == (["-1"], None, "", 2, "bad number")


def test_a_prints_colon_comment_takes_the_comment_lines_under_it():
    check = only("## Usage\n\n```\ntool 3   # prints:\n         #   1\n         #   2\n         #   [exit 1]\n```")
    assert (check.expected_stdout, check.expected_exit) == ("1\n2\n", 1)


def test_usage_lines_without_a_result_comment_are_synopses():
    assert [c.args for c in checks("## Usage\n\n```\ntool VALUE\ntool 1   # prints one\n```")] == [["1"]]


def test_a_hash_inside_quotes_is_not_a_comment():
    assert only('## Usage\n\n```\ntool "a # b"   # prints x\n```').args == ["a # b"]


def test_a_heredoc_in_a_usage_line_gives_stdin():
    check = only("## Usage\n\n```\ntool <<EOF   # prints 2\na\nb\nEOF\n```")
    assert (check.stdin, check.expected_stdout) == ("a\nb\n", "2\n")


def test_redirection_from_a_file_shown_after_a_line_naming_it():
    body = "## Usage\n\nGiven `notes.txt`:\n\n```\none two\n```\n\n```console\n$ tool < notes.txt\n2\n```"
    check = only(body)
    assert (check.stdin, check.expected_stdout) == ("one two\n", "2\n")


def test_cat_pipe_from_a_file_shown_with_cat():
    check = only("## Examples\n\n```console\n$ cat words.txt\na b c\n$ cat words.txt | tool\n3\n```")
    assert (check.stdin, check.args) == ("a b c\n", [])


def test_a_file_named_in_the_fence_is_shown():
    check = only('## Usage\n\n```text title="in.txt"\nx\n```\n\n```console\n$ tool < in.txt\n1\n```')
    assert check.stdin == "x\n"


def test_redirection_from_a_file_the_readme_does_not_show_is_reported_with_its_line():
    with pytest.raises(UserError, match=r"line 8: example 'tool < missing.txt' unsupported input.*missing.txt"):
        checks("## Examples\n\n```console\n$ tool < missing.txt\n1\n```")


def test_a_usage_line_running_another_program_is_reported_with_its_line():
    with pytest.raises(UserError, match=r"line 9: example 'other 1' does not run tool"):
        checks("## Usage\n\n```\nother 1   # prints 1\n```", header="- Executable: `tool`\n")


def test_a_comment_describing_the_output_is_not_an_expected_output():
    body = "## Usage\n\n```\ntool --version   # prints the version\ntool 1   # prints one\n```"
    assert [c.args for c in checks(body)] == [["1"]]


def test_underlined_headings_are_title_and_sections():
    text = ("tool\n====\n\nDoes things.\n\nExamples\n--------\n\n```console\n$ tool 1\none\n```\n\n"
            "Installation\n------------\n\n```console\n$ tool 2\ntwo\n```\n")
    spec = parse_spec(text)
    assert (spec.title, spec.executable, [c.line for c in spec.checks]) == ("tool", "tool", [10])


def test_a_block_of_swift_source_holds_no_commands():
    body = "## Usage\n\n```swift\nlet x = tool(1) # prints 1\n```\n\n```\ntool 1   # prints one\n```"
    assert [c.args for c in checks(body)] == [["1"]]


def test_output_shown_in_the_block_after_an_output_label():
    check = only("## Usage\n\n```bash\ntool 3\n```\n\nOutput:\n\n```\n1\n2\n3\n```")
    assert (check.args, check.expected_stdout, check.line) == (["3"], "1\n2\n3\n", 8)


def test_a_console_command_without_output_takes_the_block_after_this_prints():
    check = only("## Examples\n\n```console\n$ tool 2\n```\n\nThis prints:\n\n```\nfour\n```")
    assert (check.args, check.expected_stdout) == (["2"], "four\n")
