"""Examples stated in sentences, list items and tables; error contracts stated in prose."""

from __future__ import annotations

from tests.unit.worlds.swift.readme_text import checks, expected, only


def test_a_sentence_with_a_command_and_prints():
    check = only("## Rules\n\nRunning `tool 40` prints `XL`.")
    assert expected(check) == (["40"], None, "XL\n", 0, None) and check.source == "prose"


def test_a_bullet_with_exits_with_status():
    assert expected(only("## Rules\n\n- `tool abc` exits with status 1.")) == (["abc"], None, "", 1, None)


def test_a_bullet_with_a_message_on_stderr_and_a_status():
    check = only("- `tool 1 / 0` prints `error: division by zero` to standard error and exits with status 2")
    assert expected(check) == (["1", "/", "0"], None, "", 2, "error: division by zero")


def test_several_code_spans_on_separate_lines_are_several_output_lines():
    assert only("- `tool 3` prints `1`, `2` and `Fizz` on separate lines.").expected_stdout == "1\n2\nFizz\n"


def test_two_commands_in_one_sentence_each_get_their_own_result():
    first, second = checks("`tool 4` prints `IV` and `tool 9` prints `IX`.")
    assert (first.args, first.expected_stdout, second.args, second.expected_stdout) == (
        ["4"], "IV\n", ["9"], "IX\n")


def test_a_command_mentioned_without_a_result_is_not_an_example():
    assert [c.args for c in checks("Try `tool --help` for more.\n\n- `tool 1` prints `one`.")] == [["1"]]


def test_prose_prints_nothing():
    assert expected(only("- `echo '' | tool` prints nothing.")) == ([], "\n", "", 0, None)


def test_an_error_contract_in_prose_is_required_by_examples_with_that_status():
    body = ("When N is missing, print `usage: tool N` to standard error and exit with status 1.\n\n"
            "## Examples\n\n```console\n$ tool\n[exit 1]\n$ tool 1\none\n```")
    missing, fine = checks(body)
    assert (missing.expected_stderr, fine.expected_stderr) == ("usage: tool N", None)


def test_two_messages_for_one_status_bind_no_example():
    body = ("Print `a` to stderr and exit with status 1.\n\nPrint `b` to stderr and exit with status 1.\n\n"
            "## Examples\n\n```console\n$ tool\n[exit 1]\n```")
    assert only(body).expected_stderr is None


def test_a_message_without_standard_error_is_no_contract():
    body = "Print `oops` and exit with status 1.\n\n## Examples\n\n```console\n$ tool\n[exit 1]\n```"
    assert only(body).expected_stderr is None


def test_a_table_of_commands_and_outputs():
    check = only("| Command | Output |\n|---|---|\n| `tool 10` | `X` |")
    assert expected(check) == (["10"], None, "X\n", 0, None) and check.source == "table"


def test_a_table_of_arguments_output_and_exit_status():
    first, second = checks("| Arguments | Output | Exit status |\n|---|---|---|\n| `3999` | MMMCMXCIX | 0 |\n"
                           "| `0` | | 1 |")
    assert (expected(first), expected(second)) == ((["3999"], None, "MMMCMXCIX\n", 0, None),
                                                   (["0"], None, "", 1, None))


def test_a_table_with_standard_input_and_line_breaks():
    check = only("| stdin | Output |\n|---|---|\n| `a b` | `2`<br>`x` |")
    assert (check.stdin, check.expected_stdout) == ("a b\n", "2\nx\n")


def test_an_escaped_bar_in_a_table_is_a_pipe():
    assert only("| Command | Output |\n|---|---|\n| `echo 7 \\| tool` | VII |").stdin == "7\n"


def test_a_table_of_options_holds_no_examples():
    body = "| Option | Meaning |\n|---|---|\n| `-n` | count |\n\n- `tool 1` prints `one`."
    assert [c.args for c in checks(body)] == [["1"]]


def test_the_same_example_stated_twice_is_one_check():
    body = "- `tool 1` prints `one`.\n\n## Examples\n\n```console\n$ tool 1\none\n```"
    assert only(body).line is not None


def test_an_input_column_is_arguments_when_the_readme_never_speaks_of_standard_input():
    assert expected(only("| Input | Output |\n|---|---|\n| 1994 | MCMXCIV |")) == (["1994"], None, "MCMXCIV\n", 0, None)


def test_an_input_column_is_standard_input_when_the_readme_reads_it():
    body = "It counts the words on standard input.\n\n| Input | Output |\n|---|---|\n| a b | 2 |"
    assert expected(only(body)) == ([], "a b\n", "2\n", 0, None)


def test_an_input_cell_holding_a_command_is_the_command():
    assert only("| Input | Output |\n|---|---|\n| `tool 4` | IV |").args == ["4"]


def test_only_a_list_of_spans_right_before_on_separate_lines_is_joined():
    first, second = checks("`tool 1` prints `x`, and `tool 2` prints `a`, `b` and `c` on separate lines.")
    assert (first.expected_stdout, second.expected_stdout) == ("x\n", "a\nb\nc\n")
