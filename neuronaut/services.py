"""The components one run needs, built once and handed to the graph as its runtime context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from neuronaut.llm.base import DecisionModel
from neuronaut.settings import Settings
from neuronaut.worlds.base import World

if TYPE_CHECKING:
    from neuronaut.memory.store import EpisodeMemory
    from neuronaut.skills.library import SkillLibrary
    from neuronaut.tools.hub import ToolHub
    from neuronaut.tools.ledger import ToolLedger


@dataclass
class Services:
    settings: Settings
    world: World
    model: DecisionModel
    tools: ToolHub
    memory: EpisodeMemory | None = None
    skills: SkillLibrary | None = None
    ledger: ToolLedger | None = None
    events: Any = None  # an optional callable(event: dict) the CLI uses for live progress
    extras: dict[str, Any] = field(default_factory=dict)

    def emit(self, **event: Any) -> None:
        if self.events is not None:
            self.events(event)
