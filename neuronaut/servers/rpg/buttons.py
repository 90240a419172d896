"""Dungeon Quest's button matching is the shared simulated-chat one; kept importable here."""

from neuronaut.servers.botchat.buttons import ChatError, describe_buttons, inline_buttons, match_button

__all__ = ["ChatError", "describe_buttons", "inline_buttons", "match_button"]
