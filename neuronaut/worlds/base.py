"""What a world is: the servers it needs, what the agent may do there, and how success is checked.

The agent loop only talks to this interface, so a new world (or a new MCP
server inside one) plugs in without touching the loop.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from neuronaut.settings import Settings
from neuronaut.tools.types import ServerSpec, ToolOutcome, ToolSpec


class ToolCaller(Protocol):
    async def call(self, name: str, args: dict[str, Any]) -> ToolOutcome: ...


@dataclass
class Observation:
    text: str
    choices: dict[str, dict[str, list[str]]] = field(default_factory=dict)


@dataclass
class Check:
    achieved: bool
    reason: str
    progress: dict[str, Any] = field(default_factory=dict)
    # How far the goal still is, in the world's own units (0 when it holds, lower is closer); None when the
    # world cannot tell. A skill cycled as a routine goes on while this falls.
    distance: float | None = None


class World(ABC):
    name: str = ""
    description: str = ""
    examples_prompt: str | None = None  # few-shot examples, a file in prompts/
    # Starter skills offered at every step while skills are on (Voyager's primitives), whatever the retrieval
    # ranks; ``skill_examples_prompt`` shows decisions that run them, so a small model learns to reach for them.
    primitive_skills: tuple[str, ...] = ()
    skill_examples_prompt: str | None = None
    allowed_tools: frozenset[str] | None = None  # None: every tool of the world's servers
    fixed_args: dict[str, dict[str, Any]] = {}  # injected into calls and hidden from the model
    hidden_args: dict[str, frozenset[str]] = {}  # optional arguments the model need not see
    min_decision_tokens: int = 0  # worlds whose actions carry long text need longer answers
    # tool -> the argument the model writes in a second, free-text answer (a source file): a small model
    # writes far better code unescaped than inside a JSON string (the architect/editor split).
    drafted_args: dict[str, str] = {}
    # Skills replay as routines cycled until their goal holds (``check``), skipping refused steps: only for
    # worlds whose refused calls change nothing and whose checker knows skill goals (the RPG's buttons).
    adaptive_skills: bool = False
    # The checker only reads the world (a chat), so it also runs before the first step: the first plan then
    # knows what the goal still takes. Not where checking means building and testing.
    reads_goal_first: bool = False
    draft_prompt: str | None = None  # the drafting call's system prompt, a file in prompts/
    draft_tokens: int = 1024

    @abstractmethod
    def servers(self, settings: Settings, run_id: str) -> list[ServerSpec]:
        """The MCP servers this world needs for the run ``run_id``."""

    def validate_goal(self, goal: str) -> None:
        """Raise ``UserError`` when the goal cannot be pursued here."""

    def needs_approval(self, spec: ToolSpec) -> bool:
        """Whether a person must allow a call first; by default the tools the server marks destructive."""
        return spec.destructive

    def fixed_args_for(self, spec: ToolSpec) -> dict[str, Any]:
        """Arguments the world sets for this tool (and hides from the model)."""
        return dict(self.fixed_args.get(spec.name, {}))

    def extra_actions(self) -> list[dict[str, Any]]:
        """Actions the world offers besides MCP tools, as {name, description, params (JSON schema)}."""
        return []

    async def run_extra(self, name: str, args: dict[str, Any]) -> ToolOutcome:
        return ToolOutcome.failure(name, args, f"unknown action {name!r}")

    def offers_skill(self, skill: Any) -> bool:
        """Whether a retrieved skill fits this world as set up now (e.g. not one that writes a file it wrote)."""
        return True

    def skill_choices(self, progress: dict[str, Any]) -> dict[str, dict[str, list[Any]]]:
        """The values skills' arguments can take now, as far as ``progress`` tells, by action name
        (``{"skill:buy": {"item": [...]}}``); an argument left with no value takes its skill off the menu."""
        return {}

    def menu(self, choices: dict[str, dict[str, list[Any]]],
             offered: Collection[str]) -> tuple[dict[str, dict[str, list[Any]]], frozenset[str]]:
        """This step's menu as the world would have it, from the ``choices`` perceived and the names of the
        actions ``offered``: the choices, less raw values an offered skill does whole, and the actions that
        cannot work on this screen (taken off the menu). By default, the choices as they are and none closed."""
        return choices, frozenset()

    def draft_request(self, tool: str, args: dict[str, Any], thought: str, *, fresh: bool = False) -> str:
        """The user turn asking for the drafted argument of ``tool`` (worlds with ``drafted_args``);
        ``fresh`` asks for it anew, without the current text a small model tends to copy."""
        raise NotImplementedError(f"{type(self).__name__} drafts no arguments")

    def draft_feedback(self, tool: str, args: dict[str, Any]) -> str:
        """Why a draft should be written again (e.g. it changes nothing), or ``""`` when it may be used."""
        return ""

    def summarize_outcome(self, outcome: ToolOutcome) -> str:
        """One line for the model's list of past steps."""
        return outcome.summary(160)

    def partial_goal(self, goal: str, start: dict[str, Any], now: dict[str, Any]) -> str | None:
        """A goal of the same kind as ``goal`` that the run reached on its way, short of ``goal`` itself.

        What a failed run still teaches (hindsight): "reach level 3" ran out of steps at level 2, so the
        trajectory is a verified way to "reach level 2". ``start`` and ``now`` are the checker's progress at
        the run's first readable step and now. None: nothing to relabel (the default)."""
        return None

    def default_goal(self) -> str | None:
        """The goal to pursue when none is given (e.g. "make the spec's examples pass"), if the world has one."""
        return None

    def goal_holds(self, goal: str, progress: dict[str, Any]) -> bool | None:
        """Whether ``goal`` holds by the checker's ``progress`` for another goal, or None when it cannot tell
        (e.g. a boss goal judged from a level goal's reading, which lists no bosses)."""
        return None

    def goal_family(self, goal: str) -> str:
        """The family ``goal`` belongs to ("boss" for every boss goal), or "" when it has none.

        Memory recalls the steps of a goal's family, so that the first time a new boss is fought, the fight
        that beat another boss is in the prompt. Families are the world's to say: only its checker knows
        that "defeat the Crystal Golem" and "defeat the first boss" are checked the same way."""
        return ""

    def goal_needs(self, goal: str, progress: dict[str, Any]) -> str:
        """What ``goal`` still takes from the checker's ``progress`` ("15 more gold"), or "" when unknown."""
        return ""

    async def condition(self, name: str, tools: ToolCaller) -> bool:
        """Whether the named condition a skill step tests (``only_if``) holds now; False for a name unknown here."""
        return False

    def briefing(self) -> str:
        """Stable task context for the system prompt (e.g. a README spec); empty for most worlds."""
        return ""

    def result_dir(self) -> Path | None:
        """Where the run's product lives on disk (e.g. the package a world builds), named in the RunResult."""
        return None

    async def prepare(self, tools: ToolCaller) -> None:
        """Bring the world to a state where observing makes sense (e.g. start the game)."""

    @abstractmethod
    async def observe(self, tools: ToolCaller) -> Observation:
        """What the agent sees now, read through the world's tools."""

    @abstractmethod
    async def check(self, goal: str, tools: ToolCaller) -> Check:
        """Whether the goal holds, decided from the world's state (not from the model)."""
