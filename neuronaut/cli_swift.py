"""`neuronaut swift checks README.md [--json] [--cases FILE]`: the acceptance checks a README gives.

Shows every check with the README line it came from, so a person can see
what a run will be held to and correct it with a cases file (format in
``neuronaut.worlds.swift.readme.overrides``), and the sentences that seem to
state a run but were not read. ``--model`` asks a model to read those
(``neuronaut.worlds.swift.readme.leftovers``). A README the reader cannot
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
    checks.add_argument("--model", default=None,
                        help="also ask this model (a preset or .gguf) for examples in the sentences not read; "
                             "only answers found word for word in their sentence are kept")
    checks.set_defaults(handler=cmd_checks)


def _cmd_help(args: argparse.Namespace, settings: Any) -> int:
    args.swift_parser.print_help()
    return 2


def cmd_checks(args: argparse.Namespace, settings: Any) -> int:
    from neuronaut.worlds.swift.readme.leftovers import find_leftovers
    from neuronaut.worlds.swift.spec import load_spec, read_readme_text
    from neuronaut.worlds.swift.world import resolve_spec

    path = resolve_spec(args.readme)
    cases = Path(args.cases).expanduser() if args.cases else None
    if cases is not None and not cases.is_file():
        raise UserError(f"no cases file at {cases}")
    spec = load_spec(path, cases)
    readme_text = read_readme_text(path)
    leftovers = find_leftovers(readme_text, spec.executable, {c.line for c in spec.checks if c.line})
    rejected: list[Any] = []
    if args.model and leftovers:
        spec, leftovers, rejected = _read_with_model(spec, readme_text, leftovers, args.model, settings)
    if args.json:
        data = checks_json(spec)
        data["not_read"] = [{"line": item.line, "text": item.text} for item in leftovers]
        data["rejected"] = [{"line": item.line, "reason": item.message} for item in rejected]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"{path}: package {spec.package}, executable {spec.executable}, {len(spec.checks)} checks")
    for check in spec.checks:
        where = f"line {check.line}" if check.line else "added"
        print(f"{where:>9}  {check.source:<10} $ {check.command}")
        for label, value in _expectations(check):
            print(f"{'':>22}{label:<16}{value}")
    for problem in rejected:
        print(f"model reading rejected, {problem}")
    for item in leftovers:
        print(f"not read, line {item.line}: {item.text}")
    if leftovers and not args.model:
        print("(add what these state with --cases FILE, or let a model try with --model NAME)")
    return 0


def checks_json(spec: Any) -> dict[str, Any]:
    return {
        "package": spec.package,
        "executable": spec.executable,
        "checks": [check.model_dump() for check in spec.checks],
    }


def _read_with_model(spec: Any, readme_text: str, leftovers: list[Any], model_name: str,
                     settings: Any) -> tuple[Any, list, list]:
    """The spec with the model's grounded readings added (a README check for the same input wins)."""
    import asyncio

    from neuronaut.services import load_decision_model
    from neuronaut.worlds.swift.readme.cases import to_check
    from neuronaut.worlds.swift.readme.files import shown_files
    from neuronaut.worlds.swift.readme.leftovers import read_leftovers
    from neuronaut.worlds.swift.readme.markdown import read_markdown
    from neuronaut.worlds.swift.readme.model_reader import ModelLeftoverReader

    settings.apply_process_environment()
    reader = ModelLeftoverReader(load_decision_model(settings, model_name))
    files = shown_files(read_markdown(readme_text))
    cases, rejected = asyncio.run(read_leftovers(reader, leftovers, spec.executable, files))
    known = {(tuple(check.args), check.stdin) for check in spec.checks}
    added = [to_check(case) for case in cases if case.key not in known]
    read_lines = {case.line for case in cases}
    remaining = [item for item in leftovers if item.line not in read_lines]
    return spec.model_copy(update={"checks": spec.checks + added}), remaining, rejected


def _expectations(check: Any) -> list[tuple[str, str]]:
    shown = []
    if check.stdin is not None:
        shown.append(("stdin", repr(check.stdin)))
    shown.append(("stdout", repr(check.expected_stdout)))
    shown.append(("exit status", str(check.expected_exit)))
    if check.expected_stderr:
        shown.append(("stderr contains", repr(check.expected_stderr)))
    return shown
