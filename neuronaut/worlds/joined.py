"""A world with the configured servers that join it (``World.configured``): their specs started beside the
world's own, their tools admitted to its menu, their fixed arguments and approvals applied to their own tools."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from neuronaut.errors import UserError
from neuronaut.settings import Settings
from neuronaut.tools.types import ServerSpec, ToolSpec
from neuronaut.worlds.base import World


def server_specs(world: World, settings: Settings, run_id: str) -> list[ServerSpec]:
    """The world's own servers, then the configured ones that join it."""
    own = {spec.name: spec for spec in world.servers(settings, run_id)}
    joined = []
    for spec in world.configured.specs():
        if spec.name not in own:
            joined.append(spec)
        elif own[spec.name] != spec:  # (a world may run a configured server as one of its own: the same spec)
            raise UserError(f"[servers.{spec.name}] has the name of a server of the {world.name} world; "
                            "rename it in neuronaut.toml")
    return [*own.values(), *joined]


def admit_tools(world: World, catalogue: Mapping[str, ToolSpec]) -> None:
    """Widen a world's closed tool list by the joined servers' tools, once their catalogue is known."""
    joined = world.configured
    if not joined:
        return
    own = world.allowed_tools
    if own is None:  # every tool of the world's own servers
        own = frozenset(name for name, spec in catalogue.items() if spec.server not in joined)
    added = {name for name, spec in catalogue.items() if spec.server in joined and joined.offers(spec)}
    world.allowed_tools = own | added


def fixed_args(world: World, spec: ToolSpec) -> dict[str, Any]:
    """Arguments set for a call (and hidden from the model): a joined server's by its configuration."""
    return world.configured.fixed_args_for(spec) if spec.server in world.configured else world.fixed_args_for(spec)


def needs_approval(world: World, spec: ToolSpec) -> bool:
    """Whether a person must allow the call: a configured server's tools by its configuration, not the world's rule."""
    return world.configured.needs_approval(spec) if spec.server in world.configured else world.needs_approval(spec)
