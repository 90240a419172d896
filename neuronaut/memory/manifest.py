"""The index manifest: which embedding model built which collections.

A vector index is derived data that belongs to one embedding model, so each
component records the model, its dimension and its collection names. Embedded,
the record is a JSON file beside the index (``FileManifest``); with a shared
server it lives in the server (``neuronaut.memory.remote.ServerManifest``).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from neuronaut.fs import atomic_write_text

log = logging.getLogger(__name__)


@dataclass
class IndexManifest:
    model_name: str
    dimension: int
    collections: dict[str, str] = field(default_factory=dict)

    def matches(self, model_name: str, dimension: int) -> bool:
        return self.model_name == model_name and self.dimension == dimension


def read_manifest(path: Path) -> IndexManifest | None:
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return IndexManifest(str(data["model_name"]), int(data["dimension"]), dict(data.get("collections", {})))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        # The manifest only describes derived data: a broken one means "rebuild", not "fail".
        log.warning("ignoring unreadable index manifest %s: %s", path, exc)
        return None


def write_manifest(path: Path, manifest: IndexManifest) -> None:
    atomic_write_text(path, json.dumps(asdict(manifest), indent=2) + "\n")


class ManifestStore(Protocol):
    def read(self) -> IndexManifest | None: ...

    def write(self, manifest: IndexManifest) -> None: ...


@dataclass
class FileManifest:
    """The manifest as a JSON file beside an embedded index."""

    path: Path

    def read(self) -> IndexManifest | None:
        return read_manifest(self.path)

    def write(self, manifest: IndexManifest) -> None:
        write_manifest(self.path, manifest)
