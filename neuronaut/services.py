"""The components one run needs, built once and handed to the graph as its runtime context.

``open_services`` builds them (model, embeddings, memory, skills, ledger, MCP
servers) onto an ``AsyncExitStack`` that closes them in reverse order; the API,
Studio's graph module and the benchmarks all open a run's services through it.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from neuronaut.errors import UserError
from neuronaut.llm.base import DecisionModel
from neuronaut.llm.presets import resolve_model
from neuronaut.memory.embeddings import load_embeddings
from neuronaut.settings import Settings
from neuronaut.tools.ledger import ToolLedger
from neuronaut.worlds.base import World
from neuronaut.worlds.capabilities import drafting, model_user
from neuronaut.worlds.joined import admit_tools, server_specs

# Chroma (episode memory, skill library), the MCP client (tool hub) and the model back-ends take seconds to
# import: they are imported inside the functions that build a run, not when the CLI starts.
if TYPE_CHECKING:
    from neuronaut.memory.store import EpisodeMemory
    from neuronaut.skills.library import SkillLibrary
    from neuronaut.tools.hub import ToolHub


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
    planner_prompt: str | None = None  # plan's latest system prompt: the critic asks after it (KV-cache prefix)

    def emit(self, **event: Any) -> None:
        if self.events is not None:
            self.events(event)


async def open_services(stack: AsyncExitStack, settings: Settings, world: World, run_id: str, *,
                        model: str | None = None, decision_model: DecisionModel | None = None,
                        events: Any = None, load_model: Callable[..., DecisionModel] | None = None) -> Services:
    """Build every component of a run; ``stack`` closes them (MCP servers, model) in reverse order. The MCP
    servers are the world's own and the configured ones that join it (``worlds.configured``).

    ``load_model(settings, model, max_tokens)`` loads the decision model when none is given
    (default: ``load_decision_model``).
    """
    from neuronaut.memory.store import EpisodeMemory
    from neuronaut.skills.library import SkillLibrary
    from neuronaut.tools.hub import ToolHub
    from neuronaut.tools.pins import ToolPins

    settings.apply_process_environment()
    # Loading weights and opening Chroma block for seconds: off the event loop (Studio's server forbids it).
    if decision_model is None:
        drafter = drafting(world)
        max_tokens = max(settings.max_decision_tokens, drafter.min_decision_tokens if drafter else 0)
        decision_model = await asyncio.to_thread(load_model or load_decision_model, settings, model, max_tokens)
        if hasattr(decision_model, "aclose"):
            stack.push_async_callback(decision_model.aclose)
            await decision_model.start()  # an unreachable endpoint fails before the run starts
        else:
            stack.callback(decision_model.close)
    if (user := model_user(world)) is not None:
        user.bind_model(decision_model)
    embeddings = await asyncio.to_thread(load_embeddings, settings.embedding_model)
    memory = await asyncio.to_thread(EpisodeMemory, settings.memory_dir, embeddings, chroma_url=settings.chroma_url)
    stack.callback(memory.close)
    skills = await asyncio.to_thread(SkillLibrary, settings.skills_dir, settings.memory_dir / "skills-index", embeddings,
                                     chroma_url=settings.chroma_url)
    stack.callback(skills.close)
    await asyncio.to_thread(skills.ensure_starters, world.starter_skills())
    ledger = await asyncio.to_thread(ToolLedger, settings.ledger_db)
    stack.callback(ledger.close)
    hub = ToolHub(server_specs(world, settings, run_id), timeout_s=settings.tool_timeout_s,
                  log_dir=settings.logs_dir, pins=ToolPins.for_settings(settings))
    tools = await stack.enter_async_context(hub)
    admit_tools(world, tools.catalogue)
    return Services(settings=settings, world=world, model=decision_model, tools=tools,
                    memory=memory, skills=skills, ledger=ledger, events=events)


def load_decision_model(settings: Settings, model: str | None = None, max_tokens: int | None = None) -> DecisionModel:
    from neuronaut.llm.local import LocalChatModel

    name = model or settings.model
    if settings.model_endpoints:
        return load_endpoint_model(settings, name, max_tokens or settings.max_decision_tokens)
    path = resolve_model(name, settings.models_dir)
    return LocalChatModel(path, name=name, n_ctx=settings.n_ctx, n_batch=settings.n_batch,
                          n_threads=settings.n_threads, max_tokens=max_tokens or settings.max_decision_tokens,
                          temperature=settings.temperature, seed=settings.seed,
                          prefix_cache_dir=settings.checkpoints_dir / "prefix-cache",
                          prefix_cache_entries=settings.prefix_cache_entries)


def load_endpoint_model(settings: Settings, name: str, max_tokens: int) -> DecisionModel:
    """One OpenAI-compatible endpoint, or a LiteLLM-routed pool of them."""
    from neuronaut.llm.openai_compat import OpenAIChatModel
    from neuronaut.llm.pool import PooledChatModel, PoolPolicy

    common = dict(model=name, max_tokens=max_tokens, temperature=settings.temperature,
                  seed=settings.seed, constraint=settings.endpoint_constraint)
    if len(settings.model_endpoints) == 1:
        return OpenAIChatModel(settings.model_endpoints[0], timeout_s=settings.endpoint_timeout_s, **common)
    policy = PoolPolicy(retries=settings.pool_retries, allowed_fails=settings.pool_allowed_fails,
                        cooldown_s=settings.pool_cooldown_s, timeout_s=settings.endpoint_timeout_s)
    return PooledChatModel(settings.model_endpoints, policy=policy, **common)


def prepare_data_dirs(settings: Settings) -> None:
    for folder in (settings.checkpoints_dir, settings.skills_dir, settings.memory_dir, settings.worlds_dir):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / f".write-test-{secrets.token_hex(4)}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise UserError(f"cannot write to {folder}: {exc.strerror or exc}; set NEURONAUT_HOME to a writable "
                            "directory") from None
