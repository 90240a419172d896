"""Dungeon Quest: a simulated Telegram RPG bot served over MCP.

The offline default world and benchmark arena. ``SimulatedChat`` is the chat,
``build_server`` wraps it as an MCP server, ``status.parse_status`` reads the
hero's status line out of the bot's text.
"""

from neuronaut.servers.rpg.chat import ChatError, SimulatedChat
from neuronaut.servers.rpg.status import parse_bosses, parse_equipment, parse_inventory, parse_status

__all__ = [
    "ChatError",
    "SimulatedChat",
    "parse_bosses",
    "parse_equipment",
    "parse_inventory",
    "parse_status",
]
