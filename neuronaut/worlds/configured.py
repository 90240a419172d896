"""MCP servers declared in settings (``[servers.<name>]``) that join a world beside its own servers.

A server serves the worlds its ``worlds`` list names. The configuration says which of its tools the model may
use (``tools``), which need a person's approval (``approve``) and which arguments are set for it
(``fixed_args``); those rules apply to that server's tools in whatever world runs it, so a world with a closed
tool list still offers them and a world that lets every call through still asks before an ``approve`` tool.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from neuronaut.errors import UserError
from neuronaut.settings import McpServerConfig, Settings
from neuronaut.tools.access import Access, tool_access
from neuronaut.tools.types import ServerSpec, ToolSpec


class ConfiguredServers:
    """Some of the servers declared in settings, by name."""

    def __init__(self, configs: Mapping[str, McpServerConfig], approve_reads: bool = False) -> None:
        """``approve_reads``: the user let tools that only read run unasked (``Settings.approve_reads``)."""
        self.configs = dict(configs)
        self.approve_reads = approve_reads

    @classmethod
    def serving(cls, settings: Settings, world: str) -> ConfiguredServers:
        """The declared servers whose ``worlds`` list names ``world``."""
        return cls({name: c for name, c in settings.servers.items() if world in c.worlds}, settings.approve_reads)

    @classmethod
    def named(cls, settings: Settings, names: Iterable[str]) -> ConfiguredServers:
        declared = settings.servers
        unknown = [n for n in names if n not in declared]
        if unknown:
            raise UserError(f"unknown MCP server(s) {', '.join(unknown)}; declared in settings: "
                            f"{', '.join(declared) or 'none'} (add [servers.<name>] to neuronaut.toml)")
        return cls({n: declared[n] for n in names}, settings.approve_reads)

    def without(self, names: Iterable[str]) -> ConfiguredServers:
        return ConfiguredServers({n: c for n, c in self.configs.items() if n not in set(names)}, self.approve_reads)

    def __bool__(self) -> bool:
        return bool(self.configs)

    def __contains__(self, server: object) -> bool:
        return server in self.configs

    def specs(self) -> list[ServerSpec]:
        return [ServerSpec(name, c.command, tuple(c.args), c.env, c.cwd, c.url, c.headers)
                for name, c in self.configs.items()]

    def offers(self, spec: ToolSpec) -> bool:
        listed = self.configs[spec.server].tools
        return listed is None or _named(spec, listed)

    def fixed_args_for(self, spec: ToolSpec) -> dict[str, Any]:
        """The server's fixed arguments that this tool takes (a tool without ``repo_path`` gets none)."""
        accepted = set((spec.input_schema or {}).get("properties", {}))
        return {k: v for k, v in self.configs[spec.server].fixed_args.items() if k in accepted}

    def access(self, spec: ToolSpec) -> Access:
        """Whether the tool reads or writes: as declared for its server, as annotated, else guessed from its name."""
        return tool_access(spec, self.configs[spec.server].read_only_tools)

    def needs_approval(self, spec: ToolSpec) -> bool:
        """The ``approve`` list asks; a guessed write always asks, a guessed read unless reads were allowed; an
        annotated write asks when destructive (a harmless one such as staging a file goes through)."""
        if _named(spec, self.configs[spec.server].approve):
            return True
        access = self.access(spec)
        if access.reads:
            return access.source == "guessed" and not self.approve_reads
        return access.source == "guessed" or spec.destructive


def _named(spec: ToolSpec, names: Iterable[str]) -> bool:
    # The hub qualifies a tool whose name another server took first as "<server>_<tool>".
    return any(spec.name in (name, f"{spec.server}_{name}") for name in names)
