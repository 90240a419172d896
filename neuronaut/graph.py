"""The agent loop: perceive → plan → act → verify → learn, and back to perceive until done.

``build_graph`` is the one factory; the CLI, ``run_goal``, the notebooks and
``langgraph dev`` all use it, differing only in the checkpointer they pass.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import Checkpointer

from neuronaut.nodes.act import act
from neuronaut.nodes.learn import learn, route_after_learn
from neuronaut.nodes.perceive import perceive
from neuronaut.nodes.plan import plan
from neuronaut.nodes.verify import verify
from neuronaut.services import Services
from neuronaut.state import AgentState

NODES = {"perceive": perceive, "plan": plan, "act": act, "verify": verify, "learn": learn}

ServicesFactory = Callable[[], Awaitable[Services]]


def build_graph(checkpointer: Checkpointer = None, *, services_factory: ServicesFactory | None = None):
    """Compile the agent graph.

    Services normally arrive per run as the runtime context
    (``graph.ainvoke(..., context=services)``). ``services_factory`` is for hosts
    that cannot pass one, such as the ``langgraph dev`` server: it is awaited
    whenever a run starts without a context.
    """
    # A host that brings no services cannot build a Services from JSON either: declare no schema there.
    builder = StateGraph(AgentState, context_schema=None if services_factory else Services)
    for name, node in NODES.items():
        builder.add_node(name, _with_services(node, services_factory) if services_factory else node)
    builder.add_edge(START, "perceive")
    builder.add_edge("perceive", "plan")
    builder.add_edge("plan", "act")
    builder.add_edge("act", "verify")
    builder.add_edge("verify", "learn")
    builder.add_conditional_edges("learn", route_after_learn, ["perceive", END])
    return builder.compile(checkpointer=checkpointer, name="neuronaut")


def _with_services(node: Callable[..., Awaitable[dict[str, Any]]], factory: ServicesFactory):
    async def run(state: AgentState, runtime: Runtime[Services]) -> dict[str, Any]:
        if not isinstance(runtime.context, Services):
            runtime = runtime.override(context=await factory())
        return await node(state, runtime)

    run.__name__ = node.__name__
    return run
