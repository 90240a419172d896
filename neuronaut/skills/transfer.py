"""Moving skills between homes: export a selection, import with a report.

Export writes the chosen skills (current file and kept versions) as a ``.zip`` /
``.tar.gz`` archive or as a plain directory in the library's own layout.

Import reads an archive or such a directory, validates every member before
anything is written, then decides per skill:

- not here yet → **added**, with the versions it brought along;
- the same steps as here, or steps the local skill has already superseded →
  **skipped** (the local version is never replaced by an older one);
- a descendant of the local skill (its history holds the local steps), or a higher
  version → **updated**: a new local version, the old one kept in ``.history/``;
- diverged with a local version as new or newer → **skipped** unless ``force``.

The chosen members go through ``SkillLibrary.import_``, which writes the files
and re-indexes them, so the library's own rules (and locks) apply.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from neuronaut.errors import UserError
from neuronaut.fs import atomic_write_text
from neuronaut.skills.archive import MAX_MEMBER_BYTES, MAX_MEMBERS, archive_format, read_archive, write_archive
from neuronaut.skills.layout import HISTORY_DIR, LOCKS_DIR, classify, parse_members
from neuronaut.skills.library import SkillLibrary
from neuronaut.skills.model import Skill

ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz")


@dataclass
class ExportReport:
    target: Path
    skills: list[str]
    files: int


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (world/name, why)
    ignored: list[str] = field(default_factory=list)  # members that are not skill files


# -- lookup ---------------------------------------------------------------------------


def find_skill(library: SkillLibrary, name: str, world: str | None = None) -> Skill:
    """The skill called ``name`` (``world/name`` or a bare name, narrowed by ``world``)."""
    if "/" in name:
        world, name = name.split("/", 1)
    matches = [s for s in library.list(world=world) if s.name == name]
    where = f" in world {world!r}" if world else ""
    if not matches:
        raise UserError(f"no skill named {name!r}{where} (see: neuronaut skills list)")
    if len(matches) > 1:
        worlds = ", ".join(s.world for s in matches)
        raise UserError(f"skill {name!r} exists in several worlds ({worlds}): give WORLD/{name} or --world")
    return matches[0]


def select(library: SkillLibrary, world: str | None, names: list[str]) -> list[Skill]:
    if not names:
        skills = library.list(world=world)
        if not skills:
            raise UserError(f"no skills to export{f' in world {world!r}' if world else ''} in {library.root}")
        return skills
    chosen: dict[str, Skill] = {}
    for name in names:
        skill = find_skill(library, name, world)
        chosen[skill.key] = skill
    return list(chosen.values())


# -- export ---------------------------------------------------------------------------


def export_skills(library: SkillLibrary, target: Path, *, world: str | None = None,
                  names: list[str] | None = None) -> ExportReport:
    """Write the selected skills (all by default) to an archive or a directory at ``target``."""
    target = Path(target)
    skills = select(library, world, list(names or []))
    as_archive = target.name.lower().endswith(ARCHIVE_SUFFIXES)
    if not as_archive and not target.is_dir() and target.suffix:
        archive_format(target)  # "x.json", "x.rar": refused with the archive's own message
    if as_archive and not names and world is None:
        library.export(target)  # the whole library: the library's own export
        files = [p for p in library.root.rglob("*.json") if classify(_relative(library.root, p)) is not None]
        return ExportReport(target, [s.key for s in skills], len(files))
    files = _files_of(library, skills)
    if as_archive:
        write_archive(target, [(relative.as_posix(), path) for relative, path in files])
    else:
        for relative, path in files:
            atomic_write_text(target / relative, path.read_text(encoding="utf-8"))
    return ExportReport(target, [s.key for s in skills], len(files))


def _files_of(library: SkillLibrary, skills: list[Skill]) -> list[tuple[PurePosixPath, Path]]:
    files = []
    for skill in skills:
        current = PurePosixPath(skill.world, f"{skill.name}.json")
        files.append((current, library.root / current))
        for old in sorted((library.root / skill.world / HISTORY_DIR).glob(f"{skill.name}.v*.json")):
            relative = _relative(library.root, old)
            if classify(relative) == "history" and relative.name.rsplit(".v", 1)[0] == skill.name:
                files.append((relative, old))
    return files


# -- import ---------------------------------------------------------------------------


def import_skills(library: SkillLibrary, source: Path, *, force: bool = False) -> ImportReport:
    """Import an archive or directory made by ``export_skills``; nothing is written if any member is invalid."""
    source = Path(source)
    members = read_directory(source) if source.is_dir() else read_archive(source)
    report = ImportReport()
    wanted = []
    for relative, data in members:
        if classify(relative) is None:
            report.ignored.append(relative.as_posix())
        else:
            wanted.append((relative, data))
    skills, _history = parse_members(wanted, source)  # raises before anything is written
    keep: set[str] = set()
    for skill in skills:
        verdict, why = decide(library.get(skill.world, skill.name), skill, force=force)
        if verdict == "skip":
            report.skipped.append((skill.key, why))
            continue
        keep.add(skill.key)
        (report.added if verdict == "add" else report.updated).append(skill.key)
    # History travels only with a skill that is new here: an update keeps the local lineage.
    chosen = [(rel, data) for rel, data in wanted if _owner(rel) in keep
              and (classify(rel) == "current" or _owner(rel) in report.added)]
    if chosen:
        _apply(library, chosen)
    return report


def decide(local: Skill | None, incoming: Skill, *, force: bool = False) -> tuple[str, str]:
    """("add" | "update" | "skip", why) for ``incoming`` against the local skill of the same name."""
    if local is None:
        return "add", "new"
    if local.same_steps(incoming):
        return "skip", f"already here (v{local.version})"
    if incoming.steps_text() in {old.steps for old in local.history}:
        return "skip", f"the local v{local.version} already supersedes it"
    if local.steps_text() in {old.steps for old in incoming.history}:
        return "update", f"a newer version of the local v{local.version}"
    if incoming.version > local.version:
        return "update", f"v{incoming.version} is newer than the local v{local.version}"
    if force:
        return "update", "forced"
    return "skip", (f"the local v{local.version} differs and is not older than the imported v{incoming.version} "
                    "(--force imports it as a new version; the local one is kept in history)")


def read_directory(source: Path) -> list[tuple[PurePosixPath, bytes]]:
    """Every file under ``source`` (lock files aside) as (relative path, bytes); links are refused as in an archive."""
    out: list[tuple[PurePosixPath, bytes]] = []
    for path in sorted(source.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            continue
        relative = _relative(source, path)
        if relative.parts[0] == LOCKS_DIR:
            continue  # a library's lock files, when its skills directory itself is imported
        if path.is_symlink() or not path.is_file():
            raise UserError(f"refusing skill directory {source}: {relative} is not a regular file")
        if len(out) >= MAX_MEMBERS:
            raise UserError(f"refusing skill directory {source}: more than {MAX_MEMBERS} files")
        if path.stat().st_size > MAX_MEMBER_BYTES:
            raise UserError(f"refusing skill directory {source}: {relative} is larger than {MAX_MEMBER_BYTES} bytes")
        try:
            out.append((relative, path.read_bytes()))
        except OSError as exc:
            raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    return out


def _apply(library: SkillLibrary, members: list[tuple[PurePosixPath, bytes]]) -> None:
    """Hand the chosen members to the library's own import, as the archive it expects."""
    with tempfile.TemporaryDirectory(prefix="neuronaut-import-") as scratch:
        archive = Path(scratch) / "chosen.zip"
        for relative, data in members:
            (Path(scratch) / "files" / relative).parent.mkdir(parents=True, exist_ok=True)
            (Path(scratch) / "files" / relative).write_bytes(data)
        write_archive(archive, [(rel.as_posix(), Path(scratch) / "files" / rel) for rel, _ in members])
        library.import_(archive)


def _owner(relative: PurePosixPath) -> str:
    """``world/name`` of the skill a current or history member belongs to."""
    name = relative.stem if classify(relative) == "current" else relative.name.rsplit(".v", 1)[0]
    return f"{relative.parts[0]}/{name}"


def _relative(root: Path, path: Path) -> PurePosixPath:
    return PurePosixPath(path.relative_to(root).as_posix())
