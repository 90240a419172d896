"""The skill library: JSON files are the single source of truth, the Chroma index is derived.

Layout under ``root``::

    <world>/<name>.json                 the current version of a skill
    <world>/.history/<name>.v<N>.json   superseded versions, kept

The index (under ``index_dir``) is rebuilt from the files whenever it can't be
trusted: a different embedding model, or a count that differs from the files
(deleted index, files copied in by hand).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from langchain_core.embeddings import Embeddings
from pydantic import ValidationError

from neuronaut.errors import UserError
from neuronaut.memory.embeddings import embedding_identity
from neuronaut.memory.index import (
    IndexManifest,
    add_records,
    atomic_write_text,
    collection_name,
    drop_collection,
    open_client,
    open_store,
    raw_collection,
    read_manifest,
    similarity_search,
    where_all,
    write_manifest,
)
from neuronaut.skills.archive import read_archive, write_archive
from neuronaut.skills.model import SLUG, WORLD, Skill, SkillStats, now_iso

log = logging.getLogger(__name__)

HISTORY_DIR = ".history"
DEMOTE_AFTER_RUNS = 3
DEMOTE_MARGIN = 3  # failures minus successes
MANIFEST = "skills.manifest.json"
_HISTORY_FILE = re.compile(r"^(?P<name>[a-z0-9][a-z0-9-]*)\.v(?P<version>\d+)\.json$")


class SkillLibrary:
    def __init__(self, root: Path, index_dir: Path, embeddings: Embeddings) -> None:
        self.root = Path(root)
        self.index_dir = Path(index_dir)
        self._embeddings = embeddings
        self.model_name, self.dimension = embedding_identity(embeddings)
        self.root.mkdir(parents=True, exist_ok=True)
        self._client = open_client(self.index_dir / "chroma")
        self.manifest_path = self.index_dir / MANIFEST
        self._collection = collection_name("skills", self.model_name, self.dimension)
        self._store = open_store(self._client, self._collection, embeddings)
        self._ensure_index()

    def close(self) -> None:
        """Release the index's files; the instance is unusable afterwards."""
        self._client.close()

    def __enter__(self) -> SkillLibrary:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- files -----------------------------------------------------------------------

    def get(self, world: str, name: str) -> Skill | None:
        if not (WORLD.match(world) and SLUG.match(name)):
            return None  # not a valid skill address, so no such file can exist
        return self._load(self._path(world, name))

    def list(self, world: str | None = None) -> list[Skill]:
        pattern = f"{world}/*.json" if world else "*/*.json"
        if world and not WORLD.match(world):
            return []
        paths = (p for p in sorted(self.root.glob(pattern)) if _classify(self._relative(p)) == "current")
        skills = (self._load(path) for path in paths)
        return [skill for skill in skills if skill is not None]

    def save(self, skill: Skill) -> Skill:
        """Store ``skill``; new steps under an existing name make a new version and keep the old one."""
        existing = self.get(skill.world, skill.name)
        stamp = now_iso()
        if existing is None:
            saved = skill.model_copy(update={"updated": stamp})
        elif existing.same_steps(skill):
            # Same behaviour, new wording: its track record and version still apply.
            keep = ("version", "stats", "history", "created", "demoted")
            saved = skill.model_copy(update={**{f: getattr(existing, f) for f in keep}, "updated": stamp})
        else:
            self._archive(existing)
            saved = skill.model_copy(update={
                "version": existing.version + 1, "stats": SkillStats(), "demoted": False,
                "history": [*existing.history, existing.version_summary()],
                "created": existing.created, "updated": stamp,
            })
            log.info("skill %s: version %d replaces %d", saved.key, saved.version, existing.version)
        self._write(saved)
        return saved

    def record_result(self, world: str, name: str, ok: bool) -> Skill:
        """Count one run; a skill failing far more often than it succeeds is demoted (or restored)."""
        skill = self.get(world, name)
        if skill is None:
            raise KeyError(f"no skill {world}/{name}")
        stats = SkillStats(successes=skill.stats.successes + int(ok), failures=skill.stats.failures + int(not ok))
        demoted = stats.runs >= DEMOTE_AFTER_RUNS and stats.failures - stats.successes >= DEMOTE_MARGIN
        if demoted and not skill.demoted:
            log.info("skill %s demoted after %d failures in %d runs", skill.key, stats.failures, stats.runs)
        updated = skill.model_copy(update={"stats": stats, "demoted": demoted})
        self._write(updated)
        return updated

    def ensure_starters(self, skills: Iterable[Skill]) -> list[str]:
        """Save each starter skill not yet present (an edited or relearned one is left alone)."""
        added = []
        for skill in skills:
            if self.get(skill.world, skill.name) is None:
                added.append(self.save(skill).key)
        return added

    # -- search ----------------------------------------------------------------------

    def search(self, query: str, *, world: str, k: int = 3) -> list[Skill]:
        """The ``k`` skills of ``world`` closest in meaning to ``query``, demoted ones left out."""
        pairs = similarity_search(self._store, query, k, where_all(world=world, demoted=False))
        found = []
        for doc, _score in pairs:
            skill = self.get(world, str(doc.metadata.get("name", "")))
            if skill is not None and not skill.demoted:  # the file, not the index, has the last word
                found.append(skill)
        return found

    def rebuild_index(self) -> int:
        """Drop the index and rebuild it from the files; returns the number of skills indexed."""
        manifest = read_manifest(self.manifest_path)
        old = set(manifest.collections.values()) if manifest else set()
        for name in old | {self._collection}:
            drop_collection(self._client, name)
        self._store = open_store(self._client, self._collection, self._embeddings)
        skills = self.list()
        add_records(self._store, [_record(skill) for skill in skills])
        manifest = IndexManifest(self.model_name, self.dimension, {"skills": self._collection})
        write_manifest(self.manifest_path, manifest)
        log.info("skill index rebuilt: %d skills with %s", len(skills), self.model_name)
        return len(skills)

    def index_count(self) -> int:
        collection = raw_collection(self._client, self._collection)
        return collection.count() if collection is not None else 0

    def _ensure_index(self) -> None:
        manifest = read_manifest(self.manifest_path)
        if manifest is None or not manifest.matches(self.model_name, self.dimension):
            self.rebuild_index()
        elif self.index_count() != len(self.list()):
            self.rebuild_index()

    # -- export / import -------------------------------------------------------------

    def export(self, path: Path) -> Path:
        """All skill files (with their history) as a .zip or .tar.gz at ``path``."""
        files = [
            (self._relative(file).as_posix(), file)
            for file in sorted(self.root.rglob("*.json"))
            if _classify(self._relative(file)) is not None
        ]
        return write_archive(Path(path), files)

    def import_(self, path: Path) -> list[str]:
        """Import an archive made by ``export``; returns the ``world/name`` of each skill imported.

        Everything is validated before anything is written. A skill that already
        exists goes through ``save`` (so different steps become a new version).
        """
        skills, history = _parse_members(read_archive(Path(path)), Path(path))
        for relative, data in history:
            target = self.root / relative
            if not target.exists():
                atomic_write_text(target, data)
        imported = []
        for skill in skills:
            if self.get(skill.world, skill.name) is None:
                self._write(skill)
            else:
                self.save(skill)
            imported.append(skill.key)
        return imported

    # -- internals -------------------------------------------------------------------

    def _relative(self, path: Path) -> PurePosixPath:
        return PurePosixPath(path.relative_to(self.root).as_posix())

    def _path(self, world: str, name: str) -> Path:
        return self.root / world / f"{name}.json"

    def _load(self, path: Path) -> Skill | None:
        if not path.is_file():
            return None
        try:
            return Skill.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValidationError) as exc:
            # One broken hand-edited file must not take the whole library down.
            log.warning("ignoring unreadable skill file %s: %s", path, exc)
            return None

    def _write(self, skill: Skill) -> None:
        atomic_write_text(self._path(skill.world, skill.name), _to_json(skill))
        self._store.add_texts([skill.index_text()], metadatas=[_metadata(skill)], ids=[skill.key])

    def _archive(self, skill: Skill) -> None:
        target = self.root / skill.world / HISTORY_DIR / f"{skill.name}.v{skill.version}.json"
        atomic_write_text(target, _to_json(skill))


def _to_json(skill: Skill) -> str:
    return json.dumps(skill.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def _metadata(skill: Skill) -> dict[str, Any]:
    return {"world": skill.world, "name": skill.name, "version": skill.version,
            "demoted": skill.demoted, "kind": skill.kind}


def _record(skill: Skill) -> tuple[str, str, dict[str, Any]]:
    return skill.key, skill.index_text(), _metadata(skill)


def _classify(relative: PurePosixPath) -> str | None:
    """"current" for ``<world>/<name>.json``, "history" for ``<world>/.history/<name>.v<N>.json``."""
    parts = relative.parts
    if not parts or not WORLD.match(parts[0]) or relative.suffix != ".json":
        return None
    if len(parts) == 2 and SLUG.match(relative.stem):
        return "current"
    if len(parts) == 3 and parts[1] == HISTORY_DIR and _HISTORY_FILE.match(parts[2]):
        return "history"
    return None


def _parse_members(
    members: list[tuple[PurePosixPath, bytes]], archive: Path
) -> tuple[list[Skill], list[tuple[PurePosixPath, str]]]:
    """Split archive members into current skills and history files, validating each."""
    skills: list[Skill] = []
    history: list[tuple[PurePosixPath, str]] = []
    for relative, data in members:
        kind = _classify(relative)
        if kind is None:
            log.warning("skipping %s in %s: not a skill file", relative, archive.name)
            continue
        skill = _parse_skill(relative, data, archive)
        expected = relative.stem if kind == "current" else relative.name.rsplit(".v", 1)[0]
        if skill.world != relative.parts[0] or skill.name != expected:
            raise UserError(f"refusing skill archive {archive.name}: {relative} holds skill {skill.key}")
        if kind == "current":
            skills.append(skill)
        else:
            history.append((relative, data.decode("utf-8")))
    return skills, history


def _parse_skill(relative: PurePosixPath, data: bytes, archive: Path) -> Skill:
    try:
        return Skill.model_validate_json(data)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(map(str, problem["loc"]))
        raise UserError(
            f"refusing skill archive {archive.name}: {relative} is not a valid skill ({where}: {problem['msg']})"
        ) from None
