"""Chroma plumbing shared by episode memory and the skill index.

A vector index is derived data: it belongs to one embedding model. Each index
has a small JSON manifest beside it naming the model, its dimension and the
collections built with it (one manifest file per component, so episode memory
and the skill index may share a directory), and collection names include the model, so a new
model gets new collections instead of a dimension-mismatch crash in an old one.

With a shared server (``chroma_url``), the manifest lives in the server instead
(``neuronaut.memory.remote``), so that every agent using it agrees on it; the
manifest itself is ``neuronaut.memory.manifest``.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from pathlib import Path
from typing import Any

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from neuronaut.memory.chroma_base import chroma_settings
from neuronaut.memory.embeddings import embedding_identity
from neuronaut.memory.manifest import FileManifest, ManifestStore
from neuronaut.memory.remote import ServerManifest, connect

log = logging.getLogger(__name__)

# Cosine distance so that 1 - distance is the cosine similarity callers see as a score.
COSINE: dict[str, Any] = {"hnsw": {"space": "cosine"}}
COPY_BATCH = 256  # well under Chroma's maximum batch size
# A Chroma server that is deleting or compacting records while a filtered query
# runs can answer "Error finding id" (an InternalError) for that one query; the
# same query a moment later succeeds, so a few short retries hide the race.
QUERY_ATTEMPTS = 4
QUERY_BACKOFF_S = 0.05


def open_client(directory: Path, url: str = "") -> ClientAPI:
    """The shared server at ``url`` when given, else a persistent Chroma in ``directory`` (created when missing)."""
    if url:
        return connect(url)
    directory.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(directory), settings=chroma_settings())


def open_store(client: ClientAPI, name: str, embeddings: Embeddings) -> Chroma:
    """The collection ``name``, created when missing with the embedding model recorded in its metadata."""
    model_name, dimension = embedding_identity(embeddings)
    return Chroma(
        client=client, collection_name=name, embedding_function=embeddings, collection_configuration=COSINE,
        collection_metadata={"embedding_model": model_name, "dimension": dimension},
    )


def collection_name(prefix: str, model_name: str, dimension: int) -> str:
    """A valid Chroma collection name unique to (prefix, model, dimension)."""
    slug = re.sub(r"[^a-z0-9]+", "-", model_name.lower()).strip("-")[:40] or "model"
    # The digest keeps two long model paths that slug alike apart.
    digest = hashlib.blake2b(model_name.encode("utf-8"), digest_size=4).hexdigest()
    return f"{prefix}-{slug}-{dimension}-{digest}"


def open_manifest(client: ClientAPI, url: str, path: Path, component: str) -> ManifestStore:
    """Where a component's manifest lives: in the shared server when there is one, else in ``path``."""
    if url:
        return ServerManifest(client, component)
    return FileManifest(path)


def iter_records(collection: Collection) -> list[tuple[str, str, dict[str, Any]]]:
    """Every (id, text, metadata) of a collection, read in batches."""
    records: list[tuple[str, str, dict[str, Any]]] = []
    offset = 0
    while True:
        page = collection.get(include=["documents", "metadatas"], limit=COPY_BATCH, offset=offset)
        ids = page["ids"]
        if not ids:
            return records
        for id_, text, meta in zip(ids, page["documents"] or [], page["metadatas"] or [], strict=True):
            records.append((id_, text or "", dict(meta or {})))
        offset += len(ids)


def all_ids(store: Chroma) -> list[str]:
    """Every id in a store's collection, read in batches."""
    ids: list[str] = []
    while True:
        page = store.get(include=[], limit=COPY_BATCH, offset=len(ids))["ids"]
        if not page:
            return ids
        ids.extend(page)


def iter_metadatas(collection: Collection, where: dict[str, Any] | None) -> list[tuple[str, dict[str, Any]]]:
    """Every (id, metadata) of a collection matching ``where``, read in batches (no texts, no vectors)."""
    records: list[tuple[str, dict[str, Any]]] = []
    while True:
        page = collection.get(where=where, include=["metadatas"], limit=COPY_BATCH, offset=len(records))
        if not page["ids"]:
            return records
        records += [(id_, dict(meta or {})) for id_, meta in zip(page["ids"], page["metadatas"] or [], strict=True)]


def delete_ids(client: ClientAPI, collection: Collection, ids: list[str]) -> None:
    """Delete ``ids`` in as few calls as the server's batch limit allows (usually one)."""
    size = max(1, client.get_max_batch_size())
    for start in range(0, len(ids), size):
        collection.delete(ids=ids[start : start + size])


def add_records(store: Chroma, records: list[tuple[str, str, dict[str, Any]]]) -> None:
    """Upsert records (embedding their texts) in batches."""
    for start in range(0, len(records), COPY_BATCH):
        batch = records[start : start + COPY_BATCH]
        store.add_texts(
            texts=[text for _, text, _ in batch],
            metadatas=[meta for _, _, meta in batch],
            ids=[id_ for id_, _, _ in batch],
        )


def similarity_search(
    store: Chroma, query: str, k: int, where: dict[str, Any] | None
) -> list[tuple[Document, float]]:
    """(document, cosine similarity) pairs, best first."""
    if k <= 0:
        return []
    for attempt in range(QUERY_ATTEMPTS - 1):
        try:
            return _scored(store.similarity_search_with_score(query, k=k, filter=where or None))
        except chromadb.errors.InternalError as exc:
            log.info("retrying a search the index could not answer this time (%s)", exc)
            time.sleep(QUERY_BACKOFF_S * 2**attempt)
    return _scored(store.similarity_search_with_score(query, k=k, filter=where or None))


def _scored(pairs: list[tuple[Document, float]]) -> list[tuple[Document, float]]:
    return [(doc, 1.0 - float(distance)) for doc, distance in pairs]


def where_all(**conditions: Any) -> dict[str, Any] | None:
    """A Chroma ``where`` that ANDs the given conditions: a value, or an operator such as ``{"$ne": value}``
    (None values are dropped)."""
    clauses = [{key: value} for key, value in conditions.items() if value is not None]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
