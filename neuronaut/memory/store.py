"""Episodic memory: what the agent saw and did, step by step, plus reference documents.

Both live in Chroma on disk, one collection per kind. A step's id is
``"<thread_id>:<step>"`` and writes are upserts, so replaying a step after a
crash or a resume overwrites instead of duplicating.

The vectors belong to one embedding model. Chroma keeps the texts and
metadata, so opening the store with another model re-embeds those texts into
new collections, switches the manifest over, and only then drops the old ones:
a crash half-way leaves the old, complete index in charge.

With ``chroma_url`` the collections live in a shared Chroma server: every agent
using it reads the steps and documents any of them wrote (ids carry the thread
id, so agents never overwrite each other's steps).

Retention (``prune_steps``, called by the ``learn`` node with the
``memory_steps_kept`` setting): each world keeps its newest steps, judged by
the ``added_at`` time stamped on every write. The cap is per world because
retrieval is always scoped to one world: with one overall cap, a days-long run
in one world would push every memory of the others out, while the worlds are a
small, fixed set, so the store stays bounded by worlds × cap. Documents
(ingested READMEs and specs) are reference material and are never pruned.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from chromadb.api import ClientAPI
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from neuronaut.learning.goals import goal_kind
from neuronaut.memory.chunking import DEFAULT_CHUNK_CHARS, chunk_text
from neuronaut.memory.chroma_base import drop_collection, raw_collection
from neuronaut.memory.embeddings import embedding_identity
from neuronaut.memory.index import (
    add_records,
    all_ids,
    collection_name,
    delete_ids,
    iter_metadatas,
    iter_records,
    open_client,
    open_manifest,
    open_store,
    similarity_search,
    where_all,
)
from neuronaut.memory.manifest import IndexManifest
from neuronaut.memory.remote import guarded
from neuronaut.memory.step_text import clip, format_step

log = logging.getLogger(__name__)

Kind = Literal["step", "document"]
KINDS: tuple[Kind, ...] = ("step", "document")
MANIFEST = "episodes.manifest.json"
# A world is counted again only after cap / PRUNE_CHECK_FRACTION new steps through this instance: pruning
# then deletes that many at once, and a world overshoots its cap by at most 5 % between checks.
PRUNE_CHECK_FRACTION = 20


@dataclass(frozen=True)
class MemoryHit:
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    score: float = 0.0  # cosine similarity: 1.0 is the same direction, higher is closer


class EpisodeMemory:
    """Steps and documents under ``directory`` (or in the server at ``chroma_url``), embedded with ``embeddings``."""

    def __init__(self, directory: Path, embeddings: Embeddings, *, chunk_chars: int = DEFAULT_CHUNK_CHARS,
                 chroma_url: str = ""):
        self.directory = Path(directory)
        self.chroma_url = chroma_url
        self._embeddings = embeddings
        self._chunk_chars = chunk_chars
        self._added_since_check: dict[str, int] = {}  # world -> steps added since prune_steps last counted it
        self.model_name, self.dimension = embedding_identity(embeddings)
        self._client: ClientAPI = open_client(self.directory / "chroma", chroma_url)
        self.manifest_path = self.directory / MANIFEST
        self._manifest = open_manifest(self._client, chroma_url, self.manifest_path, "episodes")
        try:
            self._open()
        except BaseException:
            self._client.close()
            raise

    @guarded
    def _open(self) -> None:
        self._names = self._prepare_collections()
        self._stores: dict[str, Chroma] = {
            kind: open_store(self._client, name, self._embeddings) for kind, name in self._names.items()
        }

    # -- lifecycle -------------------------------------------------------------------

    def close(self) -> None:
        """Release Chroma's files; the instance is unusable afterwards."""
        self._client.close()

    def __enter__(self) -> EpisodeMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------

    @guarded
    def add_step(
        self,
        *,
        thread_id: str,
        step: int,
        world: str,
        goal: str,
        observation: str,
        action: dict[str, Any],
        outcome: str,
        ok: bool,
        critique: str = "",
        change: str = "",
        setback: bool = False,
        family: str = "",
        achieved: bool = False,
    ) -> None:
        text = format_step(goal=goal, observation=observation, action=action, outcome=outcome, ok=ok,
                           critique=critique)
        metadata = {
            "kind": "step", "thread_id": thread_id, "step": int(step), "world": world, "goal": goal,
            "tool": str(action.get("tool", "")), "action": json.dumps(action, ensure_ascii=False, default=str),
            "ok": bool(ok), "result": clip(outcome), "critique": critique, "change": clip(change),
            "setback": bool(setback), "goal_kind": goal_kind(goal),
            "goal_family": family, "achieved": bool(achieved), "added_at": time.time(),
        }
        self._stores["step"].add_texts([text], metadatas=[metadata], ids=[f"{thread_id}:{step}"])
        if world in self._added_since_check:
            self._added_since_check[world] += 1

    @guarded
    def add_document(self, *, doc_id: str, text: str, world: str, source: str) -> int:
        """Store ``text`` as chunks (replacing an earlier version of ``doc_id``); returns the chunk count."""
        store = self._stores["document"]
        chunks = chunk_text(text, self._chunk_chars)
        ids = [f"{doc_id}#{i}" for i in range(len(chunks))]
        metadatas = [
            {"kind": "document", "doc_id": doc_id, "chunk": i, "world": world, "source": source}
            for i in range(len(chunks))
        ]
        if chunks:
            store.add_texts(chunks, metadatas=metadatas, ids=ids)
        # Remove chunks of a longer earlier version only after the new ones are in.
        stale = [i for i in store.get(where={"doc_id": doc_id}, include=[])["ids"] if i not in set(ids)]
        if stale:
            store.delete(ids=stale)
        return len(chunks)

    @guarded
    def prune_steps(self, world: str, keep: int) -> int:
        """Delete the oldest steps of ``world`` beyond its newest ``keep`` (0 = keep all); returns how many went.

        Cheap enough to call every few steps: the world's steps are read (metadata only) the first time,
        then only once ``keep // PRUNE_CHECK_FRACTION`` steps have been added through this instance, and
        never while the whole collection is within ``keep``. The oldest go in one delete. Steps written
        before ``added_at`` existed count as the oldest.
        """
        if keep <= 0:
            return 0
        added = self._added_since_check.get(world)
        if added is not None and added < max(1, keep // PRUNE_CHECK_FRACTION):
            return 0
        self._added_since_check[world] = 0
        collection = raw_collection(self._client, self._names["step"])
        if collection is None or collection.count() <= keep:
            return 0
        records = iter_metadatas(collection, {"world": world})
        if len(records) <= keep:
            return 0
        records.sort(key=_written_order)
        oldest = [id_ for id_, _ in records[: len(records) - keep]]
        delete_ids(self._client, collection, oldest)
        log.info("pruned the %d oldest steps of world %s from memory (kept %d)", len(oldest), world, keep)
        return len(oldest)

    # -- reading ---------------------------------------------------------------------

    @guarded
    def search(self, query: str, *, world: str | None = None, k: int = 3, kind: Kind = "step",
               goal: str | None = None, goal_like: str | None = None, family: str = "",
               other_than_thread: str | None = None) -> list[MemoryHit]:
        """The ``k`` closest records; ``goal`` keeps the steps taken for that goal, ``goal_like`` those taken for
        it, a goal of its kind (``goal_kind``) or, given ``family``, the steps that achieved a goal of that
        family; ``other_than_thread`` leaves out one run's own steps."""
        if kind not in self._stores:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        # Steps stored before kinds were recorded still match their own goal.
        # Of another goal of the family only the step after which it held: the steps before it fitted that goal's
        # situation (what was missing then), not the present one's.
        kin = [{"$and": [{"goal_family": family}, {"achieved": True}]}] if family else []
        alike = [{"goal": goal_like}, {"goal_kind": goal_kind(goal_like)}, *kin]
        like = {"$or": alike} if goal_like else None
        where = where_all(world=world, goal=goal, thread_id={"$ne": other_than_thread} if other_than_thread else None)
        where = {"$and": [where, like]} if where and like else where or like
        pairs = similarity_search(self._stores[kind], query, k, where)
        return [MemoryHit(doc.page_content, dict(doc.metadata), score) for doc, score in pairs]

    @guarded
    def achieved_goals(self, world: str) -> list[str]:
        """The goals reached in ``world``, each once, in the order first reached: the route earlier runs took."""
        collection = raw_collection(self._client, self._names["step"])
        if collection is None:
            return []
        records = iter_metadatas(collection, {"$and": [{"world": world}, {"achieved": True}]})
        records.sort(key=_written_order)
        return list(dict.fromkeys(str(meta["goal"]) for _, meta in records if meta.get("goal")))

    @guarded
    def count(self, kind: Kind | None = None) -> int:
        kinds = KINDS if kind is None else (kind,)
        total = 0
        for name in (self._names[k] for k in kinds):
            collection = raw_collection(self._client, name)
            total += collection.count() if collection is not None else 0
        return total

    # -- the embedding model's collections ------------------------------------------

    def _prepare_collections(self) -> dict[str, str]:
        wanted = {kind: collection_name(kind, self.model_name, self.dimension) for kind in KINDS}
        manifest = self._manifest.read()
        if manifest is not None and manifest.collections != wanted:
            self._reembed(manifest.collections, wanted)
        elif manifest is None:
            self._manifest.write(IndexManifest(self.model_name, self.dimension, wanted))
        return wanted

    def _reembed(self, old: dict[str, str], new: dict[str, str]) -> None:
        log.info("embedding model is now %s/%d: re-embedding episode memory", self.model_name, self.dimension)
        copies: dict[str, tuple[Chroma, set[str]]] = {}
        for kind, name in new.items():
            # Upserts: a partial copy left by an interrupted re-embed is completed, not dropped
            # (another agent sharing the server may be writing to it).
            source = raw_collection(self._client, old[kind]) if kind in old else None
            records = iter_records(source) if source is not None else []
            store = open_store(self._client, name, self._embeddings)
            add_records(store, records)
            copies[kind] = (store, {id_ for id_, _, _ in records})
        current = self._manifest.read()
        if current is not None and current.collections == new:
            return  # another agent sharing the server finished the switch first and may be writing already
        for store, keep in copies.values():
            strays = [id_ for id_ in all_ids(store) if id_ not in keep]  # what a crashed copy left behind
            if strays:
                store.delete(ids=strays)
        self._manifest.write(IndexManifest(self.model_name, self.dimension, new))
        for name in old.values():
            if name not in new.values():
                drop_collection(self._client, name)


def _written_order(record: tuple[str, dict[str, Any]]) -> tuple[float, int]:
    """Oldest write first; steps stored before ``added_at`` existed come before all others."""
    _, meta = record
    return float(meta.get("added_at", 0.0)), int(meta.get("step", 0))
