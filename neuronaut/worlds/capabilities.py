"""What a world may do beyond the ``World`` protocol, each an optional mix-in the nodes look for.

- ``Drafting``: some arguments (a source file) are written in a second, free-text answer.
- ``UsesModel``: the world asks the run's model itself (to learn how to read a game it has never seen).
- ``SkillMenus``: the world ranks its own primitive skills first, narrows skills' arguments to what the checker's
  progress allows, and replays skills as routines checked against its goals.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from neuronaut.worlds.base import ToolCaller, World

Choices = dict[str, dict[str, list[Any]]]


class Drafting:
    # tool -> the argument the model writes in a second, free-text answer (a source file): a small model
    # writes far better code unescaped than inside a JSON string (the architect/editor split).
    drafted_args: dict[str, str] = {}
    draft_prompt: str | None = None  # the drafting call's system prompt, a prompt file of the world's
    draft_tokens: int = 1024
    min_decision_tokens: int = 0  # a decision's thought says what the draft must do: longer answers

    def draft_request(self, tool: str, args: dict[str, Any], thought: str, *, fresh: bool = False) -> str:
        """The user turn asking for the drafted argument of ``tool``; ``fresh`` asks for it anew, without the
        current text a small model tends to copy."""
        raise NotImplementedError(f"{type(self).__name__} drafts no arguments")

    def draft_feedback(self, tool: str, args: dict[str, Any]) -> str:
        """Why a draft should be written again (e.g. it changes nothing), or ``""`` when it may be used."""
        return ""


class SkillMenus:
    # Starter skills offered at every step (Voyager's primitives), whatever the retrieval ranks;
    # ``skill_examples_prompt`` shows decisions that run them, so a small model learns to reach for them.
    primitive_skills: tuple[str, ...] = ()
    skill_examples_prompt: str | None = None
    # Skills replay as routines cycled until their goal holds, skipping refused steps: only for worlds whose
    # refused calls change nothing and whose checker judges skill goals.
    adaptive_skills: bool = False

    def offers_skill(self, skill: Any) -> bool:
        """Whether a retrieved skill fits this world as set up now."""
        return True

    def skill_choices(self, progress: dict[str, Any]) -> Choices:
        """The values skills' arguments can take now, as far as ``progress`` tells, by action name; an argument
        left with no value takes its skill off the menu."""
        return {}

    def menu(self, choices: Choices, offered: Collection[str]) -> tuple[Choices, frozenset[str]]:
        """This step's menu from the ``choices`` perceived and the names of the actions ``offered``: the
        choices, less raw values an offered skill does whole, and the actions that cannot work now."""
        return choices, frozenset()

    async def condition(self, name: str, tools: ToolCaller) -> bool:
        """Whether the named condition a skill step tests (``only_if``) holds now; False for a name unknown."""
        return False


class UsesModel:
    def bind_model(self, model: Any) -> None:
        """Called once the run's decision model is loaded, before the first step."""
        raise NotImplementedError


def drafting(world: World) -> Drafting | None:
    return world if isinstance(world, Drafting) else None


def model_user(world: World) -> UsesModel | None:
    return world if isinstance(world, UsesModel) else None


def skill_menus(world: World) -> SkillMenus:
    """The world's skill menus, or the neutral ones of a world without that capability."""
    return world if isinstance(world, SkillMenus) else _NEUTRAL


_NEUTRAL = SkillMenus()
