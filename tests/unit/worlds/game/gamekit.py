"""Helpers for the game world's tests: real arena bots behind in-memory MCP sessions, a scripted model that plays an
oracle for the model's part (picking the status, reading screens, writing readers)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mcp
import pytest
from langchain_core.messages import BaseMessage
from mcp.shared.memory import create_connected_server_and_client_session

from neuronaut.llm.scripted import ScriptedModel
from neuronaut.servers.arenas.chat import ArenaChat
from neuronaut.servers.arenas.server import build_server
from neuronaut.settings import Settings
from neuronaut.tools.types import ToolOutcome
from neuronaut.worlds.game.world import GameWorld

TRADER, CRAWL = "void-trader", "crypt-crawl"


class SessionTools:
    """A ToolCaller over an MCP client session, shaped like the ToolHub's outcomes."""

    def __init__(self, session: mcp.ClientSession) -> None:
        self.session = session
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def call(self, name: str, args: dict[str, Any]) -> ToolOutcome:
        self.calls.append((name, args))
        result = await self.session.call_tool(name, args)
        text = "\n".join(getattr(c, "text", "") for c in result.content)
        if result.isError:
            return ToolOutcome.failure(name, args, text)
        return ToolOutcome(tool=name, args=args, ok=True, text=text, structured=result.structuredContent)


def connect(chat: ArenaChat):
    return create_connected_server_and_client_session(build_server(chat))


def arena_settings(home: Path, bot: str = CRAWL) -> Settings:
    server = {"command": sys.executable, "args": ["-m", "neuronaut.servers.arenas", "--bot", bot],
              "worlds": ["game"]}
    return Settings.load(env={"NEURONAUT_HOME": str(home)}, servers={bot: server})


# --- the oracle: what a capable model would answer, written for these two bots (tests only) ---------------

def true_reading(text: str) -> dict[str, Any]:
    """The player's level/rank and money on a status screen of either arena bot, in either layout."""
    found: dict[str, Any] = {}
    if level := re.search(r"(?:LVL|Level:)\s*(\d+)", text):
        found["level"] = int(level[1])
    if coins := re.search(r"(?:COINS|coins:)\s*(\d+)", text):
        found["coins"] = int(coins[1])
    if rank := re.search(r"^Rank: (.+)$", text, re.M) or re.search(r"^(\w[\w ]*?) ▸", text, re.M):
        found["rank"] = rank[1].strip()
    if credits := re.search(r"(?:Credits:|Wallet)\s*(\d+)", text):
        found["credits"] = int(credits[1])
    return found


CRAWL_V1 = """import re
def read(text):
    return {"level": int(re.search(r"LVL (\\d+)", text)[1]), "coins": int(re.search(r"COINS (\\d+)", text)[1])}
"""
CRAWL_V2 = """import re
def read(text):
    return {"level": int(re.search(r"Level: (\\d+)", text)[1]), "coins": int(re.search(r"coins: (\\d+)", text)[1])}
"""
TRADER_V1 = """import re
def read(text):
    return {"rank": re.search(r"Rank: (.+)", text)[1].strip(), "credits": int(re.search(r"Credits: (\\d+)", text)[1])}
"""
WRONG = """def read(text):
    return {"level": 99, "coins": 0}
"""


class Oracle:
    """The model's part, answered from the schema it is asked for: choices, readings, code."""

    def __init__(self, codes: list[str], status: tuple[str, ...] = ("Profile", "/hero"),
                 meanings: dict[str, str] | None = None) -> None:
        self.codes = list(codes)
        self.meanings = meanings or {}
        self.status = status
        self.readings = 0
        self.written = 0

    def __call__(self, messages: list[BaseMessage], schema: dict[str, Any]) -> dict[str, Any] | str:
        prompt = str(messages[-1].content)
        if not schema:  # compose: reader code
            self.written += 1
            return f"```python\n{self.codes.pop(0) if self.codes else WRONG}```"
        properties = schema.get("properties", {})
        if "quantities" in properties:
            self.readings += 1
            return {"quantities": true_reading(prompt.split("Screen:", 1)[-1])}
        options = properties["choice"]["enum"]
        if "goes back" in prompt:
            return {"choice": next((o for o in options if "Back" in o), "none")}
        if "which of them is what the goal calls" in prompt.casefold():
            word = prompt.rsplit('calls "', 1)[1].split('"', 1)[0]
            return {"choice": self.meanings.get(word, "none")}
        return {"choice": next((o for o in options if any(s in o for s in self.status)), options[0])}


def oracle_model(oracle: Oracle) -> ScriptedModel:
    return ScriptedModel(fallback=oracle)


@pytest.fixture
def make_world(home: Path) -> Callable[..., GameWorld]:
    def make(bot: str, oracle: Oracle | None = None) -> GameWorld:
        world = GameWorld(arena_settings(home, bot), wait_s=0)
        if oracle is not None:
            world.bind_model(oracle_model(oracle))
        return world
    return make
