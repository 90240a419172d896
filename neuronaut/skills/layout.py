"""Where each file of a skill library lives, and which archive members are skill files.

Layout under the library's root::

    <world>/<name>.json                 the current version of a skill
    <world>/.history/<name>.v<N>.json   superseded versions, kept
    .locks/<world>/<name>.lock          the lock held while a skill is read, changed and indexed
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from neuronaut.errors import UserError
from neuronaut.skills.model import SLUG, WORLD, Skill

log = logging.getLogger(__name__)

HISTORY_DIR = ".history"
LOCKS_DIR = ".locks"
_HISTORY_FILE = re.compile(r"^(?P<name>[a-z0-9][a-z0-9-]*)\.v(?P<version>\d+)\.json$")


def to_json(skill: Skill) -> str:
    return json.dumps(skill.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def classify(relative: PurePosixPath) -> str | None:
    """"current" for ``<world>/<name>.json``, "history" for ``<world>/.history/<name>.v<N>.json``."""
    parts = relative.parts
    if not parts or not WORLD.match(parts[0]) or relative.suffix != ".json":
        return None
    if len(parts) == 2 and SLUG.match(relative.stem):
        return "current"
    if len(parts) == 3 and parts[1] == HISTORY_DIR and _HISTORY_FILE.match(parts[2]):
        return "history"
    return None


def read_skills(root: Path, world: str | None = None) -> list[Skill]:
    """The current version of every skill under ``root`` (of one ``world``), read from its file."""
    if world and not WORLD.match(world):
        return []
    paths = sorted(root.glob(f"{world}/*.json" if world else "*/*.json"))
    found = (load_skill(p) for p in paths if classify(PurePosixPath(p.relative_to(root).as_posix())) == "current")
    return [skill for skill in found if skill is not None]


def load_skill(path: Path) -> Skill | None:
    if not path.is_file():
        return None
    try:
        return Skill.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as exc:
        # One broken hand-edited file must not take the whole library down.
        log.warning("ignoring unreadable skill file %s: %s", path, exc)
        return None


def parse_members(
    members: list[tuple[PurePosixPath, bytes]], archive: Path
) -> tuple[list[Skill], list[tuple[PurePosixPath, str]]]:
    """Split archive members into current skills and history files, validating each."""
    skills: list[Skill] = []
    history: list[tuple[PurePosixPath, str]] = []
    for relative, data in members:
        kind = classify(relative)
        if kind is None:
            log.warning("skipping %s in %s: not a skill file", relative, archive.name)
            continue
        skill = parse_skill(relative, data, archive)
        expected = relative.stem if kind == "current" else relative.name.rsplit(".v", 1)[0]
        if skill.world != relative.parts[0] or skill.name != expected:
            raise UserError(f"refusing skill archive {archive.name}: {relative} holds skill {skill.key}")
        if kind == "current":
            skills.append(skill)
        else:
            history.append((relative, data.decode("utf-8")))
    return skills, history


def parse_skill(relative: PurePosixPath, data: bytes, archive: Path) -> Skill:
    try:
        return Skill.model_validate_json(data)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(map(str, problem["loc"]))
        raise UserError(
            f"refusing skill archive {archive.name}: {relative} is not a valid skill ({where}: {problem['msg']})"
        ) from None
