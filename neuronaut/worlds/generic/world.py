"""The generic world: a goal plus any MCP servers declared in settings, with no code of their own.

There is no checker that understands an arbitrary goal, so the model ends a
goal with ``finish(answer)`` and the LLM critic judges the answer against the
goal and the steps taken. Tool annotations from the servers are honoured:
destructive tools (and those the config lists under ``approve``) need a
person's approval.
"""

from __future__ import annotations

from typing import Any

from neuronaut.errors import UserError
from neuronaut.settings import McpServerConfig, Settings
from neuronaut.tools.types import ServerSpec, ToolOutcome, ToolSpec
from neuronaut.worlds.base import Check, Goal, Observation, ToolCaller, World

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
        self._configs = _select(settings, servers)
        names = ", ".join(self._configs)
        self.description = f"a general assistant with tools from these MCP servers: {names}"
        listed = [c.tools for c in self._configs.values()]
        # A server without a tool list offers all its tools; only when every server lists them is the world closed.
        self.allowed_tools = frozenset(t for tools in listed for t in tools) if all(listed) else None
        self._approve = {t for c in self._configs.values() for t in c.approve}

    def servers(self, settings: Settings, run_id: str) -> list[ServerSpec]:
        return [
            ServerSpec(name, c.command, tuple(c.args), c.env, c.cwd, c.url, c.headers)
            for name, c in self._configs.items()
        ]

    def fixed_args_for(self, spec: ToolSpec) -> dict[str, Any]:
        config = self._configs.get(spec.server)
        if config is None:
            return {}
        accepted = set((spec.input_schema or {}).get("properties", {}))
        return {k: v for k, v in config.fixed_args.items() if k in accepted}

    def needs_approval(self, spec: ToolSpec) -> bool:
        return spec.name in self._approve or spec.destructive

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


def _select(settings: Settings, names: list[str] | None) -> dict[str, McpServerConfig]:
    declared = settings.servers
    if names:
        unknown = [n for n in names if n not in declared]
        if unknown:
            raise UserError(f"unknown MCP server(s) {', '.join(unknown)}; declared in settings: "
                            f"{', '.join(declared) or 'none'} (add [servers.<name>] to neuronaut.toml)")
        return {n: declared[n] for n in names}
    chosen = {n: c for n, c in declared.items() if GenericWorld.name in c.worlds}
    if not chosen:
        raise UserError("the generic world needs MCP servers: declare them as [servers.<name>] in "
                        f"{settings.home / 'neuronaut.toml'} (command + args, or url)")
    return chosen
