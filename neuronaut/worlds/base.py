"""What a world is: the servers it needs, how it is observed, its goals and how they are checked.

The agent loop talks only to this protocol; what a world can do beyond it (drafting long arguments, narrowing
skill menus) is an optional capability in ``capabilities``. A world is one folder (or one pip package) that
the registry finds through the ``neuronaut.worlds`` entry-point group.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from neuronaut.errors import UserError
from neuronaut.prompts import load_prompt
from neuronaut.settings import Settings
from neuronaut.tools.types import ServerSpec, ToolOutcome, ToolSpec
from neuronaut.worlds.configured import ConfiguredServers

if TYPE_CHECKING:
    from neuronaut.learning.goals import GoalSpace
    from neuronaut.skills.model import Skill


class ToolCaller(Protocol):
    async def call(self, name: str, args: dict[str, Any]) -> ToolOutcome: ...


@dataclass
class Observation:
    text: str
    choices: dict[str, dict[str, list[str]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Goal:
    """A goal parsed once by its world. ``kind`` groups goals the checker judges alike ("level", "boss"):
    memory recalls the steps of a goal's kind. A world's own goals subclass it with what they can say."""

    text: str
    kind: str = ""

    def holds(self, progress: dict[str, Any]) -> bool | None:
        """Whether the goal holds by a checker's ``progress`` (for any goal), None when it cannot tell."""
        return None

    def needs(self, progress: dict[str, Any]) -> str:
        """What the goal still takes from ``progress`` ("15 more gold"), or "" when unknown."""
        return ""

    def partial(self, start: dict[str, Any], now: dict[str, Any]) -> str | None:
        """A goal of the same kind reached on the way from ``start`` to ``now``, short of this one (hindsight:
        a failed run is still a verified way there), or None."""
        return None


@dataclass
class Check:
    achieved: bool
    reason: str
    progress: dict[str, Any] = field(default_factory=dict)
    # How far the goal still is, in the world's own units (0 when it holds, lower is closer); None when the
    # world cannot tell. A skill cycled as a routine goes on while this falls.
    distance: float | None = None
    # No checker in this world understands the goal: the critic judges the agent's final answer.
    critic_judges: bool = False


class World(ABC):
    name: str = ""
    description: str = ""
    examples_prompt: str | None = None  # few-shot examples, a prompt file of the world's (``prompt``)
    allowed_tools: frozenset[str] | None = None  # None: every tool of the world's servers
    fixed_args: dict[str, dict[str, Any]] = {}  # injected into calls and hidden from the model
    hidden_args: dict[str, frozenset[str]] = {}  # optional arguments the model need not see
    effort_keys: frozenset[str] = frozenset()  # progress entries that count work done, not progress made
    observation_tools: frozenset[str] = frozenset()  # tools that only look: left out of a learned skill
    # The checker only reads the world (a chat), so it also runs before the first step: the first plan then
    # knows what the goal still takes. Not where checking means building and testing.
    reads_goal_first: bool = False
    # Servers declared in settings that join this world (``[servers.<name>]`` naming it): the registry sets them.
    configured: ConfiguredServers = ConfiguredServers({})
    # The tool list says what each parameter means: for servers nobody wrote the prompts for.
    describes_parameters: bool = False

    @abstractmethod
    def servers(self, settings: Settings, run_id: str) -> list[ServerSpec]:
        """The MCP servers this world needs for the run ``run_id``."""

    @abstractmethod
    async def observe(self, tools: ToolCaller) -> Observation:
        """What the agent sees now, read through the world's tools."""

    @abstractmethod
    async def check(self, goal: Goal, tools: ToolCaller) -> Check:
        """Whether the goal holds, decided from the world's state (not from the model)."""

    def parse_goal(self, text: str) -> Goal:
        """The goal as this world understands it; ``UserError`` when it cannot be pursued here."""
        return Goal(text)

    def goal(self, text: str) -> Goal:
        """``text`` parsed once per world (nodes ask every step); a goal it cannot parse stays plain text."""
        return _parsed(self, " ".join(str(text).split()))

    def default_goal(self) -> str | None:
        """The goal to pursue when none is given (e.g. "make the spec's examples pass"), if the world has one."""
        return None

    def starter_skills(self) -> list[Skill]:
        """Fresh copies of the skills the world starts with, before anything is learned."""
        return []

    def goal_space(self) -> GoalSpace | None:
        """What a curriculum knows of the world's goals, or None: the model alone proposes them."""
        return None

    def explore_options(self) -> dict[str, Any]:
        """World options every goal of one exploration shares (e.g. one game, whose hero the goals climb)."""
        return {}

    def prompt(self, name: str) -> str:
        """A prompt file: the world's own (``prompts/`` beside the module of its class, or of the world class it
        builds on) before the agent's."""
        for cls in type(self).__mro__[:type(self).__mro__.index(World)]:
            folder = Path(inspect.getfile(cls)).parent / "prompts"
            if (folder / f"{name}.md").is_file():
                return load_prompt(name, folder)
        return load_prompt(name)

    def briefing(self) -> str:
        """Stable task context for the system prompt (e.g. a README spec); empty for most worlds."""
        return ""

    def result_dir(self) -> Path | None:
        """Where the run's product lives on disk (e.g. the package a world builds), named in the RunResult."""
        return None

    async def prepare(self, tools: ToolCaller) -> None:
        """Bring the world to a state where observing makes sense (e.g. start the game)."""

    def needs_approval(self, spec: ToolSpec) -> bool:
        """Whether a person must allow a call first; by default the tools the server marks destructive."""
        return spec.destructive

    def fixed_args_for(self, spec: ToolSpec) -> dict[str, Any]:
        """Arguments the world sets for this tool (and hides from the model)."""
        return dict(self.fixed_args.get(spec.name, {}))

    def extra_actions(self) -> list[dict[str, Any]]:
        """Actions besides MCP tools, as {name, description, params (JSON schema), final (ends the goal)}."""
        return []

    async def run_extra(self, name: str, args: dict[str, Any]) -> ToolOutcome:
        return ToolOutcome.failure(name, args, f"unknown action {name!r}")

    def tools_for(self, goal: str, specs: list[ToolSpec]) -> list[ToolSpec]:
        """The tools described to the model for ``goal`` (default: every tool the world allows)."""
        return specs

    def attend(self, goal: str, last: ToolOutcome | None) -> None:
        """Told before each observation: the run's goal and the outcome of the step just taken (None before
        the first). A world that shows tool results keeps it for ``observe``; most need neither."""

    def summarize_outcome(self, outcome: ToolOutcome) -> str:
        """One line for the model's list of past steps."""
        return outcome.summary(160)


@lru_cache(maxsize=256)
def _parsed(world: World, text: str) -> Goal:
    try:
        return world.parse_goal(text)
    except UserError:
        return Goal(text)
