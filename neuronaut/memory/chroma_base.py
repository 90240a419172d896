"""Chroma primitives that both the embedded index and the shared server use.

Kept apart from ``neuronaut.memory.index`` so that ``neuronaut.memory.remote``
can use them while the index opens remote clients through it, without the two
importing each other.
"""

from __future__ import annotations

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings


def chroma_settings() -> ChromaSettings:
    # Telemetry off: NeuroNaut is local-first and must not phone home.
    return ChromaSettings(anonymized_telemetry=False, allow_reset=True)


def raw_collection(client: ClientAPI, name: str) -> Collection | None:
    try:
        return client.get_collection(name)
    except chromadb.errors.NotFoundError:
        return None


def drop_collection(client: ClientAPI, name: str) -> None:
    try:
        client.delete_collection(name)
    except chromadb.errors.NotFoundError:
        pass  # never there, or another agent sharing the server dropped it first
