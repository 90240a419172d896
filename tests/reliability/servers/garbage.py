"""A tiny MCP server over stdio that prints lines that are not JSON-RPC to its stdout.

    python garbage.py STATE_DIR [--banner]

``--banner`` prints a greeting on stdout before serving (a common mistake). Each
tool call reads STATE_DIR/plan.json, ``{"look": ["garbage", "ok"], "poke": "garbage"}``:
a list is consumed one entry per call (counted across restarts; "ok" once it runs out),
a string applies to every call. ``garbage`` prints a stray line and then never
answers, so only a client that notices the garbage gets on before its timeout.
STATE_DIR/starts counts starts and STATE_DIR/pokes the pokes that happened.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from mcp.server.fastmcp import FastMCP
from mcp.types import ToolAnnotations

state = Path(sys.argv[1])
server = FastMCP("garbage")


def _count(name: str) -> int:
    path = state / name
    value = int(path.read_text()) + 1 if path.exists() else 1
    path.write_text(str(value))
    return value


def _misbehave(tool: str) -> None:
    plan_file = state / "plan.json"
    plan = json.loads(plan_file.read_text()) if plan_file.exists() else {}
    mode = plan.get(tool, "ok")
    if isinstance(mode, list):
        call = _count(f"{tool}-calls")
        mode = mode[call - 1] if call <= len(mode) else "ok"
    if mode == "garbage":
        print("DEBUG: fetching the thing...", flush=True)  # a stray print: not JSON-RPC
        time.sleep(3600)


@server.tool(annotations=ToolAnnotations(readOnlyHint=True))
def look() -> str:
    """Look around (read-only)."""
    _misbehave("look")
    return "all quiet"


@server.tool(annotations=ToolAnnotations(readOnlyHint=False, destructiveHint=False))
def poke() -> str:
    """Poke the thing (a side effect)."""
    _misbehave("poke")
    return f"poked {_count('pokes')} times"


if __name__ == "__main__":
    state.mkdir(parents=True, exist_ok=True)
    _count("starts")
    if "--banner" in sys.argv:
        print("Welcome to the garbage server v1.0!", flush=True)
    server.run()
