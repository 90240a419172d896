"""A README in the usual GitHub style (badges, install steps, an options table, examples, exit codes, licence),
written for a CLI that is not one of the bundled specs, gives the checks a reader would expect."""

from __future__ import annotations

from pathlib import Path

from neuronaut.worlds.swift.spec import load_spec

SLUGIFY = Path(__file__).parents[4] / "tests" / "fixtures" / "swift_readmes" / "slugify" / "README.md"


def test_the_real_world_readme_gives_sensible_checks():
    spec = load_spec(SLUGIFY)
    assert (spec.package, spec.executable) == ("slugify", "slugify")
    assert spec.description.startswith("Turn any title into a clean, URL-friendly slug")
    found = [(c.args, c.stdin, c.expected_stdout, c.expected_exit, c.expected_stderr) for c in spec.checks]
    assert found == [
        (["Hello, World!"], None, "hello-world\n", 0, None),
        (["--separator", "_", "Swift", "is", "Fun"], None, "swift_is_fun\n", 0, None),
        ([], "  Many   spaces  \n", "many-spaces\n", 0, None),
        ([], "First Post\nSwift & Friends\n", "first-post\nswift-friends\n", 0, None),
        ([""], None, "", 1, "error: nothing to slugify"),
        (["--shout", "hi"], None, "", 2, "error: unknown option"),
    ]


def test_install_steps_the_synopsis_and_the_options_table_are_not_examples():
    commands = [check.command for check in load_spec(SLUGIFY).checks]
    assert not any(word in command for command in commands for word in ("git", "build", "SEP", "--help"))
