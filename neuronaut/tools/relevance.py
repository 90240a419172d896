"""The tools that fit a goal, by meaning: a server with dozens of tools would drown a small model's prompt.

Each tool is embedded once as ``name: description``; the goal is compared with all of them and the closest
are kept, in the catalogue's order (the prompt's tool list stays stable for a given goal).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from langchain_core.embeddings import Embeddings

from neuronaut.memory.embeddings import cosine
from neuronaut.tools.types import ToolSpec


def tool_text(spec: ToolSpec) -> str:
    """What a tool is about, for embedding: its name in words, then its description."""
    words = " ".join(re.split(r"[_\-.]+|(?<=[a-z])(?=[A-Z])", spec.name))
    return f"{words}: {spec.description.strip()[:500]}"


class ToolRanker:
    """Caches the tools' vectors for one run; ``pick`` keeps the ``limit`` closest to a goal."""

    def __init__(self, embeddings: Embeddings) -> None:
        self._embeddings = embeddings
        self._vectors: dict[tuple[str, str], list[float]] = {}

    def pick(self, goal: str, specs: Sequence[ToolSpec], limit: int) -> list[ToolSpec]:
        if len(specs) <= limit:
            return list(specs)
        missing = [s for s in specs if (s.name, s.description) not in self._vectors]
        if missing:
            vectors = self._embeddings.embed_documents([tool_text(s) for s in missing])
            self._vectors.update({(s.name, s.description): v for s, v in zip(missing, vectors, strict=True)})
        query = self._embeddings.embed_query(goal)
        score = {s.name: cosine(query, self._vectors[(s.name, s.description)]) for s in specs}
        kept = set(sorted(score, key=lambda name: (-score[name], name))[:limit])
        return [s for s in specs if s.name in kept]
