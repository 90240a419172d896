"""The skill library: JSON files are the single source of truth, the Chroma index is derived.

The files' layout under ``root`` is in ``neuronaut.skills.layout``.
The index (under ``index_dir``, or in the shared Chroma server at ``chroma_url``)
is brought in line with the files on opening: rebuilt for a new embedding model,
refreshed where an entry differs from its file (deleted index, files copied in by
hand), and repaired when a search finds an entry whose file is gone.

Several agents (processes) may share one library: every read-modify-write of a
skill (and its index entry) holds that skill's file lock (``.locks/``), so
concurrent saves under one name each become a version and none is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path, PurePosixPath

from langchain_core.embeddings import Embeddings

from neuronaut.fs import atomic_write_text, file_lock
from neuronaut.memory.remote import guarded
from neuronaut.skills.archive import read_archive, write_archive
from neuronaut.skills.layout import HISTORY_DIR, LOCKS_DIR, classify, load_skill, parse_members, read_skills, to_json
from neuronaut.skills.model import SLUG, WORLD, Skill, SkillStats, now_iso
from neuronaut.skills.skill_index import SkillIndex

log = logging.getLogger(__name__)

DEMOTE_AFTER_RUNS = 3
DEMOTE_MARGIN = 3  # failures minus successes


class SkillLibrary:
    def __init__(self, root: Path, index_dir: Path, embeddings: Embeddings, *, chroma_url: str = "") -> None:
        self.root = Path(root)
        self.index_dir = Path(index_dir)
        self.chroma_url = chroma_url
        self.root.mkdir(parents=True, exist_ok=True)
        self._index = self._open_index(embeddings)
        self.model_name, self.dimension = self._index.model_name, self._index.dimension
        self.manifest_path = self._index.manifest_path
        try:
            self._ensure_index()
        except BaseException:
            self._index.close()
            raise

    @guarded
    def _open_index(self, embeddings: Embeddings) -> SkillIndex:
        return SkillIndex(self.index_dir, embeddings, chroma_url=self.chroma_url)

    def close(self) -> None:
        """Release the index (its files, or the connection); the instance is unusable afterwards."""
        self._index.close()

    def __enter__(self) -> SkillLibrary:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- files -----------------------------------------------------------------------

    def get(self, world: str, name: str) -> Skill | None:
        if not (WORLD.match(world) and SLUG.match(name)):
            return None  # not a valid skill address, so no such file can exist
        return load_skill(self._path(world, name))

    def list(self, world: str | None = None) -> list[Skill]:
        return read_skills(self.root, world)

    @guarded
    def save(self, skill: Skill) -> Skill:
        """Store ``skill``; new steps under an existing name make a new version and keep the old one."""
        with self._locked([(skill.world, skill.name)]):
            return self._save(skill)

    def _save(self, skill: Skill) -> Skill:  # the caller holds the skill's lock
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

    @guarded
    def record_result(self, world: str, name: str, ok: bool) -> Skill:
        """Count one run; a skill failing far more often than it succeeds is demoted (or restored)."""
        with self._locked([(world, name)]):
            return self._record_result(world, name, ok)

    def _record_result(self, world: str, name: str, ok: bool) -> Skill:
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

    @guarded
    def ensure_starters(self, skills: Iterable[Skill]) -> list[str]:
        """Save each starter skill not yet present (an edited or relearned one is left alone)."""
        added = []
        for skill in skills:
            with self._locked([(skill.world, skill.name)]):
                if self.get(skill.world, skill.name) is None:
                    added.append(self._save(skill).key)
        return added

    # -- search ----------------------------------------------------------------------

    @guarded
    def search(self, query: str, *, world: str, k: int = 3) -> list[Skill]:
        """The ``k`` skills of ``world`` closest in meaning to ``query``, demoted ones left out."""
        found, dangling = self._lookup(query, world, k)
        if dangling:
            log.info("the skill index names %s without a file: repairing it from the files", dangling)
            self.sync_index()
            found, _ = self._lookup(query, world, k)
        return found

    def _lookup(self, query: str, world: str, k: int) -> tuple[list[Skill], list[str]]:
        found, dangling = [], []
        for name in self._index.search(query, world=world, k=k):
            skill = self.get(world, name)  # the file, not the index, has the last word
            if skill is None:
                dangling.append(name)
            elif not skill.demoted:
                found.append(skill)
        return found, dangling

    @guarded
    def sync_index(self) -> tuple[int, int]:
        """Bring the index in line with the files; returns (entries written, entries removed)."""
        return self._index.sync(self.list(), self._locked, self.get)

    @guarded
    def rebuild_index(self) -> int:
        """Drop the index and rebuild it from the files; returns the number of skills indexed.

        With a shared server, do this only while no other agent uses it (they hold the dropped collection).
        """
        self._index.reset()
        self.sync_index()
        self._index.adopt()
        count = self._index.count()
        log.info("skill index rebuilt: %d skills with %s", count, self.model_name)
        return count

    @guarded
    def index_count(self) -> int:
        return self._index.count()

    @guarded
    def _ensure_index(self) -> None:
        self.sync_index()
        if not self._index.is_current():
            self._index.adopt()  # a new embedding model: its collection is now the index

    # -- export / import -------------------------------------------------------------

    def export(self, path: Path) -> Path:
        """All skill files (with their history) as a .zip or .tar.gz at ``path``."""
        files = [
            (self._relative(file).as_posix(), file)
            for file in sorted(self.root.rglob("*.json"))
            if classify(self._relative(file)) is not None
        ]
        return write_archive(Path(path), files)

    @guarded
    def import_(self, path: Path) -> list[str]:
        """Import an archive made by ``export``; returns the ``world/name`` of each skill imported.

        Everything is validated before anything is written. A skill that already
        exists goes through ``save`` (so different steps become a new version).
        """
        skills, history = parse_members(read_archive(Path(path)), Path(path))
        for relative, data in history:
            target = self.root / relative
            with self._locked([(relative.parts[0], relative.name.rsplit(".v", 1)[0])]):
                if not target.exists():
                    atomic_write_text(target, data)
        imported = []
        for skill in skills:
            with self._locked([(skill.world, skill.name)]):
                if self.get(skill.world, skill.name) is None:
                    self._write(skill)
                else:
                    self._save(skill)
            imported.append(skill.key)
        return imported

    # -- internals -------------------------------------------------------------------

    def _relative(self, path: Path) -> PurePosixPath:
        return PurePosixPath(path.relative_to(self.root).as_posix())

    def _path(self, world: str, name: str) -> Path:
        return self.root / world / f"{name}.json"

    def _write(self, skill: Skill) -> None:  # the caller holds the skill's lock
        # The file first: if the index write fails, the next sync repairs the index from it.
        atomic_write_text(self._path(skill.world, skill.name), to_json(skill))
        self._index.upsert([skill])

    @contextmanager
    def _locked(self, addresses: Iterable[tuple[str, str]]) -> Iterator[None]:
        """Hold the locks of these skills (in a fixed order, so two holders of several never deadlock)."""
        valid = sorted({(w, n) for w, n in addresses if WORLD.match(w) and SLUG.match(n)})
        with ExitStack() as stack:
            for world, name in valid:
                stack.enter_context(file_lock(self.root / LOCKS_DIR / world / f"{name}.lock"))
            yield

    def _archive(self, skill: Skill) -> None:
        target = self.root / skill.world / HISTORY_DIR / f"{skill.name}.v{skill.version}.json"
        atomic_write_text(target, to_json(skill))
