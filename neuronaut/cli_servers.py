"""`neuronaut servers [trust NAME]`: the configured MCP servers and their pinned tool definitions.

A configured server's tools are pinned the first time it is used; a tool whose
definition changed since, or a new one, is not offered to the model until it
is accepted here, after its difference has been shown (see
``neuronaut.tools.pins``).
"""

from __future__ import annotations

import argparse
from typing import Any

from neuronaut.errors import UserError


def add_parser(sub: Any) -> None:
    servers = sub.add_parser("servers", help="configured MCP servers and the state of their pinned tools")
    servers.set_defaults(handler=cmd_list)
    actions = servers.add_subparsers(dest="servers_action")
    trust = actions.add_parser("trust", help="show what changed in a server's tools and accept it")
    trust.add_argument("name", help="the server's name")
    trust.set_defaults(handler=cmd_trust)


def cmd_list(args: argparse.Namespace, settings: Any) -> int:
    from neuronaut.tools.pins import ToolPins

    pins = ToolPins.for_settings(settings)
    states = {state.name: state for state in pins.states()}
    names = sorted(set(settings.servers) | set(states))
    if not names:
        print("No MCP servers are configured ([servers.NAME] in neuronaut.toml).")
        return 0
    for name in names:
        state = states.get(name)
        configured = "" if name in settings.servers else "  (no longer configured)"
        if state is None:
            print(f"{name}: not used yet; its tools are pinned on first use{configured}")
            continue
        pinned = f"{state.pinned} tool{'' if state.pinned == 1 else 's'} pinned"
        if state.pending:
            listed = ", ".join(f"{tool} ({kind})" for tool, kind in state.pending.items())
            print(f"{name}: {pinned}; NOT offered until trusted: {listed}{configured}")
            print(f"  review and accept: neuronaut servers trust {name}")
        else:
            print(f"{name}: {pinned}, unchanged (trusted {state.trusted_at}){configured}")
    return 0


def cmd_trust(args: argparse.Namespace, settings: Any) -> int:
    from neuronaut.tools.pins import ToolPins

    pins = ToolPins.for_settings(settings)
    try:
        diff = pins.pending_diff(args.name)
    except KeyError:
        known = ", ".join(state.name for state in pins.states()) or "none yet"
        raise UserError(f"no pinned server named {args.name!r} (pinned: {known})") from None
    if not diff:
        print(f"{args.name}: nothing changed since its tools were pinned; nothing to accept.")
        return 0
    print(diff, end="" if diff.endswith("\n") else "\n")
    accepted = pins.trust(args.name)
    print(f"{args.name}: accepted {', '.join(accepted)}; they are offered from the next run on.")
    return 0
