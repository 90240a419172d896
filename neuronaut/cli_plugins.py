"""`neuronaut worlds` and `neuronaut mcp <server>`: what is installed, found rather than listed in code.

Worlds come from the ``neuronaut.worlds`` entry-point group (a pip-installed world shows up beside ours).
Servers are the packages under ``neuronaut/servers/`` that run with ``python -m`` (they have a ``__main__``),
so a new server package is runnable as ``neuronaut mcp <name>`` with no change here.
"""

from __future__ import annotations

import argparse
import ast
import runpy
import sys
from pathlib import Path
from typing import Any

from neuronaut.errors import UserError

SERVERS_PACKAGE = "neuronaut.servers"
SERVERS_DIR = Path(__file__).resolve().parent / "servers"


def add_parsers(sub: Any) -> None:
    worlds = sub.add_parser("worlds", help="the installed worlds, one line each")
    worlds.set_defaults(handler=_cmd_worlds)

    mcp = sub.add_parser("mcp", help="run one of NeuroNaut's MCP servers on stdio (without a name: list them)")
    mcp.add_argument("server", nargs="?", default=None, help=f"one of: {', '.join(runnable_servers())}")
    mcp.add_argument("extra", nargs=argparse.REMAINDER, help="arguments for the server")
    mcp.set_defaults(handler=_cmd_mcp)


def _cmd_worlds(args: argparse.Namespace, settings: Any) -> int:
    from neuronaut.worlds import world_plugins

    plugins = world_plugins()
    width = max((len(name) for name in plugins), default=0)
    for name, plugin in sorted(plugins.items()):
        print(f"{name:<{width}}  {plugin.description}")
    return 0


def runnable_servers() -> dict[str, str]:
    """The server packages that run with ``python -m``, by name, with the first line of their docstring."""
    found = {}
    for package in sorted(SERVERS_DIR.iterdir()):
        if (package / "__main__.py").is_file() and (package / "__init__.py").is_file():
            found[package.name] = _first_line(package / "__init__.py")
    return found


def _cmd_mcp(args: argparse.Namespace, settings: Any) -> int:
    servers = runnable_servers()
    if args.server is None:
        width = max((len(name) for name in servers), default=0)
        for name, description in servers.items():
            print(f"{name:<{width}}  {description}")
        return 0
    if args.server not in servers:
        raise UserError(f"unknown MCP server {args.server!r}; NeuroNaut's servers: {', '.join(servers)}")
    # Exactly what ``python -m neuronaut.servers.<name> ARGS`` does, in this process.
    sys.argv = [f"neuronaut mcp {args.server}", *args.extra]
    runpy.run_module(f"{SERVERS_PACKAGE}.{args.server}", run_name="__main__", alter_sys=True)
    return 0


def _first_line(path: Path) -> str:
    try:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    except (OSError, SyntaxError):
        return ""
    return doc.strip().splitlines()[0] if doc.strip() else ""
