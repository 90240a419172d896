"""The skill library's search index: derived from the skill files, kept in Chroma.

One collection per embedding model, named after it; a manifest records which
model built the index (a file beside an embedded index, or the shared server's
own record with ``chroma_url``). Every entry carries a digest of what it was
built from, so ``sync`` can bring the index in line with the files without
dropping anything: that keeps it safe while other agents sharing the server
search and write the same collection.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from chromadb.api import ClientAPI
from langchain_core.embeddings import Embeddings

from neuronaut.memory.chroma_base import drop_collection, raw_collection
from neuronaut.memory.embeddings import embedding_identity
from neuronaut.memory.index import (
    COPY_BATCH,
    add_records,
    collection_name,
    open_client,
    open_manifest,
    open_store,
    similarity_search,
    where_all,
)
from neuronaut.memory.manifest import IndexManifest
from neuronaut.skills.model import Skill

log = logging.getLogger(__name__)

MANIFEST = "skills.manifest.json"

Locker = Callable[[list[tuple[str, str]]], AbstractContextManager[Any]]  # holds the locks of these skills
Reader = Callable[[str, str], "Skill | None"]  # the current file of (world, name), None when there is none


class SkillIndex:
    def __init__(self, index_dir: Path, embeddings: Embeddings, *, chroma_url: str = "") -> None:
        self.chroma_url = chroma_url
        self._embeddings = embeddings
        self.model_name, self.dimension = embedding_identity(embeddings)
        self._client: ClientAPI = open_client(Path(index_dir) / "chroma", chroma_url)
        self.manifest_path = Path(index_dir) / MANIFEST
        self._manifest = open_manifest(self._client, chroma_url, self.manifest_path, "skills")
        self.collection = collection_name("skills", self.model_name, self.dimension)
        try:
            self._store = open_store(self._client, self.collection, embeddings)
        except BaseException:
            self._client.close()
            raise

    def close(self) -> None:
        self._client.close()

    # -- entries ---------------------------------------------------------------------

    def upsert(self, skills: list[Skill]) -> None:
        add_records(self._store, [record(skill) for skill in skills])

    def delete(self, keys: list[str]) -> None:
        if keys:
            self._store.delete(ids=keys)

    def search(self, query: str, *, world: str, k: int) -> list[str]:
        """Names of the ``k`` closest skills of ``world`` the index does not mark demoted."""
        pairs = similarity_search(self._store, query, k, where_all(world=world, demoted=False))
        return [str(doc.metadata.get("name", "")) for doc, _score in pairs]

    def count(self) -> int:
        collection = raw_collection(self._client, self.collection)
        return collection.count() if collection is not None else 0

    def digests(self) -> dict[str, str]:
        """id → digest of every entry (an entry written before digests existed has "")."""
        found: dict[str, str] = {}
        while True:
            page = self._store.get(include=["metadatas"], limit=COPY_BATCH, offset=len(found))
            if not page["ids"]:
                return found
            for id_, meta in zip(page["ids"], page["metadatas"] or [], strict=True):
                found[id_] = str((meta or {}).get("digest", ""))

    # -- keeping it in line with the files -------------------------------------------

    def is_current(self) -> bool:
        manifest = self._manifest.read()
        return manifest is not None and manifest.matches(self.model_name, self.dimension) \
            and manifest.collections.get("skills") == self.collection

    def sync(self, files: list[Skill], lock: Locker, read: Reader) -> tuple[int, int]:
        """Add or refresh entries that differ from ``files`` and remove entries without a file.

        What differs is re-read with ``read`` while holding those skills' locks
        (``lock``) through the index write, so an agent saving a skill meanwhile
        is never overwritten with an older version. Returns (written, removed).
        """
        indexed = self.digests()
        on_disk = {skill.key: skill for skill in files}
        suspects = [key for key, skill in on_disk.items() if indexed.get(key) != digest(skill)]
        suspects += [key for key in indexed if key not in on_disk]
        written = removed = 0
        for start in range(0, len(suspects), COPY_BATCH):
            keys = suspects[start : start + COPY_BATCH]
            with lock([_address(key) for key in keys]):
                current = {key: read(*_address(key)) for key in keys}
                fresh = [skill for skill in current.values() if skill is not None]
                self.upsert(fresh)
                self.delete([key for key, skill in current.items() if skill is None])
            written += len(fresh)
            removed += len(keys) - len(fresh)
        if written or removed:
            log.info("skill index synced with the files: %d written, %d removed", written, removed)
        return written, removed

    def adopt(self) -> None:
        """Record this model's collection as the index and drop those of other models."""
        manifest = self._manifest.read()
        old = set(manifest.collections.values()) if manifest else set()
        self._manifest.write(IndexManifest(self.model_name, self.dimension, {"skills": self.collection}))
        for name in old - {self.collection}:
            drop_collection(self._client, name)

    def reset(self) -> None:
        """Drop this model's collection (and any other the manifest names) and start empty."""
        manifest = self._manifest.read()
        old = set(manifest.collections.values()) if manifest else set()
        for name in old | {self.collection}:
            drop_collection(self._client, name)
        self._store = open_store(self._client, self.collection, self._embeddings)


def digest(skill: Skill) -> str:
    """Changes whenever the entry built from ``skill`` would change."""
    _, text, meta = _record(skill)
    payload = json.dumps([text, meta], sort_keys=True, ensure_ascii=False)
    return hashlib.blake2b(payload.encode("utf-8"), digest_size=8).hexdigest()


def record(skill: Skill) -> tuple[str, str, dict[str, Any]]:
    key, text, meta = _record(skill)
    return key, text, {**meta, "digest": digest(skill)}


def _record(skill: Skill) -> tuple[str, str, dict[str, Any]]:
    meta = {"world": skill.world, "name": skill.name, "version": skill.version,
            "demoted": skill.demoted, "kind": skill.kind}
    return skill.key, skill.index_text(), meta


def _address(key: str) -> tuple[str, str]:
    world, _, name = key.partition("/")
    return world, name
