"""`neuronaut swift checks README.md [--json] [--cases FILE]`: the acceptance checks a README gives.

Shows every check with the README line it came from, so a person can see
what a run will be held to and correct it with a cases file (format in
``neuronaut.worlds.swift.readme.overrides``). A README the reader cannot
use is a ``UserError``: one line naming the problem, exit 2.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from neuronaut.errors import UserError


def add_parser(sub: Any) -> None:
    swift = sub.add_parser("swift", help="the Swift world's READMEs: the checks a README gives")
    swift.set_defaults(handler=_cmd_help, swift_parser=swift)
    actions = swift.add_subparsers(dest="swift_action")
    checks = actions.add_parser("checks", help="the acceptance checks found in a README, with their lines")
    checks.add_argument("readme", help="a README.md, a folder holding one, or a bundled spec's name")
    checks.add_argument("--json", action="store_true", help="print the package, executable and checks as JSON")
    checks.add_argument("--cases", default=None, metavar="FILE",
                        help="a TSV or JSON file of checks that add to or replace the README's")
    checks.set_defaults(handler=cmd_checks)


def _cmd_help(args: argparse.Namespace, settings: Any) -> int:
    args.swift_parser.print_help()
    return 2


def cmd_checks(args: argparse.Namespace, settings: Any) -> int:
    from neuronaut.worlds.swift.spec import load_spec
    from neuronaut.worlds.swift.world import resolve_spec

    path = resolve_spec(args.readme)
    cases = Path(args.cases).expanduser() if args.cases else None
    if cases is not None and not cases.is_file():
        raise UserError(f"no cases file at {cases}")
    spec = load_spec(path, cases)
    if args.json:
        print(json.dumps(checks_json(spec), ensure_ascii=False, indent=2))
        return 0
    print(f"{path}: package {spec.package}, executable {spec.executable}, {len(spec.checks)} checks")
    for check in spec.checks:
        where = f"line {check.line}" if check.line else "added"
        print(f"{where:>9}  {check.source:<10} $ {check.command}")
        for label, value in _expectations(check):
            print(f"{'':>22}{label:<16}{value}")
    return 0


def checks_json(spec: Any) -> dict[str, Any]:
    return {
        "package": spec.package,
        "executable": spec.executable,
        "checks": [check.model_dump() for check in spec.checks],
    }


def _expectations(check: Any) -> list[tuple[str, str]]:
    shown = []
    if check.stdin is not None:
        shown.append(("stdin", repr(check.stdin)))
    shown.append(("stdout", repr(check.expected_stdout)))
    shown.append(("exit status", str(check.expected_exit)))
    if check.expected_stderr:
        shown.append(("stderr contains", repr(check.expected_stderr)))
    return shown
