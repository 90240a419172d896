"""The Telegram-like chat every simulated game bot is served through.

``BotChat`` plays Telegram's part for one bot (messages, edits, the update log,
inline keyboards, toasts, a state file); ``build_chat_server`` serves it as the
six chat-contract tools over MCP; ``modes`` wraps any bot so it never answers,
answers garbage or floods the chat.
"""

from neuronaut.servers.botchat.buttons import ChatError
from neuronaut.servers.botchat.chat import BotChat, ChatBot
from neuronaut.servers.botchat.screens import Button, Reply, Screen

__all__ = ["BotChat", "Button", "ChatBot", "ChatError", "Reply", "Screen"]
