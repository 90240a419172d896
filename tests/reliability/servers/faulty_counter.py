"""A counter game over MCP stdio that crashes, hangs or writes garbage on the calls it is told to.

    python faulty_counter.py STATE_DIR

STATE_DIR/faults.json says what goes wrong, by tool and call number (counted
across restarts), e.g. ``{"read_counter": {"3": "crash"}, "bump": {"2": "crash_after"}}``,
``{"read_counter": {"3+": "crash"}}`` for call 3 and every later one, ``{"read_counter": {"*": "crash"}}``
for every call, ``{"startup": "crash"}`` to die before serving. Faults:

- ``crash``: exit before doing anything;
- ``crash_after``: do the work (bump the counter), then exit without answering;
- ``hang``: never answer;
- ``garbage``: write a line that is not JSON-RPC to stdout, then never answer.

STATE_DIR/starts counts server starts; STATE_DIR/effects.jsonl has one line per
bump that reached the game (written before the answer), so a test can tell how
often a side effect really happened.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from mcp.server.fastmcp import FastMCP
from mcp.types import ToolAnnotations

state = Path(sys.argv[1])
state.mkdir(parents=True, exist_ok=True)
server = FastMCP("faulty")


def _read(name: str, default: str) -> str:
    path = state / name
    return path.read_text() if path.exists() else default


def _write(name: str, text: str) -> None:
    temp = state / (name + ".tmp")
    temp.write_text(text)
    os.replace(temp, state / name)


def _fault(tool: str) -> str | None:
    calls = json.loads(_read("calls.json", "{}"))
    calls[tool] = calls.get(tool, 0) + 1
    _write("calls.json", json.dumps(calls))
    faults = json.loads(_read("faults.json", "{}")).get(tool, {})
    onwards = [int(k[:-1]) for k in faults if k.endswith("+") and int(k[:-1]) <= calls[tool]]
    return faults.get(str(calls[tool])) or (faults[f"{max(onwards)}+"] if onwards else faults.get("*"))


def _misbehave(fault: str | None) -> None:
    if fault == "crash":
        os._exit(1)
    if fault == "hang":
        time.sleep(3600)
    if fault == "garbage":
        sys.stdout.write("this is not JSON-RPC \x00\xff {]\n")
        sys.stdout.flush()
        time.sleep(3600)


@server.tool(annotations=ToolAnnotations(readOnlyHint=True))
def read_counter() -> str:
    """The counter's value."""
    _misbehave(_fault("read_counter"))
    return f"counter = {int(_read('counter', '0'))}"


@server.tool(annotations=ToolAnnotations(readOnlyHint=False, destructiveHint=False))
def bump() -> str:
    """Add one to the counter (a side effect)."""
    fault = _fault("bump")
    _misbehave(fault)
    value = int(_read("counter", "0")) + 1
    _write("counter", str(value))
    with (state / "effects.jsonl").open("a") as effects:
        effects.write(json.dumps({"bump": value}) + "\n")
        effects.flush()
        os.fsync(effects.fileno())
    if fault == "crash_after":
        os._exit(1)
    return f"counter = {value}"


if __name__ == "__main__":
    _write("starts", str(int(_read("starts", "0")) + 1))
    if json.loads(_read("faults.json", "{}")).get("startup") == "crash":
        sys.exit(3)
    server.run()
