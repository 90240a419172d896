"""Prompt templates are data files in ``prompts/`` (and a world's own in its folder's ``prompts/``), loaded by name.

Templates use ``$name`` placeholders (``string.Template``), so JSON examples
need no brace escaping.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Template

from neuronaut.errors import NeuronautError

# Installed wheels carry the templates inside the package; a checkout keeps them at the top.
_SEARCH = (Path(__file__).parent / "prompts", Path(__file__).parent.parent / "prompts")


@lru_cache(maxsize=64)
def load_prompt(name: str, first: Path | None = None) -> str:
    """The template ``name``, looked up in ``first`` (a world's own prompts) before the agent's."""
    folders = ((first,) if first else ()) + _SEARCH
    for folder in folders:
        path = folder / f"{name}.md"
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
    raise NeuronautError(f"prompt template {name!r} not found in {', '.join(map(str, folders))}")


def render_prompt(name: str, *, folder: Path | None = None, **values: object) -> str:
    """The template ``name`` (looked up in ``folder`` first) with its ``$placeholders`` filled from ``values``."""
    return Template(load_prompt(name, folder)).safe_substitute({k: str(v) for k, v in values.items()})
