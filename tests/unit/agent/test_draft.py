"""Drafting: a decision's long text argument is written by the model in a second, free-text answer."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from neuronaut.llm.scripted import ScriptedModel
from neuronaut.nodes.draft import draft_argument, extract_text
from neuronaut.state import Decision
from neuronaut.worlds.base import World
from neuronaut.worlds.capabilities import Drafting


class NotesWorld(Drafting, World):
    """A world whose one tool writes a note; it refuses a note that changes nothing."""

    name = "notes"
    drafted_args = {"write_note": "text"}
    draft_tokens = 64

    def __init__(self, current: str = "") -> None:
        self.current = current

    def servers(self, settings, run_id):  # noqa: ANN001, ANN201 - never started here
        return []

    async def observe(self, tools):  # noqa: ANN001, ANN201
        raise NotImplementedError

    async def check(self, goal, tools):  # noqa: ANN001, ANN201
        raise NotImplementedError

    def draft_request(self, tool: str, args: dict[str, Any], thought: str, *, fresh: bool = False) -> str:
        return f"Write the note {args['name']}{' anew' if fresh else ''}. Plan: {thought}"

    def draft_feedback(self, tool: str, args: dict[str, Any]) -> str:
        return "That changes nothing." if args["text"].strip() == self.current else ""


def decision(thought: str = "say hello") -> Decision:
    return Decision(thought=thought, tool="write_note", args={"name": "hello.txt"})


async def run(model: ScriptedModel, world: World, chosen: Decision) -> tuple[Decision, int]:
    drafted, completions = await draft_argument(SimpleNamespace(world=world, model=model), chosen)
    return drafted, len(completions)


@pytest.mark.parametrize(("raw", "text"), [
    ("```swift\nprint(1)\n```", "print(1)\n"),
    ("Here it is:\n```\na\nb\n```\nDone.", "a\nb\n"),
    ("```swift\nlet x = 1\nprint(x", "let x = 1\nprint(x\n"),  # cut off at max_tokens: kept, the build will say
    ("print(2)", "print(2)\n"),  # no fence: the whole answer
])
def test_the_text_is_the_first_fenced_block_or_the_whole_answer(raw: str, text: str) -> None:
    assert extract_text(raw) == text


async def test_the_drafted_text_becomes_the_argument_and_the_request_carries_the_plan() -> None:
    model = ScriptedModel("```\nhello\n```")
    drafted, calls = await run(model, NotesWorld(), decision())
    assert drafted == {"thought": "say hello", "tool": "write_note", "args": {"name": "hello.txt", "text": "hello\n"}}
    assert calls == 1
    assert model.calls[0][0][-1].content == "Write the note hello.txt. Plan: say hello"


async def test_a_rejected_draft_is_written_once_more_anew_with_the_reason() -> None:
    model = ScriptedModel("```\nold\n```", "```\nnew\n```")
    drafted, calls = await run(model, NotesWorld(current="old"), decision())
    assert drafted["args"]["text"] == "new\n" and calls == 2
    assert model.calls[1][0][-1].content == "Write the note hello.txt anew. Plan: say hello\n\nThat changes nothing."


async def test_drafts_rejected_twice_become_an_error_the_model_sees() -> None:
    drafted, calls = await run(ScriptedModel("old", "old"), NotesWorld(current="old"), decision())
    assert drafted["error"] == "That changes nothing." and calls == 2
    assert "text" not in drafted["args"]


async def test_an_empty_answer_is_asked_for_again() -> None:
    model = ScriptedModel("```\n```", "hi")
    drafted, _ = await run(model, NotesWorld(), decision())
    assert drafted["args"]["text"] == "hi\n"
    assert "held no text" in model.calls[1][0][-1].content


async def test_tools_without_a_drafted_argument_are_left_alone() -> None:
    model = ScriptedModel()
    chosen = Decision(thought="", tool="read_note", args={"name": "a"})
    assert await run(model, NotesWorld(), chosen) == (chosen, 0)
