"""The baseline: LangGraph's prebuilt ReAct agent on the same local model and the same MCP tools.

What was tried for the model, and why this adapter:

- ``ChatLlamaCpp.bind_tools`` (inside ``neuronaut.llm.local``) can only force ONE
  named tool: ``tool_choice="auto"`` is taken for a tool called "auto" and
  rejected, and ``create_react_agent`` binds with no choice, in which case
  llama-cpp-python's default (GGUF template) handler ignores the tools: the
  model would only ever chat.
- llama-cpp-python's ``chatml-function-calling`` format does support "auto", but
  it needs a Llama built with that chat format (a second 2 GB model in RAM, or
  mutating the shared one), makes two generations per call, and decodes plain
  replies with no token limit: slower, and a different decoder than the agent's.
- Chosen: ``DecisionChatModel``, a thin ``BaseChatModel`` over the very
  ``DecisionModel`` the agent uses. Its ``bind_tools`` records the tools; each
  call asks for one grammar-constrained ``{"thought", "tool", "args"}`` decision
  (the agent's schema, plus a ``finish`` action) and returns it as an
  ``AIMessage`` with ``tool_calls``. Everything else — the loop, tool execution
  (``ToolNode``), message state, stopping when no tool is called — is
  ``create_react_agent``'s own. So the comparison measures the architecture
  (perceive/verify/skills/memory/critic/curriculum), not the decoder.

Tools are the world's MCP tools from a ``ToolHub`` (which loads them with
langchain-mcp-adapters on one long-lived session per server), with the world's
fixed arguments injected (an identifier the world supplies itself) and its hidden ones removed,
plus the reading tools its caller names. Two deliberate aids keep the
baseline from being charged for what the agent gets for free: the system prompt
is the agent's own (rules, tool list, the world's examples, the goal), and each
acting tool's result ends with the world's observation (what the agent's
perceive node reads without an LLM call). Unlike the agent, the baseline's
arguments are not narrowed to what the world offers now: that narrowing is part
of the agent's perceive→plan design.
"""

from __future__ import annotations

import asyncio
import json
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.tools import BaseTool, StructuredTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from langgraph.errors import GraphRecursionError
from langgraph.prebuilt import create_react_agent
from pydantic import ConfigDict, Field

from neuronaut.decision import Action, clean_schema, decision_schema, validate_decision
from neuronaut.llm.base import ModelOutputError
from neuronaut.nodes.plan_prompt import system_prompt, user_turn
from neuronaut.worlds.base import World
from neuronaut.worlds.joined import fixed_args

FINISH = "finish"
MIN_TURNS = 4  # as the agent's planner: past turns drop in chunks so llama.cpp can reuse its KV prefix
TURN_CHUNK = 8
RESULT_MAX_CHARS = 400


@dataclass
class CallBudget:
    """Shared by every copy ``bind_tools`` makes of the chat model."""

    calls: int = 0
    limit: int | None = None
    exhausted: bool = False


class DecisionChatModel(BaseChatModel):
    """A chat model whose every answer is one grammar-constrained decision, returned as a tool call."""

    decision_model: Any
    budget: CallBudget = Field(default_factory=CallBudget)
    model_config = ConfigDict(arbitrary_types_allowed=True)

    @property
    def _llm_type(self) -> str:
        return "neuronaut-decision"

    def bind_tools(self, tools: Sequence[Any], *, tool_choice: Any = None, **kwargs: Any):
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kwargs)

    def _generate(self, messages, stop=None, run_manager=None, **kwargs: Any) -> ChatResult:
        return asyncio.run(self._agenerate(messages, stop, **kwargs))  # sync callers only (no loop running)

    async def _agenerate(self, messages: list[BaseMessage], stop=None, run_manager=None, *,
                         tools: Sequence[dict[str, Any]] = (), **kwargs: Any) -> ChatResult:
        if self.budget.limit is not None and self.budget.calls >= self.budget.limit:
            self.budget.exhausted = True
            return _result(AIMessage(content="LLM-call budget used; stopping."))
        actions = tool_actions(tools)
        self.budget.calls += 1
        try:
            completion = await self.decision_model.decide(decision_conversation(messages), decision_schema(actions))
        except ModelOutputError as exc:
            return _result(AIMessage(content=f"No valid decision ({exc}); stopping."))
        problem = validate_decision(completion.data, actions)
        if problem is not None:
            return _result(AIMessage(content=f"No valid decision ({problem}); stopping."))
        return _result(to_ai_message(completion.data, completion.raw, self.budget.calls))


def tool_actions(tools: Sequence[dict[str, Any]]) -> list[Action]:
    """OpenAI-format tools as the agent's actions, plus ``finish`` (ReAct's "final answer")."""
    actions = [Action(t["function"]["name"], t["function"].get("description", ""),
                      clean_schema(t["function"].get("parameters") or {}, set())) for t in tools]
    answer = {"type": "object", "properties": {"answer": {"type": "string", "maxLength": 120}}, "required": ["answer"]}
    return [*actions, Action(FINISH, "Stop: the goal is reached (or cannot be). answer says why.", answer)]


def to_ai_message(data: dict[str, Any], raw: str, number: int) -> AIMessage:
    thought = str(data.get("thought", ""))
    if data["tool"] == FINISH:
        return AIMessage(content=str(data["args"].get("answer", thought)), additional_kwargs={"raw": raw})
    call = {"name": data["tool"], "args": dict(data["args"]), "id": f"call_{number}", "type": "tool_call"}
    return AIMessage(content=thought, tool_calls=[call], additional_kwargs={"raw": raw})


def decision_conversation(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """The ReAct history in the agent's format: decisions as the JSON the model wrote, results as user turns.

    The system prompt and the first user turn stay; past (decision, result) pairs are shown from a
    cut that moves in chunks, like the agent's planner, so the context stays bounded.
    """
    head = [m for m in messages[:2] if isinstance(m, SystemMessage | HumanMessage)]
    rest = [_as_text_turn(m) for m in messages[len(head):]]
    pairs = (len(rest) + 1) // 2
    cut = max(0, (pairs - MIN_TURNS) // TURN_CHUNK * TURN_CHUNK) * 2
    return [*head, *rest[cut:]]


def _as_text_turn(message: BaseMessage) -> BaseMessage:
    if isinstance(message, AIMessage):
        raw = message.additional_kwargs.get("raw")
        if not raw and message.tool_calls:
            call = message.tool_calls[0]
            raw = json.dumps({"thought": message.content, "tool": call["name"], "args": call["args"]},
                             ensure_ascii=False)
        return AIMessage(content=raw or str(message.content))
    if isinstance(message, ToolMessage):
        return HumanMessage(content=f"{message.content}\n\nDecide the next action.")
    return message


def _result(message: AIMessage) -> ChatResult:
    return ChatResult(generations=[ChatGeneration(message=message)])


def world_tools(hub: Any, world: World, *, extra: Sequence[str] = ()) -> list[BaseTool]:
    """The world's allowed tools (plus ``extra`` reading tools) from ``hub``, shaped as the world shapes them."""
    names = [n for n in sorted(hub.catalogue) if world.allowed_tools is None or n in world.allowed_tools or n in extra]
    return [_world_tool(hub, world, name) for name in names]


def _world_tool(hub: Any, world: World, name: str) -> BaseTool:
    spec = hub.catalogue[name]
    fixed = fixed_args(world, spec)
    schema = clean_schema(spec.input_schema, set(fixed) | set(world.hidden_args.get(name, frozenset())))

    async def call(**args: Any) -> str:
        outcome = await hub.call(name, {**args, **fixed})
        text = outcome.summary(RESULT_MAX_CHARS)
        if spec.read_only:
            return text
        # What the agent's perceive node would read next, without another model call.
        observation = await world.observe(hub)
        return f"Result (untrusted): {text}\n\nObservation (untrusted):\n{observation.text}"

    description = " ".join(spec.description.split("\n\n")[0].split())[:300]
    return StructuredTool.from_function(coroutine=call, name=name, description=description, args_schema=schema)


@dataclass
class ReactRun:
    goal: str
    status: str  # achieved | finished | budget_exhausted
    llm_calls: int
    answer: str = ""
    messages: list[BaseMessage] = field(default_factory=list)


class ReactBaseline:
    """``create_react_agent`` over ``model`` and the world's tools in ``hub``; one agent per goal."""

    def __init__(self, model: Any, hub: Any, world: World, *, reading: Sequence[str] = ()) -> None:
        """``reading``: tools the agent's own observation uses that the world does not offer to act with
        (the chat's messages), given to the baseline, which has no observation of its own."""
        self.hub = hub
        self.world = world
        self.chat_model = DecisionChatModel(decision_model=model)
        self.tools = world_tools(hub, world, extra=reading)

    @property
    def llm_calls(self) -> int:
        return self.chat_model.budget.calls

    def agent(self, goal: str):
        with warnings.catch_warnings():
            # Deprecated in favour of langchain.agents.create_agent; the brief asks for the LangGraph prebuilt.
            warnings.simplefilter("ignore")
            actions = tool_actions([convert_to_openai_tool(t) for t in self.tools])
            prompt = system_prompt(self.world, goal, actions, [])
            return create_react_agent(self.chat_model, self.tools, prompt=SystemMessage(content=prompt))

    async def run(self, goal: str, *, max_llm_calls: int) -> ReactRun:
        """Pursue ``goal`` until the model finishes or ``max_llm_calls`` are used; the world's checker judges."""
        budget = self.chat_model.budget
        budget.limit, budget.exhausted, start = budget.calls + max_llm_calls, False, budget.calls
        await self.world.prepare(self.hub)
        first = user_turn(goal=goal, observation=(await self.world.observe(self.hub)).text, history=[],
                          memories=[], critique="")
        messages: list[BaseMessage] = []
        try:
            state = await self.agent(goal).ainvoke({"messages": [HumanMessage(content=first)]},
                                                   {"recursion_limit": 2 * max_llm_calls + 5})
            messages = list(state["messages"])
        except GraphRecursionError:
            budget.exhausted = True
        check = await self.world.check(self.world.goal(goal), self.hub)
        status = "achieved" if check.achieved else "budget_exhausted" if budget.exhausted else "finished"
        answer = str(messages[-1].content) if messages else ""
        return ReactRun(goal, status, budget.calls - start, answer, messages)
