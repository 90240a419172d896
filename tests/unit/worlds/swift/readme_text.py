"""Building small READMEs for the readme reader's tests."""

from __future__ import annotations

import textwrap

from neuronaut.worlds.swift.spec import AcceptanceCheck, parse_spec


def readme(body: str, title: str = "# tool", header: str = "") -> str:
    return f"{title}\n\n{header}Does things.\n\n{textwrap.dedent(body).strip()}\n"


def checks(body: str, **kwargs: str) -> list[AcceptanceCheck]:
    return parse_spec(readme(body, **kwargs)).checks


def only(body: str, **kwargs: str) -> AcceptanceCheck:
    (check,) = checks(body, **kwargs)
    return check


def expected(check: AcceptanceCheck) -> tuple:
    return check.args, check.stdin, check.expected_stdout, check.expected_exit, check.expected_stderr
