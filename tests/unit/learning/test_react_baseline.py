"""The ReAct baseline: LangGraph's prebuilt agent over our decision model and the world's MCP tools."""

from __future__ import annotations

import json
import warnings
from collections.abc import AsyncIterator

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from neuronaut.learning.react_baseline import FINISH, DecisionChatModel, ReactBaseline, decision_conversation
from neuronaut.llm.scripted import ScriptedModel
from neuronaut.servers.chat_contract import GET_MESSAGES, PRESS_INLINE_BUTTON, SEND_MESSAGE
from neuronaut.settings import Settings
from neuronaut.tools.hub import ToolHub
from neuronaut.worlds.rpg.world import RpgWorld

PRESS_TOOL = {"type": "function", "function": {"name": "press", "description": "Press a button.", "parameters": {
    "type": "object", "properties": {"button_text": {"type": "string"}}, "required": ["button_text"]}}}


class ToolCallingFake(GenericFakeChatModel):
    """The fake chat model, made bindable the way create_react_agent expects."""

    def bind_tools(self, tools, **kwargs):
        return self


@pytest.fixture
async def rpg(settings: Settings) -> AsyncIterator[tuple[ToolHub, RpgWorld]]:
    world = RpgWorld()
    async with ToolHub(world.servers(settings, "react-test"), log_dir=settings.logs_dir) as hub:
        yield hub, world


async def test_a_decision_becomes_a_tool_call() -> None:
    model = ScriptedModel({"thought": "go", "tool": "press", "args": {"button_text": "🌲 Forest"}})
    message = await DecisionChatModel(decision_model=model).bind_tools([PRESS_TOOL]).ainvoke([HumanMessage("hi")])
    assert message.tool_calls[0]["name"] == "press" and message.tool_calls[0]["args"] == {"button_text": "🌲 Forest"}
    branches = model.calls[0][1]["anyOf"]
    assert [b["properties"]["tool"]["const"] for b in branches] == ["press", FINISH]


async def test_finish_ends_without_a_tool_call() -> None:
    model = ScriptedModel({"thought": "done", "tool": FINISH, "args": {"answer": "level 2 reached"}})
    message = await DecisionChatModel(decision_model=model).bind_tools([PRESS_TOOL]).ainvoke([HumanMessage("hi")])
    assert message.tool_calls == [] and message.content == "level 2 reached"


def test_history_is_replayed_as_decisions_and_results() -> None:
    call = {"name": "press", "args": {"button_text": "x"}, "id": "c1", "type": "tool_call"}
    messages = [SystemMessage("rules"), HumanMessage("goal")]
    for n in range(14):
        messages += [AIMessage(content="t", tool_calls=[{**call, "id": f"c{n}"}]),
                     ToolMessage(content=f"result {n}", tool_call_id=f"c{n}")]
    shown = decision_conversation(messages)
    assert [m.content for m in shown[:2]] == ["rules", "goal"]
    assert json.loads(shown[2].content) == {"thought": "t", "tool": "press", "args": {"button_text": "x"}}
    assert shown[3].content.startswith("result 8")  # 14 past turns: the window cut moved by one chunk
    assert len(shown) == 2 + 2 * 6


async def test_prebuilt_agent_calls_an_mcp_tool_with_the_chat_fixed(rpg) -> None:
    hub, world = rpg
    baseline = ReactBaseline(ScriptedModel(), hub, world, reading=(GET_MESSAGES,))
    assert sorted(t.name for t in baseline.tools) == sorted([GET_MESSAGES, PRESS_INLINE_BUTTON, SEND_MESSAGE])
    press = next(t for t in baseline.tools if t.name == PRESS_INLINE_BUTTON)
    assert set(press.args) == {"button_text"}  # chat_id fixed, message_id and button_index hidden

    from langgraph.prebuilt import create_react_agent

    fake = ToolCallingFake(messages=iter([
        AIMessage(content="", tool_calls=[{"name": SEND_MESSAGE, "args": {"text": "/start"}, "id": "1"}]),
        AIMessage(content="started"),
    ]))
    with warnings.catch_warnings():  # deprecated for langchain.agents.create_agent; the baseline is the prebuilt
        warnings.simplefilter("ignore")
        agent = create_react_agent(fake, baseline.tools)
    state = await agent.ainvoke({"messages": [HumanMessage("start the game")]})
    tool_message = next(m for m in state["messages"] if isinstance(m, ToolMessage))
    assert "Buttons:" in tool_message.content  # the world's observation follows the acting tool's result


async def test_baseline_run_counts_calls_and_is_judged_by_the_checker(rpg) -> None:
    hub, world = rpg
    model = ScriptedModel({"thought": "go", "tool": PRESS_INLINE_BUTTON, "args": {"button_text": "🌲 Forest"}},
                          fallback={"thought": "enough", "tool": FINISH, "args": {"answer": "done"}})
    run = await ReactBaseline(model, hub, world).run("reach level 2", max_llm_calls=5)
    assert (run.status, run.llm_calls) == ("finished", 2)
    first_prompt = model.calls[0][0]
    assert "Your goal: reach level 2" in first_prompt[0].content and "Buttons:" in first_prompt[1].content


async def test_budget_stops_the_baseline(rpg) -> None:
    hub, world = rpg
    model = ScriptedModel(fallback={"thought": "go", "tool": SEND_MESSAGE, "args": {"text": "/status"}})
    run = await ReactBaseline(model, hub, world).run("reach level 2", max_llm_calls=3)
    assert (run.status, run.llm_calls, len(model.calls)) == ("budget_exhausted", 3, 3)
