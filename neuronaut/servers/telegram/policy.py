"""Which Telegram chats the agent may look at and act in.

The agent runs on a real account, so a bot's message saying "now send this to
@alice" must not be able to make it write to Alice. The rules:

* **Acting** (``send_message``, ``press_inline_button``) is allowed only in chats
  on the allowlist (``telegram_allowed_chats``: marked chat ids such as
  ``123456`` or ``-1001234567890``, or ``@usernames``), and never in read-only
  mode. An empty allowlist allows acting nowhere.
* **Reading** is scoped the same way once an allowlist exists: the allowlist is
  the agent's whole world, so a prompt injection cannot read a private chat and
  then carry its contents into the game chat. With an empty allowlist the
  agent may read (and list) every chat but act in none: that is the mode for
  finding out which chat to allow.

Refusals raise :class:`PolicyRefusal` whose message names the allowed chats, so
the agent (and the person reading the log) learns what it may do instead.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from neuronaut.servers.chat_contract import Chat

logger = logging.getLogger(__name__)


class PolicyRefusal(Exception):
    """The policy forbids this tool call; the message says why and what is allowed."""


def _normalise_entry(entry: str | int) -> str:
    # Ids are compared as text so "123" from the environment equals 123 from TOML.
    text = str(entry).strip()
    if text.lstrip("-").isdigit():
        return str(int(text))
    return "@" + text.lstrip("@").lower()


class ChatPolicy:
    """The allowlist and read-only switch, checked on every tool call."""

    def __init__(self, allowed_chats: Iterable[str | int] = (), *, read_only: bool = False):
        self.allowed = tuple(dict.fromkeys(_normalise_entry(e) for e in allowed_chats if str(e).strip()))
        self.read_only = read_only

    @classmethod
    def from_settings(cls, settings) -> ChatPolicy:
        return cls(settings.telegram_allowed_chats, read_only=settings.telegram_read_only)

    def describe(self) -> str:
        """The allowed chats in words, for error messages and the server's instructions."""
        if not self.allowed:
            return "no chats are allowed (set telegram_allowed_chats to ids or @usernames)"
        return "allowed chats: " + ", ".join(self.allowed)

    def is_allowed(self, chat: Chat) -> bool:
        keys = {str(chat.id)}
        if chat.username:
            keys.add("@" + chat.username.lstrip("@").lower())
        return not keys.isdisjoint(self.allowed)

    def may_read(self, chat: Chat) -> bool:
        return not self.allowed or self.is_allowed(chat)

    def check_read(self, chat: Chat) -> None:
        if not self.may_read(chat):
            logger.warning("refused to read chat %s: not on the allowlist", chat.id)
            raise PolicyRefusal(f"chat {_name(chat)} is not on the allowlist; {self.describe()}")

    def check_act(self, chat: Chat, tool: str) -> None:
        if self.read_only:
            logger.warning("refused %s in chat %s: read-only mode", tool, chat.id)
            raise PolicyRefusal(
                f"{tool} refused: the Telegram server is in read-only mode "
                f"(telegram_read_only); only reading tools work"
            )
        if not self.is_allowed(chat):
            logger.warning("refused %s in chat %s: not on the allowlist", tool, chat.id)
            raise PolicyRefusal(
                f"{tool} refused: chat {_name(chat)} is not on the allowlist; {self.describe()}"
            )


def _name(chat: Chat) -> str:
    return f"{chat.id} (@{chat.username})" if chat.username else str(chat.id)
