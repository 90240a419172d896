"""The generic world: a goal plus any MCP servers declared in settings, with no code of their own.

There is no checker that understands an arbitrary goal, so the model ends a
goal with ``finish(answer)`` and the LLM critic judges the answer against the
goal and the steps taken. Its servers are the configured ones
(``worlds.configured``): their ``tools``, ``approve`` and ``fixed_args`` apply
as in any world they join.
"""

from __future__ import annotations

from typing import Any

from neuronaut.errors import UserError
from neuronaut.settings import Settings
from neuronaut.tools.types import ServerSpec, ToolOutcome, ToolSpec
from neuronaut.worlds.base import Check, Goal, Observation, ToolCaller, World
from neuronaut.worlds.configured import ConfiguredServers

FINISH = "finish"

_FINISH_ACTION = {
    "name": FINISH,
    "description": "End the goal: give the answer, or say what you did. Use it once the goal is done.",
    "params": {"type": "object", "properties": {"answer": {"type": "string", "maxLength": 300}},
               "required": ["answer"]},
    "final": True,
}


class GenericWorld(World):
    name = "generic"
    examples_prompt = "generic_examples"

    def __init__(self, settings: Settings, servers: list[str] | None = None) -> None:
        self.configured = _select(settings, servers)
        names = ", ".join(self.configured.configs)
        self.description = f"a general assistant with tools from these MCP servers: {names}"
        # No tools of its own: the configured servers' tools (their ``tools`` lists) are added once they start.
        self.allowed_tools = frozenset()

    def servers(self, settings: Settings, run_id: str) -> list[ServerSpec]:
        return self.configured.specs()

    def fixed_args_for(self, spec: ToolSpec) -> dict[str, Any]:
        return self.configured.fixed_args_for(spec) if spec.server in self.configured else {}

    def needs_approval(self, spec: ToolSpec) -> bool:
        return self.configured.needs_approval(spec) if spec.server in self.configured else spec.destructive

    def extra_actions(self) -> list[dict[str, Any]]:
        return [_FINISH_ACTION]

    async def run_extra(self, name: str, args: dict[str, Any]) -> ToolOutcome:
        if name != FINISH:
            return await super().run_extra(name, args)
        answer = str(args.get("answer", "")).strip()
        return ToolOutcome(tool=FINISH, args=args, ok=bool(answer), text=answer or "an empty answer",
                           structured={"answer": answer})

    async def observe(self, tools: ToolCaller) -> Observation:
        return Observation("(No screen in this world.) Your tool results are in your recent steps above. "
                           "If they answer the goal, call finish with the answer; otherwise call a tool.")

    async def check(self, goal: Goal, tools: ToolCaller) -> Check:
        # No checker understands an arbitrary goal: the verify node asks the critic once finish is called.
        return Check(False, "no checker for this goal; the critic judges the final answer", critic_judges=True)


def _select(settings: Settings, names: list[str] | None) -> ConfiguredServers:
    if names:
        return ConfiguredServers.named(settings, names)
    chosen = ConfiguredServers.serving(settings, GenericWorld.name)
    if not chosen:
        raise UserError("the generic world needs MCP servers: declare them as [servers.<name>] in "
                        f"{settings.home / 'neuronaut.toml'} (command + args, or url)")
    return chosen
