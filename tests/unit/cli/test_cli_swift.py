"""`neuronaut swift checks`: a README's checks with their lines, as text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from neuronaut.cli import main

README = "# roman\n\n## Usage\n\n```\nroman 4   # prints IV\nroman 0   # exits with status 1\n```\n"


def test_checks_lists_each_check_with_its_line(tmp_path: Path, capsys):
    (tmp_path / "README.md").write_text(README)
    assert main(["swift", "checks", str(tmp_path / "README.md")]) == 0
    out = capsys.readouterr().out
    assert "package roman, executable roman, 2 checks" in out
    assert "line 6  usage      $ roman 4" in out and "line 7  usage      $ roman 0" in out


def test_checks_json_gives_the_checks_structure(tmp_path: Path, capsys):
    (tmp_path / "README.md").write_text(README)
    assert main(["swift", "checks", str(tmp_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["executable"] == "roman"
    assert [(c["args"], c["expected_stdout"], c["expected_exit"], c["line"]) for c in data["checks"]] == [
        (["4"], "IV\n", 0, 6), (["0"], "", 1, 7)]


def test_a_bad_readme_is_one_error_line_and_exit_2(tmp_path: Path, capsys):
    (tmp_path / "README.md").write_text("")
    assert main(["swift", "checks", str(tmp_path / "README.md")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.endswith("README.md: the README is empty: describe the program and show "
                                                 "examples of running it")


def test_a_missing_cases_file_is_an_error(tmp_path: Path, capsys):
    (tmp_path / "README.md").write_text(README)
    assert main(["swift", "checks", str(tmp_path / "README.md"), "--cases", str(tmp_path / "nope.tsv")]) == 2
    assert "no cases file at" in capsys.readouterr().err
