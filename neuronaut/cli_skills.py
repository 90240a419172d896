"""`neuronaut skills list | show | export | import`: the skill library from the terminal.

Problems a person must fix (an unknown skill, an unreadable or malformed
archive, an unwritable target) are raised as ``UserError``: the CLI prints them
as one line and exits 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neuronaut.errors import UserError

if TYPE_CHECKING:
    from neuronaut.skills.library import SkillLibrary
    from neuronaut.skills.model import Skill


def add_parser(sub: Any) -> None:
    skills = sub.add_parser("skills", help="the skill library: list, show, export, import")
    skills.set_defaults(handler=_cmd_help, skills_parser=skills)
    actions = skills.add_subparsers(dest="skills_action")

    listing = actions.add_parser("list", help="every skill with its status, version and record")
    listing.add_argument("--world", default=None)
    listing.set_defaults(handler=cmd_list)

    show = actions.add_parser("show", help="one skill: metadata, record, versions and steps")
    show.add_argument("name", help="NAME or WORLD/NAME")
    show.add_argument("--world", default=None)
    show.add_argument("--json", action="store_true", help="print the skill file as JSON")
    show.set_defaults(handler=cmd_show)

    export = actions.add_parser("export", help="write skills to a .zip / .tar.gz archive or a directory")
    export.add_argument("names", nargs="*", metavar="NAME", help="skills to export (default: all)")
    export.add_argument("--world", default=None, help="only this world's skills")
    export.add_argument("-o", "--output", required=True, metavar="FILE_OR_DIR",
                        help="an archive name ending in .zip or .tar.gz, or a directory")
    export.set_defaults(handler=cmd_export)

    imp = actions.add_parser("import", help="add skills from an archive or directory made by export")
    imp.add_argument("source", metavar="FILE_OR_DIR")
    imp.add_argument("--force", action="store_true",
                     help="also import skills whose local version differs and is newer (kept in history)")
    imp.set_defaults(handler=cmd_import)


def _cmd_help(args: argparse.Namespace, settings: Any) -> int:
    args.skills_parser.print_help(sys.stderr)
    return 2


@contextmanager
def open_library(settings: Any) -> Iterator[SkillLibrary]:
    """The home's skill library; opening it re-indexes if the embedding model changed."""
    from neuronaut.memory.embeddings import load_embeddings
    from neuronaut.skills.library import SkillLibrary

    settings.apply_process_environment()
    embeddings = load_embeddings(settings.embedding_model)
    shared = {"chroma_url": settings.chroma_url} if getattr(settings, "chroma_url", "") else {}
    try:
        library = SkillLibrary(settings.skills_dir, settings.memory_dir / "skills-index", embeddings, **shared)
    except OSError as exc:
        raise UserError(f"cannot open the skill library in {settings.skills_dir}: {exc.strerror or exc}") from None
    try:
        yield library
    finally:
        library.close()


def cmd_list(args: argparse.Namespace, settings: Any) -> int:
    with open_library(settings) as library:
        skills = library.list(world=args.world)
    if not skills:
        where = f" for world {args.world!r}" if args.world else ""
        print(f"no skills{where} in {settings.skills_dir}")
        return 0
    rows = [("WORLD", "NAME", "VER", "STATUS", "OK", "FAIL", "KIND", "DESCRIPTION")]
    rows += [(s.world, s.name, f"v{s.version}", status(s), str(s.stats.successes), str(s.stats.failures), s.kind,
              _one_line(s.description, 70)) for s in skills]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.rjust(w) if i in (4, 5) else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths))]
        print("  ".join(cells + [row[-1]]).rstrip())
    return 0


def cmd_show(args: argparse.Namespace, settings: Any) -> int:
    from neuronaut.skills.transfer import find_skill

    with open_library(settings) as library:
        skill = find_skill(library, args.name, args.world)
    if args.json:
        print(json.dumps(skill.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        print(describe(skill))
    return 0


def describe(skill: Skill) -> str:
    """A person's view of one skill file."""
    lines = [
        f"{skill.key}  v{skill.version}  {status(skill)}  ({skill.kind})",
        f"description  {skill.description or '—'}",
        f"goal         {skill.goal or '—'}",
        f"call as      skill:{skill.signature()}",
        f"record       {skill.stats.successes} ok / {skill.stats.failures} failed",
        f"created      {skill.created}",
        f"updated      {skill.updated}",
    ]
    if skill.parameters:
        lines.append("parameters")
        for name, param in skill.parameters.items():
            default = f" = {param.default!r}" if param.default is not None else ""
            text = f" — {param.description}" if param.description else ""
            lines.append(f"  {name}: {param.type}{default}{text}")
    else:
        lines.append("parameters   none")
    lines.append("versions")
    for old in skill.history:
        lines.append(f"  v{old.version}  {old.updated}  {old.successes} ok / {old.failures} failed  {old.steps}")
    lines.append(f"  v{skill.version}  {skill.updated}  current")
    lines.append("steps")
    lines += [f"  {n}. {step.describe()}" for n, step in enumerate(skill.steps, 1)]
    return "\n".join(lines)


def cmd_export(args: argparse.Namespace, settings: Any) -> int:
    from neuronaut.skills.transfer import export_skills

    with open_library(settings) as library:
        try:
            report = export_skills(library, Path(args.output), world=args.world, names=args.names)
        except OSError as exc:
            raise UserError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    print(f"exported {len(report.skills)} skill(s), {report.files} file(s), to {report.target}")
    for key in report.skills:
        print(f"  {key}")
    return 0


def cmd_import(args: argparse.Namespace, settings: Any) -> int:
    from neuronaut.skills.transfer import import_skills

    source = Path(args.source)
    if not source.exists():
        raise UserError(f"{source} does not exist: give a skill archive (.zip, .tar.gz) or a directory")
    with open_library(settings) as library:
        try:
            report = import_skills(library, source, force=args.force)
        except OSError as exc:
            raise UserError(f"cannot import {source}: {exc.strerror or exc}") from None
        versions = {s.key: s.version for s in library.list()}
    for key in report.added:
        print(f"added    {key} v{versions.get(key, '?')}")
    for key in report.updated:
        print(f"updated  {key} → v{versions.get(key, '?')} (the previous version is kept in history)")
    for key, why in report.skipped:
        print(f"skipped  {key}: {why}")
    if report.ignored:
        print(f"ignored  {len(report.ignored)} file(s) that are not skills: {', '.join(report.ignored[:5])}")
    print(f"imported from {source}: {len(report.added)} added, {len(report.updated)} updated, "
          f"{len(report.skipped)} skipped")
    return 0


def status(skill: Skill) -> str:
    return "demoted" if skill.demoted else "active"


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
