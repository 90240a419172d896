"""A cases file adds, replaces and drops a README's checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from neuronaut.errors import UserError
from neuronaut.worlds.swift.spec import load_spec

README = "# roman\n\n## Examples\n\n```console\n$ roman 4\nIV\n$ roman 0\n[exit 1]\n```\n"


@pytest.fixture
def readme(tmp_path: Path) -> Path:
    path = tmp_path / "README.md"
    path.write_text(README)
    return path


def test_a_tsv_case_with_new_input_is_added(readme: Path, tmp_path: Path):
    cases = tmp_path / "cases.tsv"
    cases.write_text("command\tstdout\texit\tstderr\n# more\necho 9 | roman\tIX\\nok\t0\n")
    added = load_spec(readme, cases).checks[-1]
    assert (added.stdin, added.expected_stdout, added.source, added.line) == ("9\n", "IX\nok\n", "cases file", 3)


def test_a_tsv_case_with_the_same_input_replaces_the_readme_check(readme: Path, tmp_path: Path):
    cases = tmp_path / "cases.tsv"
    cases.write_text("roman 0\t\t1\terror: out of range\n")
    checks = load_spec(readme, cases).checks
    assert len(checks) == 2 and checks[1].expected_stderr == "error: out of range"


def test_a_json_case_can_drop_a_readme_check(readme: Path, tmp_path: Path):
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps([{"command": "roman 0", "drop": True}]))
    assert [c.args for c in load_spec(readme, cases).checks] == [["4"]]


def test_a_bad_row_is_refused_naming_the_file_and_line(readme: Path, tmp_path: Path):
    cases = tmp_path / "cases.tsv"
    cases.write_text("roman 5\tV\t0\nother 5\tV\t0\n")
    with pytest.raises(UserError, match=r"cases.tsv:2: does not run roman"):
        load_spec(readme, cases)
